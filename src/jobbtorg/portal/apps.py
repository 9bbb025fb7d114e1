from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "jobbtorg.portal"
    verbose_name = _("Participant view")

    def ready(self):
        from . import receivers  # noqa: F401
