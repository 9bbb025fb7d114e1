from .error_pages import identity_number_in_url, invalid_input, is_api
from .input_checks import problems_in_pairs
from .personal_numbers import in_url


class SwedishUnlessChosen:
    """The UI is Swedish unless the user picks another language with the language switch (a cookie).

    The browser's Accept-Language is ignored: staff on an English-language browser still get the
    municipality's language by default. Runs just before django.middleware.locale.LocaleMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class RefuseUnsafeAddresses:
    """Two checks on every request before anything else reads it.

    A personal identity number never travels in an address: a request whose path or query string holds a
    valid one (typed in the address bar, or a name search given a number) gets a 400 page that does not echo
    it, before any redirect could carry it on in `next=` (login, two-factor) or `APPEND_SLASH`. Access logs
    redact addresses separately (`gunicorn.conf.py`, `utils.logging.RedactRequestLine`).

    A NUL character in the path, the query or a posted form value is a 400 naming the field (PostgreSQL
    refuses NUL in text; that was a 500). The API's bodies are checked by its parsers (`utils.api`).
    Both answer JSON under /api/. Runs before CommonMiddleware and the authentication redirects."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if in_url(request.path, query):
            return identity_number_in_url(request)
        pairs = [("path", request.path), *((k, v) for k, values in request.GET.lists() for v in values)]
        if request.method == "POST" and not is_api(request) and _is_form(request):
            pairs += [(k, v) for k, values in request.POST.lists() for v in values]
        problems = problems_in_pairs(pairs)
        if problems:
            return invalid_input(request, problems)
        return self.get_response(request)


def _is_form(request) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
