from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProvidersConfig(AppConfig):
    name = "jobbtorg.providers"
    verbose_name = _("Providers")

    def ready(self):
        from . import receivers  # noqa: F401
