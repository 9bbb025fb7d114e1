"""Reads for the participant view. Every function takes the person (resolved by `participant_required`) and
reads only that person's own data."""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone

from jobbtorg.attendance.constants import AppointmentOutcome
from jobbtorg.attendance.models import Appointment
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.models import Consent, Participant
from jobbtorg.participants.selectors import consent_current
from jobbtorg.plans.models import ActionPlan
from jobbtorg.plans.selectors import WeekLoad, week_load, work_capacity_of
from jobbtorg.providers.constants import ChoiceStatus
from jobbtorg.providers.models import Assignment, ChoiceRequest
from jobbtorg.referrals.constants import OPEN_STATUSES

WORKDAYS = 5


def plans_in_force(*, participant: Participant) -> list[ActionPlan]:
    """The person's approved action plans in force (one per open referral; usually just one)."""
    return list(
        ActionPlan.objects.filter(
            participant=participant, current_version__isnull=False, referral__status__in=OPEN_STATUSES
        )
        .select_related("current_version", "referral__unit", "referral__coach", "referral__mapping")
        .order_by("-first_approved_at")
    )


@dataclass
class ScheduleItem:
    title: str
    description: str = ""
    hours: Decimal | None = None  # about this many hours that day
    place: str = ""
    organiser: str = ""
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    video_link: str = ""
    is_meeting: bool = False


@dataclass
class ScheduleDay:
    date: datetime.date
    items: list[ScheduleItem] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((item.hours for item in self.items if item.hours), Decimal(0))


@dataclass
class WeekSchedule:
    week_start: datetime.date
    days: list[ScheduleDay]
    load: WeekLoad | None

    @property
    def previous_week(self) -> datetime.date:
        return self.week_start - datetime.timedelta(days=7)

    @property
    def next_week(self) -> datetime.date:
        return self.week_start + datetime.timedelta(days=7)


def monday_of(day: datetime.date) -> datetime.date:
    return day - datetime.timedelta(days=day.weekday())


def _date(value) -> datetime.date | None:
    if not value:
        return None
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(value)


def _on(day: datetime.date, start, end) -> bool:
    start, end = _date(start), _date(end)
    return start is not None and start <= day and (end is None or end >= day)


def _per_day(hours_per_week) -> Decimal:
    return (Decimal(str(hours_per_week)) / WORKDAYS).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def week_schedule(
    *, participant: Participant, plans: list[ActionPlan], week_start: datetime.date
) -> WeekSchedule:
    """Monday to Friday of the week: the activities of the approved plans (hours spread over the five days),
    where the booked places are, and the meetings; the week's planned hours against full time at the
    person's work capacity."""
    week_start = monday_of(week_start)
    friday = week_start + datetime.timedelta(days=WORKDAYS - 1)
    activities = [a for plan in plans for a in plan.current_version.content.get("activities", [])]
    bookings = list(
        Booking.objects.filter(participant=participant, status=BookingStatus.BOOKED, start_date__lte=friday)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=week_start))
        .select_related("offering__intervention_type", "offering__provider")
    )
    meetings = list(
        Appointment.objects.filter(
            participant=participant,
            starts_at__date__gte=week_start,
            starts_at__date__lte=friday,
        )
        .exclude(outcome=AppointmentOutcome.CANCELLED)
        .select_related("organiser", "provider")
        .order_by("starts_at")
    )
    days = []
    for offset in range(WORKDAYS):
        day = week_start + datetime.timedelta(days=offset)
        items = []
        booked_today = [b for b in bookings if _on(day, b.start_date, b.end_date)]
        matched = set()
        for activity in activities:
            if not _on(day, activity.get("start_date"), activity.get("end_date")):
                continue
            booking = next(
                (
                    b
                    for b in booked_today
                    if b.offering.intervention_type.code == activity.get("intervention_type")
                    and b.pk not in matched
                ),
                None,
            )
            if booking is not None:
                matched.add(booking.pk)
            items.append(
                ScheduleItem(
                    title=activity.get("intervention_name") or activity.get("intervention_type", ""),
                    description=activity.get("description") or (booking.offering.name if booking else ""),
                    hours=_per_day(activity.get("hours_per_week") or 0),
                    place=_place(booking),
                )
            )
        for booking in booked_today:
            if booking.pk not in matched:
                items.append(
                    ScheduleItem(
                        title=booking.offering.intervention_type.display_name,
                        description=booking.offering.name,
                        hours=_per_day(booking.offering.hours_per_week),
                        place=_place(booking),
                    )
                )
        for meeting in meetings:
            if timezone.localdate(meeting.starts_at) == day:
                items.append(
                    ScheduleItem(
                        title=meeting.get_kind_display(),
                        starts_at=meeting.starts_at,
                        ends_at=meeting.ends_at,
                        place=meeting.place,
                        video_link=meeting.video_link,
                        organiser=str(meeting.provider or meeting.organiser),
                        is_meeting=True,
                    )
                )
        days.append(ScheduleDay(day, items))
    load = None
    if plans:
        load = week_load(
            activities=activities, work_capacity=work_capacity_of(plans[0]), week_start=week_start
        )
    return WeekSchedule(week_start, days, load)


def _place(booking: Booking | None) -> str:
    if booking is None:
        return ""
    offering = booking.offering
    parts = [offering.place, offering.provider.name if offering.provider else offering.city_unit_name]
    return ", ".join(part for part in parts if part)


def upcoming_meetings(*, participant: Participant, now: datetime.datetime | None = None, limit: int = 10):
    now = now or timezone.now()
    return list(
        Appointment.objects.filter(
            participant=participant, outcome=AppointmentOutcome.SCHEDULED, ends_at__gte=now
        )
        .select_related("organiser", "provider")
        .order_by("starts_at")[:limit]
    )


def current_providers(*, participant: Participant) -> list[Assignment]:
    return list(
        Assignment.objects.current()
        .filter(participant=participant)
        .select_related("provider", "intervention_type")
        .order_by("start_date")
    )


def open_choices(*, participant: Participant) -> list[ChoiceRequest]:
    return list(
        ChoiceRequest.objects.filter(participant=participant, status=ChoiceStatus.OPEN)
        .select_related("intervention_type")
        .order_by("deadline")
    )


# The scopes the person manages in the portal (each has its explanation in the participant languages). The
# consents with health care and the samordningsförbund (ADR 19) are recorded by the caseworker until their
# texts are translated.
PORTAL_SCOPES = (
    ConsentScope.DISTRICT_JOBBTORG,
    ConsentScope.JOBBTORG_PROVIDER,
    ConsentScope.EMPLOYMENT_SERVICE,
    ConsentScope.SOCIAL_INSURANCE,
    ConsentScope.ADULT_EDUCATION,
)


def consents(*, participant: Participant) -> list[tuple[str, Consent | None]]:
    """Each consent scope of the portal with the decision in force (None: never asked)."""
    return [(scope, consent_current(participant=participant, scope=scope)) for scope in PORTAL_SCOPES]
