from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "jobbtorg.matching"
    verbose_name = _("Matching")

    def ready(self):
        from . import receivers

        receivers.connect()
