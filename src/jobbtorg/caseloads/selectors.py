"""Caseloads of a unit, for its head: active people per coach (and per counsellor/matcher), overdue plans per
coach, people with no meeting, journal entry or running activity in the last N weeks ("tappas bort"), and the
caseload per coach month by month, read from the history of responsible coaches."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.utils import timezone

from jobbtorg.accounts.selectors import unit_staff
from jobbtorg.attendance.models import Appointment
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.journal.models import JournalEntry
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.deadline import past_due
from jobbtorg.referrals.models import CoachChange, Referral, Substitution

LOST_LIST_LIMIT = 200
HISTORY_MONTHS = 12


def lost_weeks_default() -> int:
    """N of "no activity or meeting in the last N weeks" when the URL does not say (`CASELOAD_LOST_WEEKS`)."""
    return int(getattr(settings, "CASELOAD_LOST_WEEKS", 6))


@dataclass
class StaffLoad:
    user: object
    is_coach: bool
    active: int  # coaches: people they are responsible for; others: people worked with in the window
    overdue_plans: int
    covering: list  # coaches this one stands in for today


def _active_cases(user):
    """The unit's accepted referrals whose basis stands: the people the unit works with now."""
    return Referral.objects.visible_to(user).filter(status=ReferralStatus.ACCEPTED)


def staff_loads(*, user, today: datetime.date | None = None, weeks: int | None = None) -> list[StaffLoad]:
    """One row per active staff member of the head's unit. For a coach: the people they are responsible for
    and how many of those have an action plan past its due date and not in force. For counsellors, matchers
    and the head (no responsibility of their own): the people of the unit they met (organised a meeting) or
    wrote a journal entry about in the last `weeks` weeks."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(weeks=weeks or lost_weeks_default())
    cases = _active_cases(user)
    active = dict(cases.values_list("coach_id").annotate(n=Count("pk")).order_by())
    overdue = dict(
        cases.filter(Q(plan__isnull=True) | Q(plan__current_version__isnull=True))
        .filter(past_due(today))
        .values_list("coach_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    met = Counter()
    for author_id, _person in set(
        JournalEntry.objects.filter(referral__in=cases, occurred_on__gte=since).values_list(
            "author_id", "referral_id"
        )
    ) | set(
        Appointment.objects.filter(referral__in=cases, starts_at__date__gte=since).values_list(
            "organiser_id", "referral_id"
        )
    ):
        met[author_id] += 1
    covering = defaultdict(list)
    for substitution in Substitution.objects.visible_to(user).in_force(today).select_related("coach"):
        covering[substitution.substitute_id].append(substitution.coach)
    rows = []
    for member in unit_staff(user.unit_id):
        is_coach = member.is_job_coach
        rows.append(
            StaffLoad(
                user=member,
                is_coach=is_coach,
                active=active.get(member.pk, 0) if is_coach else met.get(member.pk, 0),
                overdue_plans=overdue.get(member.pk, 0) if is_coach else 0,
                covering=covering.get(member.pk, []),
            )
        )
    return rows


def unassigned_count(*, user) -> int:
    """Accepted people of the unit without a responsible coach (to be assigned)."""
    return _active_cases(user).filter(coach__isnull=True).count()


def lost_people(*, user, today: datetime.date | None = None, weeks: int | None = None):
    """The unit's accepted people who, in the last `weeks` weeks, had no meeting, no journal entry and no
    activity running (a booking that ran during the window), and were accepted before the window began (a
    person accepted last week is not lost yet). Oldest last contact first; at most LOST_LIST_LIMIT."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(weeks=weeks or lost_weeks_default())
    meetings = Appointment.objects.filter(referral=OuterRef("pk"))
    entries = JournalEntry.objects.filter(referral=OuterRef("pk"))
    running = Booking.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=since),
        referral=OuterRef("pk"),
        status__in=[BookingStatus.BOOKED, BookingStatus.ENDED],
        start_date__lte=today,
    )
    return (
        _active_cases(user)
        .filter(accepted_at__date__lt=since)
        .annotate(
            met_recently=Exists(meetings.filter(starts_at__date__gte=since, starts_at__date__lte=today)),
            written_recently=Exists(entries.filter(occurred_on__gte=since)),
            active_recently=Exists(running),
            last_meeting=Subquery(
                meetings.filter(starts_at__date__lte=today).order_by("-starts_at").values("starts_at")[:1]
            ),
            last_entry=Subquery(entries.order_by("-occurred_on").values("occurred_on")[:1]),
        )
        .filter(met_recently=False, written_recently=False, active_recently=False)
        .select_related("participant", "coach")
        .order_by("accepted_at", "pk")[:LOST_LIST_LIMIT]
    )


def people_of(*, user, coach_id: int):
    """The unit's accepted people a coach is responsible for (to pick from when reassigning)."""
    return (
        _active_cases(user)
        .filter(coach_id=coach_id)
        .select_related("participant", "coach")
        .order_by("participant__last_name", "participant__first_name", "pk")[:LOST_LIST_LIMIT]
    )


def _month_ends(today: datetime.date, months: int) -> list[datetime.date]:
    ends = []
    first = today.replace(day=1)
    for _ in range(months):
        ends.append(first - datetime.timedelta(days=1))
        first = (first - datetime.timedelta(days=1)).replace(day=1)
    return list(reversed(ends))


def caseload_over_time(
    *, unit_id: int, today: datetime.date | None = None, months: int = HISTORY_MONTHS
) -> dict:
    """Active people per coach at the end of each of the last `months` months (the current one: today),
    from the history of responsible coaches: a person counts for the coach the latest history row before the
    month's end names (before the first row: that row's "from"), while their referral was accepted and not
    yet closed. A referral with a coach but no history (loaded without the services) counts for its coach
    from acceptance. Staff figures only — no person is named.
    Returns {"months": [date, …], "coaches": {user: [count per month]}}."""
    today = today or timezone.localdate()
    ends = [*_month_ends(today, months - 1), today]  # the end of each past month, and today
    start = ends[0].replace(day=1)
    referrals = list(
        Referral.objects.filter(unit_id=unit_id, accepted_at__isnull=False)
        .filter(Q(closed_at__isnull=True) | Q(closed_at__date__gte=start))
        .values_list("pk", "coach_id", "accepted_at", "closed_at")
    )
    changes = defaultdict(list)
    for referral_id, from_coach_id, to_coach_id, at in (
        CoachChange.objects.filter(referral__in=[r[0] for r in referrals])
        .order_by("at", "id")
        .values_list("referral_id", "from_coach_id", "to_coach_id", "at")
        .iterator()
    ):
        changes[referral_id].append((timezone.localtime(at).date(), from_coach_id, to_coach_id))
    counts = defaultdict(lambda: [0] * len(ends))
    for index, end in enumerate(ends):
        for pk, coach_id, accepted_at, closed_at in referrals:
            if timezone.localtime(accepted_at).date() > end:
                continue
            if closed_at is not None and timezone.localtime(closed_at).date() <= end:
                continue
            history = changes.get(pk)
            if not history:
                holder = coach_id
            else:
                named = [to for day, _from, to in history if day <= end]
                holder = named[-1] if named else history[0][1]  # before the first change: its "from"
            if holder is not None:
                counts[holder][index] += 1
    coaches = {member.pk: member for member in unit_staff(unit_id) if member.pk in counts}
    return {
        "months": ends,
        "coaches": {coaches[pk]: row for pk, row in counts.items() if pk in coaches},
    }
