"""Swedish working days: no weekends, no public holidays, and not midsommarafton, julafton or nyårsafton.

The calendar comes from the `holidays` library (public and de-facto Swedish holidays); nothing is
hand-written here.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=64)
def _swedish_holidays(year: int) -> frozenset[datetime.date]:
    calendar = holidays.Sweden(years=year, include_sundays=False, categories=("public", "de_facto"))
    return frozenset(calendar.keys())


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in _swedish_holidays(day.year)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The date `days` working days after `start` (start itself is day 0, whatever kind of day it is)."""
    if days < 0:
        raise ValueError("days must be zero or positive")
    current = start
    remaining = days
    while remaining:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    count = 0
    current = start
    while current < end:
        current += datetime.timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
