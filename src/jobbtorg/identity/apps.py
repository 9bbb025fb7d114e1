from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "jobbtorg.identity"
    verbose_name = _("Sign-in and integration accounts")

    def ready(self):
        from . import schema, signals  # noqa: F401  (the token's OpenAPI scheme; the sign-in log)
