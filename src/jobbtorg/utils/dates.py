"""Calendar arithmetic shared by the apps (no domain rules here)."""

import calendar
import datetime


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` + n calendar months, clamped to the last day of the month (31 January + 1 month = 28/29
    February), as PostgreSQL's `date + interval 'n months'` does."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
