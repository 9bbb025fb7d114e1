"""The action-plan deadline — the one module that decides it.

The rule (DOMAIN.md, the five-day guarantee): the action plan of a referral is due on the fifth working day
after the referral date (`plan_due_date`; Swedish working days, utils.workdays; the referral date is day 0).
A plan is *approved in time* when the local date of its first approval is on or before the due date — an
approval on the due day counts. A referral *counts* towards the share approved in time once its plan is
approved or its due date has passed (before that it is "not due yet"). An unapproved plan is *overdue* the
day after the due date; `overdue_days` counts the working days since.

Every reader asks here: the referral service sets the due date, the plan page and the worklist show the state
(`deadline_state`), the worklist's share and every queryset use `annotate_deadline`, and the indicator rollup
stores the verdict of `approved_in_time_expression` (reporting_case.plan_in_time) so the dashboard and the
research extract read a column instead of judging again.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Expression,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import TruncDate
from django.db.models.lookups import IsNull, LessThanOrEqual
from django.utils import timezone

from jobbtorg.utils.workdays import add_working_days, working_days_between


def working_days() -> int:
    """How many working days the unit has (setting JOBBTORG_PLAN_DEADLINE_WORKING_DAYS, 5)."""
    return settings.JOBBTORG_PLAN_DEADLINE_WORKING_DAYS


def plan_due_date(referral_date: datetime.date) -> datetime.date:
    """The day the action plan is due: the fifth working day after the referral date."""
    return add_working_days(referral_date, working_days())


def approved_on(approved_at: datetime.datetime | None) -> datetime.date | None:
    """The local (Swedish) date of an approval moment."""
    return None if approved_at is None else timezone.localdate(approved_at)


def is_approved_in_time(*, due: datetime.date, approved_at: datetime.datetime | None) -> bool | None:
    """True: approved on or before the due day; False: approved after it; None: not approved (yet)."""
    day = approved_on(approved_at)
    return None if day is None else day <= due


def counts(*, due: datetime.date, approved_at: datetime.datetime | None, today: datetime.date) -> bool:
    """Whether the referral counts towards the share approved in time: approved, or the due date passed."""
    return approved_at is not None or due < today


def overdue_days(*, due: datetime.date, today: datetime.date) -> int:
    """Working days after the due date up to today (0 until the deadline has passed)."""
    return working_days_between(due, today) if today > due else 0


@dataclass(frozen=True)
class DeadlineState:
    due: datetime.date
    approved_on: datetime.date | None
    in_time: bool | None  # None: not approved
    overdue: bool  # not approved, and the due date has passed
    overdue_days: int  # working days since the due date, of a plan not approved yet
    due_today: bool


def deadline_state(
    *, due: datetime.date, approved_at: datetime.datetime | None, today: datetime.date | None = None
) -> DeadlineState:
    """How a plan stands against its deadline, for the plan page and the worklist."""
    today = today or timezone.localdate()
    in_time = is_approved_in_time(due=due, approved_at=approved_at)
    return DeadlineState(
        due=due,
        approved_on=approved_on(approved_at),
        in_time=in_time,
        overdue=in_time is None and due < today,
        overdue_days=0 if in_time is not None else overdue_days(due=due, today=today),
        due_today=in_time is None and today == due,
    )


# The same rule as query expressions ----------------------------------------------------------------------


def approved_in_time_expression(
    approved_on: str | Expression, due: str | Expression = "plan_due_date"
) -> Case:
    """True / False / NULL (not approved) from a date of approval and a due date (field names or
    expressions): the query form of `is_approved_in_time`."""
    approved = F(approved_on) if isinstance(approved_on, str) else approved_on
    due = F(due) if isinstance(due, str) else due
    return Case(
        When(IsNull(approved, True), then=Value(None)),
        When(LessThanOrEqual(approved, due), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(null=True),
    )


def counts_expression(*, approved_on: str | Expression, today: datetime.date) -> Q:
    """The query form of `counts`: approved, or the due date (`plan_due_date`) before `today`."""
    approved = F(approved_on) if isinstance(approved_on, str) else approved_on
    return Q(IsNull(approved, False)) | past_due(today)


def due_on(today: datetime.date) -> Q:
    """Referrals whose plan is due on `today`."""
    return Q(plan_due_date=today)


def past_due(today: datetime.date) -> Q:
    """Referrals whose due date has passed by `today` (overdue when the plan is not yet approved)."""
    return Q(plan_due_date__lt=today)


def annotate_deadline(referrals: QuerySet, *, today: datetime.date | None = None) -> QuerySet:
    """Referrals with `plan_approved_on` (local date of the plan's first approval), `approved_in_time`
    (True / False / None), `deadline_counts` and `overdue` (not approved and past the due date), as of
    `today`."""
    today = today or timezone.localdate()
    referrals = referrals.annotate(plan_approved_on=TruncDate("plan__first_approved_at"))
    return referrals.annotate(
        approved_in_time=approved_in_time_expression("plan_approved_on"),
        deadline_counts=ExpressionWrapper(
            counts_expression(approved_on="plan_approved_on", today=today), output_field=BooleanField()
        ),
        overdue=ExpressionWrapper(
            Q(plan_approved_on__isnull=True) & past_due(today), output_field=BooleanField()
        ),
    )


def share_in_time(referrals: QuerySet, *, today: datetime.date | None = None) -> dict:
    """Of the referrals that count (see `counts`): how many, how many approved in time, and the share (None
    when none count)."""
    figures = annotate_deadline(referrals, today=today).aggregate(
        total=Count("pk", filter=Q(deadline_counts=True)),
        in_time=Count("pk", filter=Q(approved_in_time=True)),
    )
    total, in_time = figures["total"], figures["in_time"]
    return {"total": total, "in_time": in_time, "share": (in_time / total) if total else None}
