"""Scheduled: reminders of overdue action plans to their coaches (working-day mornings), once a day each."""

from jobbtorg.background.decorators import task
from jobbtorg.background.once import once

from .notifications import overdue_plan_reminders_send


@task(name="plans.overdue_plan_reminders")
def overdue_plan_reminders() -> int:
    return overdue_plan_reminders_send(claim=once)
