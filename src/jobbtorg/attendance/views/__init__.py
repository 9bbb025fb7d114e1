"""Attendance pages, split by action: the provider's start page and the days not reported, the week grid,
the CSV upload, the caseworker's notices and the appointments."""

from .appointment_views import appointment_interpreter, appointment_new, appointment_outcome, appointments
from .home_views import provider_home, unreported
from .notice_views import notice_acknowledge, notices
from .upload_views import upload, upload_template
from .week_views import event_record, week

__all__ = [
    "appointment_interpreter",
    "appointment_new",
    "appointment_outcome",
    "appointments",
    "event_record",
    "notice_acknowledge",
    "notices",
    "provider_home",
    "unreported",
    "upload",
    "upload_template",
    "week",
]
