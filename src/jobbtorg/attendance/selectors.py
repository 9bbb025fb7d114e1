"""Reads for attendance: the week grid of an offering, days not reported, the caseworker's notices."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.providers.models import Assignment
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.workdays import is_working_day

from .models import (
    Appointment,
    AttendanceEvent,
    AttendanceReport,
    Notice,
    ReportedAbsence,
    ThreePartyMeeting,
)


def bookings_reportable_by(user, offering: Offering | None = None):
    """The places the user may report attendance for (`Booking.objects.reportable_by`: provider staff for
    people assigned to them with consent, Jobbtorg staff for people of their unit), in one offering or in all
    the offerings they report for."""
    bookings = (
        Booking.objects.reportable_by(user)
        .filter(status__in=[BookingStatus.BOOKED, BookingStatus.ENDED])
        .select_related("participant", "referral", "offering__intervention_type")
    )
    return bookings if offering is None else bookings.filter(offering=offering)


@dataclass
class GridRow:
    booking: Booking
    cells: list  # (date, report or None, bookable: bool)
    absent: dict = field(default_factory=dict)  # date -> the person's own ReportedAbsence


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
    away = _reported_absence_days(bookings, days[0], days[-1])
    rows = []
    for booking in bookings:
        cells = []
        for day in days:
            inside = day >= booking.start_date and (booking.end_date is None or day <= booking.end_date)
            cells.append(
                (day, reports.get((booking.pk, day)), inside and day <= today and is_working_day(day))
            )
        absent = {
            day: away[(booking.participant_id, day)] for day in days if (booking.participant_id, day) in away
        }
        rows.append(GridRow(booking, cells, absent))
    return days, rows


def unreported_days(
    *, user, until: datetime.date | None = None, lookback_days: int = 28
) -> list[tuple[Booking, datetime.date]]:
    """Working days within bookings the user reports for that have no report yet — flagged to the
    provider (or the coach) to report; never treated as absence."""
    until = until or timezone.localdate() - datetime.timedelta(days=1)
    since = until - datetime.timedelta(days=lookback_days)
    # Only the bookings that overlap the window can have a day missing: a provider's ended bookings of
    # earlier years are not loaded at all (at national scale they were most of the rows on every start page).
    bookings = list(
        bookings_reportable_by(user)
        .filter(status=BookingStatus.BOOKED, start_date__lte=until)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=since))
        .order_by("offering_id", "pk")
    )
    reported = set(
        AttendanceReport.objects.filter(
            booking__in=[b.pk for b in bookings], date__gte=since, date__lte=until
        ).values_list("booking_id", "date")
    )
    away = _reported_absence_days(bookings, since, until)
    # The window's working days, once (not once per booking and day: ~400 bookings × 28 days on a provider's
    # start page at national scale).
    working_days = [
        since + datetime.timedelta(days=n)
        for n in range((until - since).days + 1)
        if is_working_day(since + datetime.timedelta(days=n))
    ]
    missing = []
    for booking in bookings:
        first, last = booking.start_date, booking.end_date or until
        missing.extend(
            (booking, day)
            for day in working_days
            if first <= day <= last
            and (booking.pk, day) not in reported
            and (booking.participant_id, day) not in away
        )
    return missing


def _reported_absence_days(bookings, since: datetime.date, until: datetime.date) -> dict:
    """(person id, day) → the person's own report of absence covering that day (never "not reported")."""
    days = {}
    absences = ReportedAbsence.objects.filter(
        participant__in={b.participant_id for b in bookings}, first_day__lte=until, last_day__gte=since
    ).order_by("reported_at")
    for absence in absences:
        day = max(absence.first_day, since)
        while day <= min(absence.last_day, until):
            days[(absence.participant_id, day)] = absence
            day += datetime.timedelta(days=1)
    return days


def reported_absences_for(user, *, today: datetime.date | None = None):
    """Today's and coming absences the people reported themselves, of the people the user works with."""
    today = today or timezone.localdate()
    return (
        ReportedAbsence.objects.visible_to(user)
        .current(today)
        .select_related("participant")
        .order_by("first_day", "participant__last_name")
    )


def notices_for(user, *, open_only: bool = False):
    """The caseworker's inbox of notices (`Notice.objects.visible_to`), with what the pages show."""
    notices = Notice.objects.visible_to(user).select_related("participant", "referral")
    return notices.open() if open_only else notices


# Web UI reads (attendance pages) ----------------------------------------------------------------------------


def open_meetings_for(user) -> QuerySet:
    """Three-party meetings not yet held or cancelled, of the people the user works with
    (`ThreePartyMeeting.objects.visible_to`)."""
    return (
        ThreePartyMeeting.objects.visible_to(user)
        .open()
        .select_related("participant", "referral", "appointment")
        .order_by("proposed_at")
    )


def appointments_for(user) -> QuerySet:
    """The meetings pages: the API's rule (`Appointment.objects.visible_to`) with what the pages show."""
    return Appointment.objects.visible_to(user).select_related(
        "participant", "referral", "organiser", "provider"
    )


def own_appointments(appointments: QuerySet, user) -> QuerySet:
    """Of `appointments`, those the user organised or that are with their own cases (the referrals they are
    the responsible coach of, and those of a coach they stand in for today: `Referral.objects.responsible`).
    The two are gathered apart and united (each by its own index: organiser; the referrals), not as one OR
    across the join to referrals, which made the planner walk every referral of the unit (issue 15)."""
    own_cases = Referral.objects.responsible(user).values("pk")
    own = (
        Appointment.objects.filter(organiser=user)
        .order_by()
        .values("pk")
        .union(Appointment.objects.filter(referral__in=own_cases).order_by().values("pk"))
    )
    return appointments.filter(pk__in=own)


def last_events(bookings) -> dict:
    """The latest interruption or restart per booking (booking id → AttendanceEvent)."""
    latest = {}
    for event in AttendanceEvent.objects.filter(booking__in=bookings).order_by("date", "id"):
        latest[event.booking_id] = event
    return latest


def referrals_for_meetings(user):
    """Referrals the user may book meetings for: Jobbtorg staff their unit's; provider staff those of the
    people visible to them with a current assignment to their organisation."""
    if not (user.is_authenticated and user.is_active):
        return Referral.objects.none()
    if user.is_unit_staff:
        return Referral.objects.visible_to(user)
    if user.is_provider_staff:
        assigned = Assignment.objects.current().filter(provider_id=user.provider_id)
        return Referral.objects.filter(
            participant__in=Participant.objects.visible_to(user).values("pk"),
            pk__in=assigned.values("referral_id"),
        )
    return Referral.objects.none()
