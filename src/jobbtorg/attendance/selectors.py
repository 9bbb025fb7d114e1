"""Reads for attendance: the week grid of an offering, days not reported, the caseworker's notices."""

import datetime
from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from jobbtorg.accounts.constants import Role
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.utils.workdays import is_working_day

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


def bookings_reportable_by(user, offering: Offering):
    """The people of the offering the user may report for (provider staff: assigned, with consent)."""
    bookings = Booking.objects.filter(
        offering=offering, status__in=[BookingStatus.BOOKED, BookingStatus.ENDED]
    ).select_related("participant", "referral")
    if user.role == Role.PROVIDER_STAFF:
        if offering.provider_id != user.provider_id:
            return bookings.none()
        return bookings.filter(participant__in=Participant.objects.visible_to(user))
    if user.is_unit_staff:
        return bookings.filter(referral__unit_id=user.unit_id)
    return bookings.none()


@dataclass
class GridRow:
    booking: Booking
    cells: list  # (date, report or None, bookable: bool)


def week_grid(*, user, offering: Offering, week_start: datetime.date) -> tuple[list[datetime.date], list[GridRow]]:
    days = [week_start + datetime.timedelta(days=i) for i in range(5)]
    bookings = list(bookings_reportable_by(user, offering).order_by("participant__last_name", "participant__first_name"))
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
            cells.append((day, reports.get((booking.pk, day)), inside and day <= today and is_working_day(day)))
        rows.append(GridRow(booking, cells))
    return days, rows


def unreported_days(*, user, until: datetime.date | None = None, lookback_days: int = 28) -> list[tuple[Booking, datetime.date]]:
    """Working days within bookings the user reports for that have no report yet — flagged to the
    provider (or the coach) to report; never treated as absence."""
    until = until or timezone.localdate() - datetime.timedelta(days=1)
    since = until - datetime.timedelta(days=lookback_days)
    missing = []
    for offering in offerings_reportable_by(user):
        bookings = list(bookings_reportable_by(user, offering).filter(status=BookingStatus.BOOKED))
        reported = set(
            AttendanceReport.objects.filter(booking__in=bookings, date__gte=since, date__lte=until).values_list(
                "booking_id", "date"
            )
        )
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
