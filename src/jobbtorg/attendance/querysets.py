"""Who sees which attendance report, interruption, notice, three-party meeting and appointment — one rule per
model, used by every page, list and endpoint."""

from django.apps import apps
from django.db import models
from django.db.models import Q

from .constants import AppointmentKind, AppointmentOutcome, MeetingStatus


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _visible_people(user):
    return apps.get_model("participants", "Participant").objects.visible_to(user).values("pk")


def _visible_referrals(user):
    return apps.get_model("referrals", "Referral").objects.visible_to(user).values("pk")


def _visible_bookings(user):
    return apps.get_model("interventions", "Booking").objects.visible_to(user).values("pk")


class BookingFactsQuerySet(models.QuerySet):
    """Attendance reports and interruptions/restarts are facts about one booking: whoever sees the booking
    (`Booking.objects.visible_to`: the unit's staff, the district's caseworker, the provider's staff for the
    people visible to them, the person) sees them."""

    def visible_to(self, user) -> "BookingFactsQuerySet":
        if not _active(user):
            return self.none()
        return self.filter(booking__in=_visible_bookings(user))


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "NoticeQuerySet":
        """Notices go to social services: a caseworker sees their own district's; nobody else."""
        if not (_active(user) and user.is_caseworker):
            return self.none()
        return self.filter(district_id=user.district_id)

    def open(self) -> "NoticeQuerySet":
        return self.filter(acknowledged_at__isnull=True)


class ThreePartyMeetingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ThreePartyMeetingQuerySet":
        """Of the people the user works with: a caseworker's district, a Jobbtorg unit's referrals, a
        provider's visible (assigned, consenting) people."""
        if not _active(user):
            return self.none()
        if user.is_caseworker:
            return self.filter(referral__in=_visible_referrals(user))
        if user.is_unit_staff:
            return self.filter(referral__in=_visible_referrals(user))
        if user.is_provider_staff:
            return self.filter(participant__in=_visible_people(user))
        return self.none()

    def open(self) -> "ThreePartyMeetingQuerySet":
        """Not yet held or cancelled."""
        return self.filter(status__in=[MeetingStatus.PROPOSED, MeetingStatus.BOOKED])


class AppointmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AppointmentQuerySet":
        """Jobbtorg staff: meetings with the people referred to their unit; a caseworker: their district's;
        provider staff: meetings their organisation booked and three-party meetings, with people still
        visible to them; a person: their own."""
        if not _active(user):
            return self.none()
        if user.is_unit_staff:
            return self.filter(referral__in=_visible_referrals(user))
        if user.is_caseworker:
            return self.filter(referral__in=_visible_referrals(user))
        if user.is_provider_staff:
            return self.filter(
                Q(provider_id=user.provider_id) | Q(kind=AppointmentKind.THREE_PARTY),
                participant__in=_visible_people(user),
            )
        if user.is_participant:
            return self.filter(participant_id=user.participant_id)
        return self.none()

    def lacking_interpreter(self, now) -> "AppointmentQuerySet":
        """Upcoming scheduled meetings with a person who needs an interpreter, none booked yet."""
        return self.filter(
            outcome=AppointmentOutcome.SCHEDULED,
            starts_at__gte=now,
            interpreter_needed=True,
            interpreter_type="",
        )


class ReportedAbsenceQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReportedAbsenceQuerySet":
        """The person sees their own reports; Jobbtorg staff with `attendance.view_reportedabsence` (coach,
        counsellor, unit head) and provider staff see those of the people they work with
        (`Participant.objects.visible_to`); nobody else (a valid absence is no news for social services)."""
        if not _active(user):
            return self.none()
        if user.is_participant:
            return self.filter(participant_id=user.participant_id)
        if (user.is_unit_staff or user.is_provider_staff) and user.has_perm(
            "attendance.view_reportedabsence"
        ):
            return self.filter(participant__in=_visible_people(user))
        return self.none()

    def covering(self, day) -> "ReportedAbsenceQuerySet":
        return self.filter(first_day__lte=day, last_day__gte=day)

    def current(self, today) -> "ReportedAbsenceQuerySet":
        """Today's and coming absences."""
        return self.filter(last_day__gte=today)
