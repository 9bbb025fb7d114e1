"""Swedish working days, and the action-plan deadline built on them: the fifth working day after the referral
(referral day = day 0; referrals.deadline.plan_due_date)."""

import datetime as dt

import pytest

from jobbtorg.referrals.deadline import plan_due_date
from jobbtorg.utils.workdays import add_working_days, is_working_day, working_days_between

D = dt.date


@pytest.mark.parametrize(
    ("referral_day", "due", "why"),
    [
        (D(2026, 11, 23), D(2026, 11, 30), "Monday → next Monday, across a weekend"),
        (D(2026, 11, 27), D(2026, 12, 4), "Friday → next Friday"),
        (D(2026, 11, 28), D(2026, 12, 4), "a Saturday referral counts from the weekend"),
        # Easter 2026: Långfredagen 3 April, Annandag påsk 6 April
        (D(2026, 4, 1), D(2026, 4, 10), "Wednesday before Easter skips Good Friday and Easter Monday"),
        (D(2027, 3, 24), D(2027, 4, 2), "Easter 2027: Långfredag 26 March, Annandag påsk 29 March"),
        # Midsummer 2026: midsommarafton Friday 19 June (a de-facto holiday), midsommardagen Saturday 20
        (D(2026, 6, 15), D(2026, 6, 23), "Midsummer Eve is not a working day"),
        (D(2026, 6, 18), D(2026, 6, 26), "Thursday before Midsummer"),
        # Christmas/New Year 2026: julafton Thu 24, juldagen Fri 25, annandag Sat 26, nyårsafton Thu 31,
        # nyårsdagen Fri 1 Jan, trettondedag jul Wed 6 Jan
        (D(2026, 12, 21), D(2026, 12, 30), "Christmas Eve and Christmas Day skipped"),
        (D(2026, 12, 28), D(2027, 1, 7), "New Year's Eve, New Year's Day and Epiphany skipped"),
        # Ascension Day 2026: Thursday 14 May; National Day 6 June 2025 is a Friday
        (D(2026, 5, 11), D(2026, 5, 19), "Ascension Day skipped"),
        (D(2025, 6, 2), D(2025, 6, 10), "National Day on a Friday, Whit Monday is a working day"),
        (D(2026, 4, 27), D(2026, 5, 5), "First of May skipped"),
    ],
)
def test_plan_due_date(referral_day, due, why):
    assert plan_due_date(referral_day) == due, why


@pytest.mark.parametrize(
    "day",
    [
        D(2026, 6, 19),
        D(2026, 12, 24),
        D(2026, 12, 31),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 1, 6),
        D(2026, 11, 28),
        D(2026, 11, 29),
    ],
)
def test_days_that_are_not_working_days(day):
    assert not is_working_day(day)


def test_ordinary_weekdays_are_working_days():
    assert all(is_working_day(D(2026, 11, d)) for d in (23, 24, 25, 26, 27))
    # All Saints' Eve (30 Oct) and Twelfth Night's eve are ordinary working days
    assert is_working_day(D(2026, 10, 30)) and is_working_day(D(2026, 1, 5))


def test_working_days_between_counts_after_start_up_to_end():
    assert working_days_between(D(2026, 12, 21), D(2026, 12, 30)) == 5
    assert working_days_between(D(2026, 12, 30), D(2026, 12, 21)) == 0


def test_zero_days_is_the_day_itself_and_negative_is_refused():
    assert add_working_days(D(2026, 12, 24), 0) == D(2026, 12, 24)
    with pytest.raises(ValueError):
        add_working_days(D(2026, 12, 24), -1)
