from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "jobbtorg.identity"
    verbose_name = _("Sign-in and integration accounts")

    def ready(self):
        from . import schema  # noqa: F401  (registers the token's OpenAPI security scheme)
