"""The schedule of the recurring chores, in one place. `manage.py install_schedule` (also run by the
migration that created the background app) writes these as django-celery-beat periodic tasks; from then on
the administrator can change times or switch a chore off in the admin ("Periodic tasks"), and
`install_schedule --reset` puts the defaults back. Times are Swedish local time."""

from dataclasses import dataclass

TIMEZONE = "Europe/Stockholm"


@dataclass(frozen=True)
class Chore:
    name: str  # the periodic task's name, as shown in the admin
    task: str  # the Celery task (background.decorators.task name)
    crontab: dict | None = None  # minute, hour, day_of_week, day_of_month, month_of_year
    every_minutes: int | None = None
    description: str = ""


DEFAULT_SCHEDULE = (
    Chore(
        "Meeting reminders",
        "attendance.send_meeting_reminders",
        crontab={"minute": "5"},
        description="Hourly: e-mail/SMS reminders of meetings in the next 24 hours, each meeting once.",
    ),
    Chore(
        "Default provider after the choice period",
        "providers.assign_default_providers",
        crontab={"minute": "0", "hour": "6"},
        description="Daily 06:00: the default provider for choices past their deadline.",
    ),
    Chore(
        "Monthly payment draft",
        "payments.monthly_payment_draft",
        crontab={"minute": "0", "hour": "3", "day_of_month": "5"},
        description="The 5th, 03:00: creaming flags put under review, then the draft of the previous month.",
    ),
    Chore(
        "Key indicators (changed municipalities)",
        "reporting.refresh_indicators_dirty",
        every_minutes=5,
        description="Every 5 minutes: rebuild the rollups of municipalities whose records changed.",
    ),
    Chore(
        "Key indicators (nightly, all)",
        "reporting.refresh_indicators_all",
        crontab={"minute": "30", "hour": "2"},
        description="Nightly 02:30: rebuild every municipality's rollups.",
    ),
    Chore(
        "Retention report (dry run)",
        "privacy.retention_report",
        crontab={"minute": "0", "hour": "5", "day_of_week": "1"},
        description="Mondays 05:00: what retention would remove, e-mailed to the administrators.",
    ),
    Chore(
        "Overdue action plans",
        "plans.overdue_plan_reminders",
        crontab={"minute": "0", "hour": "7", "day_of_week": "1-5"},
        description="Working days 07:00: each coach hears how many of their plans are overdue.",
    ),
    Chore(
        "Vacancies from Platsbanken",
        "matching.import_platsbanken",
        every_minutes=15,
        description="Every 15 minutes: new, changed and removed ads from JobTech's JobStream "
        "(municipalities in JOBBTORG_JOBSTREAM_MUNICIPALITIES; none: nothing happens).",
    ),
)


def schedule_install(*, apps=None, reset: bool = False) -> int:
    """Create the periodic tasks of `DEFAULT_SCHEDULE` that are missing (or, with `reset`, put every one
    back to its default). Returns how many were created or reset. `apps`: a migration's app registry."""
    if apps is None:
        from django.apps import apps
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    changed = 0
    for chore in DEFAULT_SCHEDULE:
        existing = PeriodicTask.objects.filter(name=chore.name).first()
        if existing is not None and not reset:
            continue
        fields = {"task": chore.task, "description": chore.description, "enabled": True}
        if chore.crontab is not None:
            values = {
                "minute": "*",
                "hour": "*",
                "day_of_week": "*",
                "day_of_month": "*",
                "month_of_year": "*",
            }
            crontab, _ = CrontabSchedule.objects.get_or_create(
                **{**values, **chore.crontab}, timezone=TIMEZONE
            )
            fields |= {"crontab": crontab, "interval": None}
        else:
            interval, _ = IntervalSchedule.objects.get_or_create(every=chore.every_minutes, period="minutes")
            fields |= {"interval": interval, "crontab": None}
        PeriodicTask.objects.update_or_create(name=chore.name, defaults=fields)
        changed += 1
    if changed:
        # beat reloads the schedule when this stamp changes (the model's save does it; querysets do not)
        from django.utils import timezone

        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})
    return changed
