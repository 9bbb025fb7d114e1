"""Scheduled: meeting reminders (hourly). Each meeting is reminded once (the reminder is claimed in the
database before it is sent), so a retry or an overlapping run never reminds twice."""

from jobbtorg.background.decorators import task

from .services import appointment_reminders_send


@task(name="attendance.send_meeting_reminders")
def send_meeting_reminders(hours_ahead: int = 24) -> int:
    return appointment_reminders_send(hours_ahead=hours_ahead)
