from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttendanceConfig(AppConfig):
    name = "jobbtorg.attendance"
    verbose_name = _("Attendance and feedback to social services")

    def ready(self):
        from . import receivers  # noqa: F401
