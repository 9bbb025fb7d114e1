"""Reads for mappings and plans: weekly hours against work capacity, the coach's worklist, the inbox."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from jobbtorg.referrals.constants import OPEN_STATUSES, ReferralStatus
from jobbtorg.referrals.deadline import due_on, past_due, share_in_time
from jobbtorg.referrals.models import Referral

from .constants import FULL_TIME_HOURS, PlanStatus
from .models import ActionPlan


@dataclass(frozen=True)
class WeekLoad:
    week_start: datetime.date
    planned_hours: Decimal
    required_hours: Decimal
    work_capacity: int

    @property
    def is_full(self) -> bool:
        return self.planned_hours >= self.required_hours

    @property
    def missing_hours(self) -> Decimal:
        return max(self.required_hours - self.planned_hours, Decimal(0))


def work_capacity_of(plan: ActionPlan) -> int:
    mapping = getattr(plan.referral, "mapping", None)
    if mapping is not None:
        return mapping.work_capacity
    return plan.participant.work_capacity or 100


def week_load(*, activities, work_capacity: int, week_start: datetime.date) -> WeekLoad:
    """Hours planned in the week starting `week_start` (activities overlapping it) against a full day for
    the person's work capacity (40 h × capacity)."""
    week_end = week_start + datetime.timedelta(days=6)
    planned = sum(
        (
            Decimal(a["hours_per_week"] if isinstance(a, dict) else a.hours_per_week)
            for a in activities
            if _overlaps(a, week_start, week_end)
        ),
        Decimal(0),
    )
    required = Decimal(FULL_TIME_HOURS * work_capacity) / 100
    return WeekLoad(week_start, planned, required, work_capacity)


def _overlaps(activity, week_start, week_end) -> bool:
    get = activity.get if isinstance(activity, dict) else lambda k: getattr(activity, k)
    start, end = get("start_date"), get("end_date")
    if isinstance(start, str):
        start = datetime.date.fromisoformat(start)
    if isinstance(end, str) and end:
        end = datetime.date.fromisoformat(end)
    return start <= week_end and (not end or end >= week_start)


def plan_week_load(plan: ActionPlan, week_start: datetime.date | None = None) -> WeekLoad:
    """The load of the plan's first planned week (or the given one), Monday-based."""
    activities = list(plan.activities.all())
    if week_start is None:
        first = min((a.start_date for a in activities), default=timezone.localdate())
        week_start = first - datetime.timedelta(days=first.weekday())
    return week_load(activities=activities, work_capacity=work_capacity_of(plan), week_start=week_start)


def _without_plan_in_force(referrals):
    return referrals.filter(Q(plan__isnull=True) | Q(plan__current_version__isnull=True))


def coach_worklist(*, user, today: datetime.date | None = None) -> dict:
    """New referrals, plans due today, overdue plans, plans returned, and the share approved in time."""
    today = today or timezone.localdate()
    referrals = Referral.objects.visible_to(user).select_related("participant", "district", "coach")
    open_referrals = referrals.filter(status__in=OPEN_STATUSES)
    without_plan_in_force = _without_plan_in_force(open_referrals).select_related("plan")
    return {
        "new_referrals": list(
            open_referrals.filter(status=ReferralStatus.RECEIVED).order_by("referral_date")[:50]
        ),
        "due_today": list(without_plan_in_force.filter(due_on(today)).order_by("referral_date")[:50]),
        "overdue": list(without_plan_in_force.filter(past_due(today)).order_by("plan_due_date")[:50]),
        "returned": list(
            open_referrals.filter(plan__status=PlanStatus.RETURNED).order_by("plan_due_date")[:50]
        ),
        "deadline": plan_deadline_share(referrals=referrals, today=today),
    }


DEADLINE_WINDOW_DAYS = 365


def plan_deadline_share(
    *, referrals, today: datetime.date | None = None, window_days: int | None = None
) -> dict:
    """Of the referrals of the last `window_days` (default a year) that count for the deadline (plan approved
    or due date passed; referrals.deadline): the share approved in time. Bounded, so the figure and its cost
    do not grow with the years."""
    today = today or timezone.localdate()
    since = today - datetime.timedelta(days=window_days or DEADLINE_WINDOW_DAYS)
    return share_in_time(referrals.filter(referral_date__gte=since), today=today)


def caseworker_inbox(*, user) -> dict:
    referrals = Referral.objects.visible_to(user).select_related("participant", "unit")
    return {
        "plans_to_decide": list(
            ActionPlan.objects.visible_to(user)
            .filter(status=PlanStatus.PROPOSED)
            .select_related("participant", "referral__unit")
            .order_by("referral__plan_due_date")[:100]
        ),
        "referrals_open": list(referrals.filter(status__in=OPEN_STATUSES).order_by("-referral_date")[:100]),
        "referrals_returned": list(
            referrals.filter(status=ReferralStatus.RETURNED).order_by("-updated_at")[:50]
        ),
    }


# The menu's counts of what waits (issue 16): one COUNT each, run on every page of the roles that see them.


def overdue_plan_count(*, user, today: datetime.date | None = None) -> int:
    """Open referrals of the worklist whose plan is past its due date and not in force (the worklist's
    "overdue" section, counted)."""
    open_referrals = Referral.objects.visible_to(user).filter(status__in=OPEN_STATUSES)
    return _without_plan_in_force(open_referrals).filter(past_due(today or timezone.localdate())).count()


def plans_to_decide_count(*, user) -> int:
    """Proposed plans waiting for the caseworker's decision (the inbox's first section, counted)."""
    return ActionPlan.objects.visible_to(user).filter(status=PlanStatus.PROPOSED).count()
