"""Reads for attendance: the week grid of an offering, days not reported, the caseworker's notices."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.workdays import is_working_day

from .constants import AppointmentKind
from .models import AttendanceReport, Notice


def offerings_reportable_by(user):
    """Offerings whose attendance the user reports: their provider's, or their unit's and those with people
    of their unit booked."""
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        return Offering.objects.filter(provider_id=user.provider_id)
    if user.is_unit_staff and user.unit_id:
        return Offering.objects.filter(
            Q(unit_id=user.unit_id) | Q(bookings__referral__unit_id=user.unit_id)
        ).distinct()
    return Offering.objects.none()


def bookings_reportable_by(user, offering: Offering | None = None):
    """The people the user may report for (provider staff: assigned, with consent), in one offering or in all
    the offerings they report for."""
    bookings = Booking.objects.filter(status__in=[BookingStatus.BOOKED, BookingStatus.ENDED]).select_related(
        "participant", "referral", "offering__intervention_type"
    )
    if offering is not None:
        bookings = bookings.filter(offering=offering)
    if user.role == Role.PROVIDER_STAFF:
        if not user.provider_id or (offering is not None and offering.provider_id != user.provider_id):
            return bookings.none()
        return bookings.filter(
            offering__provider_id=user.provider_id, participant__in=Participant.objects.visible_to(user)
        )
    if user.is_unit_staff:
        return bookings.filter(referral__in=Referral.objects.visible_to(user))
    return bookings.none()


@dataclass
class GridRow:
    booking: Booking
    cells: list  # (date, report or None, bookable: bool)


def week_grid(
    *, user, offering: Offering, week_start: datetime.date
) -> tuple[list[datetime.date], list[GridRow]]:
    days = [week_start + datetime.timedelta(days=i) for i in range(5)]
    bookings = list(
        bookings_reportable_by(user, offering).order_by("participant__last_name", "participant__first_name")
    )
    reports = {
        (r.booking_id, r.date): r
        for r in AttendanceReport.objects.filter(booking__in=bookings, date__in=days)
    }
    today = timezone.localdate()
    rows = []
    for booking in bookings:
        cells = []
        for day in days:
            inside = day >= booking.start_date and (booking.end_date is None or day <= booking.end_date)
            cells.append(
                (day, reports.get((booking.pk, day)), inside and day <= today and is_working_day(day))
            )
        rows.append(GridRow(booking, cells))
    return days, rows


def unreported_days(
    *, user, until: datetime.date | None = None, lookback_days: int = 28
) -> list[tuple[Booking, datetime.date]]:
    """Working days within bookings the user reports for that have no report yet — flagged to the
    provider (or the coach) to report; never treated as absence."""
    until = until or timezone.localdate() - datetime.timedelta(days=1)
    since = until - datetime.timedelta(days=lookback_days)
    bookings = list(
        bookings_reportable_by(user).filter(status=BookingStatus.BOOKED).order_by("offering_id", "pk")
    )
    reported = set(
        AttendanceReport.objects.filter(
            booking__in=[b.pk for b in bookings], date__gte=since, date__lte=until
        ).values_list("booking_id", "date")
    )
    missing = []
    for booking in bookings:
        day = max(booking.start_date, since)
        last = min(until, booking.end_date) if booking.end_date else until
        while day <= last:
            if is_working_day(day) and (booking.pk, day) not in reported:
                missing.append((booking, day))
            day += datetime.timedelta(days=1)
    return missing


def notices_for(user, *, open_only: bool = False):
    if user.role != Role.CASEWORKER or not user.district_id:
        return Notice.objects.none()
    notices = Notice.objects.filter(district_id=user.district_id).select_related("participant", "referral")
    if open_only:
        notices = notices.filter(acknowledged_at__isnull=True)
    return notices


# Web UI reads (attendance pages) ----------------------------------------------------------------------------


def open_meetings_for(user) -> QuerySet:
    """Three-party meetings not yet held or cancelled, of the people the user works with: a caseworker's
    district, a Jobbtorg unit's referrals, a provider's visible (assigned, consenting) people."""
    from .constants import MeetingStatus
    from .models import ThreePartyMeeting

    meetings = (
        ThreePartyMeeting.objects.filter(status__in=[MeetingStatus.PROPOSED, MeetingStatus.BOOKED])
        .select_related("participant", "referral", "appointment")
        .order_by("proposed_at")
    )
    if user.role == Role.CASEWORKER and user.district_id:
        return meetings.filter(referral__district_id=user.district_id)
    if user.is_unit_staff and user.unit_id:
        return meetings.filter(referral__in=Referral.objects.visible_to(user))
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        return meetings.filter(participant__in=Participant.objects.visible_to(user))
    return meetings.none()


def appointments_for(user) -> QuerySet:
    """The meetings pages: the same rule as the API (`appointments_visible_to`), with what the pages show."""
    return appointments_visible_to(user).select_related("participant", "referral", "organiser", "provider")


def last_events(bookings) -> dict:
    """The latest interruption or restart per booking (booking id → AttendanceEvent)."""
    from .models import AttendanceEvent

    latest = {}
    for event in AttendanceEvent.objects.filter(booking__in=bookings).order_by("date", "id"):
        latest[event.booking_id] = event
    return latest


# Scoping for the API (added with the issue-3 REST API) ------------------------------------------------------


def bookings_reportable(user):
    """Every booking the user may report attendance for, in any offering — the rule of services.can_report:
    provider staff for people in their organisation's offerings who are visible to them (assigned, with
    consent); Jobbtorg staff for people referred to their unit."""
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        return Booking.objects.filter(
            offering__provider_id=user.provider_id, participant__in=Participant.objects.visible_to(user)
        )
    if user.is_unit_staff and user.unit_id:
        return Booking.objects.filter(referral__in=Referral.objects.visible_to(user))
    return Booking.objects.none()


def referrals_for_meetings(user):
    """Referrals the user may book meetings for: Jobbtorg staff their unit's; provider staff those of the
    people visible to them with a current assignment to their organisation."""
    from jobbtorg.providers.models import Assignment

    if user.is_unit_staff and user.unit_id:
        return Referral.objects.visible_to(user)
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        assigned = Assignment.objects.current().filter(provider_id=user.provider_id)
        return Referral.objects.filter(
            participant__in=Participant.objects.visible_to(user),
            pk__in=assigned.values("referral_id"),
        )
    return Referral.objects.none()


def appointments_visible_to(user):
    """Jobbtorg staff: meetings with the people referred to their unit; a caseworker: their district's;
    provider staff: meetings their organisation booked and three-party meetings, with people still visible
    to them; a person: their own. The one rule for pages and API."""
    from .models import Appointment

    if not (user.is_authenticated and user.is_active):
        return Appointment.objects.none()
    if user.is_unit_staff and user.unit_id:
        return Appointment.objects.filter(referral__in=Referral.objects.visible_to(user))
    if user.role == Role.CASEWORKER and user.district_id:
        return Appointment.objects.filter(referral__district_id=user.district_id)
    if user.role == Role.PROVIDER_STAFF and user.provider_id:
        return Appointment.objects.filter(
            Q(provider_id=user.provider_id) | Q(kind=AppointmentKind.THREE_PARTY),
            participant__in=Participant.objects.visible_to(user),
        )
    if getattr(user, "participant_id", None):
        return Appointment.objects.filter(participant_id=user.participant_id)
    return Appointment.objects.none()
