"""Reads for the follow-up of an exit: support in the first time in a job, and whether the person was back
on assistance 3, 6 and 12 months after."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from jobbtorg.utils.dates import add_months

from .models import AssistanceMonth, Exit, JobSupport

FOLLOW_UP_MONTHS = (3, 6, 12)


@dataclass
class MonthAfter:
    months: int
    month: datetime.date
    paid: bool | None  # None: not known (the month has not come, or no delivery covers it yet)


def months_after(*, exit: Exit, on: datetime.date | None = None) -> list[MonthAfter]:
    """Was assistance paid 3, 6 and 12 months after the month of the exit (the current delivered rows)?"""
    on = on or timezone.localdate()
    exit_month = exit.exit_date.replace(day=1)
    wanted = {n: add_months(exit_month, n) for n in FOLLOW_UP_MONTHS}
    rows = dict(
        AssistanceMonth.objects.filter(
            participant_id=exit.participant_id, is_current=True, month__in=list(wanted.values())
        ).values_list("month", "paid")
    )
    return [
        MonthAfter(months=n, month=month, paid=rows.get(month) if month <= on else None)
        for n, month in wanted.items()
    ]


def job_support_of(exit: Exit) -> JobSupport | None:
    return JobSupport.objects.filter(exit=exit).select_related("coach").first()


def active_job_supports(*, user, on: datetime.date | None = None, referrals=None):
    """The periods of support in the first job running today that the user sees — on a coach's worklist
    their own (`referrals` limits them to "my cases")."""
    supports = JobSupport.objects.visible_to(user).active(on)
    if referrals is not None:
        supports = supports.filter(exit__referral__in=referrals)
    return supports.select_related("participant", "exit", "coach").order_by("ends_on")
