"""Attendance reported per person and day, interruptions and restarts, meetings, and the quick feedback
(snabb återkoppling) they give the caseworker: facts only — the Jobbtorg never decides on benefits."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    AppointmentKind,
    AppointmentOutcome,
    AttendanceStatus,
    EventKind,
    InterpreterType,
    MeetingStatus,
    NoticeKind,
    ValidReason,
)
from .querysets import (
    AppointmentQuerySet,
    BookingFactsQuerySet,
    NoticeQuerySet,
    ReportedAbsenceQuerySet,
    ThreePartyMeetingQuerySet,
)


class AbsenceRules(models.Model):
    """A municipality's absence rules (Nacka's by default)."""

    municipality = models.OneToOneField(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="absence_rules"
    )
    notify_from_absence_day = models.PositiveSmallIntegerField(
        _("report unexcused absence to social services from day"), default=1
    )
    certificate_from_sick_day = models.PositiveSmallIntegerField(
        _("doctor's certificate from sick day"), default=8
    )
    repeated_absence_count = models.PositiveSmallIntegerField(
        _("unexcused absences that trigger a three-party meeting"), default=3
    )
    repeated_absence_window_days = models.PositiveSmallIntegerField(_("within days"), default=30)
    unreported_after_working_days = models.PositiveSmallIntegerField(
        _("flag a day as not reported after working days"), default=1
    )

    class Meta:
        verbose_name = _("absence rules")
        verbose_name_plural = _("absence rules")


class AttendanceReport(models.Model):
    """One person, one booking, one day. A correction replaces the row and is kept in the change log."""

    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="attendance"
    )
    booking = models.ForeignKey("interventions.Booking", on_delete=models.PROTECT, related_name="attendance")
    date = models.DateField(_("date"))
    status = models.CharField(_("attendance"), max_length=20, choices=AttendanceStatus.choices)
    valid_reason = models.CharField(_("reason"), max_length=20, choices=ValidReason.choices, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now=True)

    objects = BookingFactsQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance report")
        verbose_name_plural = _("attendance reports")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["booking", "date"], name="one_report_per_booking_and_day"),
            models.CheckConstraint(
                condition=~models.Q(status="absent_valid") | ~models.Q(valid_reason=""),
                name="valid_absence_has_reason",
                violation_error_message=_("Give the reason for the valid absence."),
            ),
        ]
        indexes = [models.Index(fields=["participant", "date"])]


class AttendanceEvent(models.Model):
    """An interruption (avbrott) or a restart (nystart) of a booking, with its reason."""

    booking = models.ForeignKey(
        "interventions.Booking", on_delete=models.PROTECT, related_name="attendance_events"
    )
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("event"), max_length=20, choices=EventKind.choices)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"))
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)

    objects = BookingFactsQuerySet.as_manager()

    class Meta:
        ordering = ["date", "id"]


class Notice(models.Model):
    """An item in the caseworker's inbox: a fact reported about a person, to be acknowledged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="notices"
    )
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="notices")
    district = models.ForeignKey("accounts.District", on_delete=models.PROTECT, related_name="notices")
    kind = models.CharField(_("kind"), max_length=30, choices=NoticeKind.choices)
    date = models.DateField(_("date"))
    facts = models.TextField(_("facts"))
    source_key = models.CharField(max_length=80, help_text="What raised it, so one fact gives one notice.")
    created_at = models.DateTimeField(auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("notice to social services")
        verbose_name_plural = _("notices to social services")
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["source_key"], name="notice_source_unique")]
        indexes = [models.Index(fields=["district", "acknowledged_at", "-created_at"])]


class ThreePartyMeeting(models.Model):
    """Proposed by the system after repeated absence; tracked until held (participant, provider/coach,
    caseworker)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="three_party_meetings"
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PROPOSED
    )
    appointment = models.ForeignKey(
        "Appointment", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)

    objects = ThreePartyMeetingQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["referral"],
                condition=models.Q(status__in=["proposed", "booked"]),
                name="one_open_three_party_meeting",
            )
        ]


class Appointment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="appointments"
    )
    referral = models.ForeignKey("referrals.Referral", on_delete=models.PROTECT, related_name="appointments")
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=20, choices=AppointmentOutcome.choices, default=AppointmentOutcome.SCHEDULED
    )
    outcome_reason = models.CharField(_("reason"), max_length=300, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    interpreter_needed = models.BooleanField(
        _("needs an interpreter"), default=False, help_text=_("From the mapping when the meeting was booked.")
    )
    interpreter_language = models.CharField(_("interpreter language"), max_length=50, blank=True)
    interpreter_dialect = models.CharField(_("dialect"), max_length=100, blank=True)
    interpreter_type = models.CharField(
        _("interpreter"),
        max_length=10,
        choices=InterpreterType.choices,
        blank=True,
        help_text=_("Empty: no interpreter booked yet."),
    )
    interpreter_note = models.CharField(
        _("interpreter booking"),
        max_length=200,
        blank=True,
        help_text=_("E.g. the agency and its reference."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=~models.Q(place="") | ~models.Q(video_link=""),
                name="appointment_has_place_or_link",
                violation_error_message=_("Give a place or a video link."),
            ),
        ]
        indexes = [
            models.Index(fields=["outcome", "starts_at"]),
            models.Index(fields=["organiser", "starts_at"]),  # "my meetings"
        ]

    @property
    def lacks_interpreter(self) -> bool:
        """The person needs an interpreter and none is booked for the meeting yet."""
        return self.interpreter_needed and not self.interpreter_type


class ReportedAbsence(models.Model):
    """The person's own report, in the portal, that they are away today or on coming days (sick, care of a
    child, other). Providers and the coach see it at once; attendance for those days counts as absence with a
    valid reason, never as unexcused absence (`services.attendance_report`), and the days are not flagged as
    not reported. Never edited: a new report is a new row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="reported_absences"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=ValidReason.choices)
    first_day = models.DateField(_("from"))
    last_day = models.DateField(_("until"))
    note = models.CharField(_("message"), max_length=300, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(_("reported"), auto_now_add=True)

    objects = ReportedAbsenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported absence")
        verbose_name_plural = _("reported absences")
        ordering = ["-first_day", "-reported_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_day__gte=models.F("first_day")), name="absence_last_day_after_first"
            )
        ]
        indexes = [models.Index(fields=["participant", "first_day", "last_day"])]

    def __str__(self):
        return f"{self.get_reason_display()} {self.first_day} – {self.last_day}"
