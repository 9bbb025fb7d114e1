from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "jobbtorg.followup"
    verbose_name = _("Exits and follow-up")

    def ready(self):
        from . import receivers  # noqa: F401
