class SwedishUnlessChosen:
    """The UI is Swedish unless the user picks another language with the language switch (a cookie).

    The browser's Accept-Language is ignored: staff on an English-language browser still get the
    municipality's language by default. Runs just before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
