from django.db import models
from django.utils.translation import gettext_lazy as _


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    ABSENT_VALID = "absent_valid", _("Absent with valid reason")
    ABSENT_UNEXCUSED = "absent_unexcused", _("Absent without valid reason")


class ValidReason(models.TextChoices):
    SICK = "sick", _("Sick")
    CARE_OF_CHILD = "child", _("Care of a sick child")
    APPOINTMENT = "appointment", _("Appointment with an authority or health care")
    INTERVIEW = "interview", _("Job interview")
    OTHER = "other", _("Other valid reason")


class EventKind(models.TextChoices):
    INTERRUPTION = "interruption", _("Interruption (avbrott)")
    RESTART = "restart", _("Restart (nystart)")


class NoticeKind(models.TextChoices):
    UNEXCUSED_ABSENCE = "unexcused_absence", _("Absence without valid reason")
    NO_SHOW = "no_show", _("Did not come to a meeting")
    INTERRUPTION = "interruption", _("Interruption")
    RESTART = "restart", _("Restart")
    CERTIFICATE_REQUIRED = "certificate_required", _("Doctor's certificate required")
    MEETING_PROPOSED = "meeting_proposed", _("Three-party meeting proposed")
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn: the referral was closed")


class MeetingStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    BOOKED = "booked", _("Booked")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AppointmentKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual meeting")
    GROUP = "group", _("Group meeting")
    THREE_PARTY = "three_party", _("Three-party meeting")


class InterpreterType(models.TextChoices):
    """How the interpreter of a meeting takes part (tolk på plats, telefontolk, distanstolk via video)."""

    ON_SITE = "on_site", _("Interpreter on site")
    PHONE = "phone", _("Interpreter by phone")
    VIDEO = "video", _("Interpreter by video")


class AppointmentOutcome(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")
    CANCELLED = "cancelled", _("Cancelled")
    EXCUSED = "excused", _("Excused")
