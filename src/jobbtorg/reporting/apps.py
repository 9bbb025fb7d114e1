from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "jobbtorg.reporting"
    verbose_name = _("Key indicators and follow-up")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers, sql

        receivers.connect()
        sql.connect()
