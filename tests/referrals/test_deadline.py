"""The action-plan deadline is decided in one module (referrals.deadline); the plan page, the coach's
worklist, the indicator rollup (dashboard) and the research extract give the same verdicts for the same
referrals."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from jobbtorg.plans.models import ActionPlan
from jobbtorg.plans.selectors import plan_deadline_share
from jobbtorg.referrals import deadline
from jobbtorg.referrals.models import Referral
from jobbtorg.reporting import research, selectors
from jobbtorg.reporting.models import Case
from jobbtorg.reporting.services import indicators_refresh

from ..factories import ReferralFactory

D = dt.date
STOCKHOLM = zoneinfo.ZoneInfo("Europe/Stockholm")
TODAY = D(2027, 1, 8)


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=STOCKHOLM)


# name: (referral date, first approval (local) or None, due date, in time, counts on TODAY)
CASES = {
    # Christmas: julafton, juldagen and annandag are not working days.
    "approved on the due day": (D(2026, 12, 21), local(D(2026, 12, 30), 16), D(2026, 12, 30), True, True),
    # 00:30 in Stockholm on the 31st is still the 30th in UTC: the local date decides, so it is late.
    "approved just after midnight": (
        D(2026, 12, 21),
        local(D(2026, 12, 31), 0, 30),
        D(2026, 12, 30),
        False,
        True,
    ),
    # Nyårsafton and nyårsdagen are skipped; a Saturday approval before the due day is in time.
    "approved over new year": (D(2026, 12, 22), local(D(2027, 1, 2), 11), D(2027, 1, 4), True, True),
    "overdue without a plan": (D(2026, 12, 23), None, D(2027, 1, 5), None, True),
    # Trettondedag jul (6 January) is skipped; not due yet and not approved: it does not count.
    "not due yet": (D(2027, 1, 5), None, D(2027, 1, 13), None, False),
    "approved early, before the due date": (
        D(2027, 1, 4),
        local(D(2027, 1, 5), 9),
        D(2027, 1, 12),
        True,
        True,
    ),
}


@pytest.fixture
def referrals(district):
    made = {}
    for name, (referral_date, approved_at, _due, _in_time, _counts) in CASES.items():
        referral = ReferralFactory(
            district=district,
            participant__district=district,
            referral_date=referral_date,
            accepted=True,
            accepted_at=local(referral_date, 12),
        )
        if approved_at is not None:
            ActionPlan.objects.create(
                referral=referral,
                participant=referral.participant,
                status="approved",
                first_approved_at=approved_at,
            )
        made[name] = referral
    return made


def test_the_due_date_is_the_fifth_working_day_set_when_the_referral_is_made(referrals):
    for name, referral in referrals.items():
        assert referral.plan_due_date == CASES[name][2] == deadline.plan_due_date(referral.referral_date), (
            name
        )


def test_saving_a_referral_has_no_deadline_side_effect(referrals):
    referral = referrals["not due yet"]
    referral.plan_due_date = D(2027, 2, 1)  # e.g. a decision recorded elsewhere; save() must not recompute it
    referral.save()
    referral.refresh_from_db()
    assert referral.plan_due_date == D(2027, 2, 1)


def test_the_plan_page_the_worklist_the_rollup_and_the_extract_agree(referrals, district, settings):
    settings.JOBBTORG_RESEARCH_KEY = "test-key"
    by_pk = {referral.pk: name for name, referral in referrals.items()}
    expected_in_time = {name for name, case in CASES.items() if case[3] is True}
    expected_counts = {name for name, case in CASES.items() if case[4]}

    # The plan page: the state of each referral's plan.
    page = {
        name: deadline.deadline_state(
            due=referral.plan_due_date,
            approved_at=getattr(getattr(referral, "plan", None), "first_approved_at", None),
            today=TODAY,
        )
        for name, referral in referrals.items()
    }
    assert {name for name, state in page.items() if state.in_time} == expected_in_time
    assert {name for name, state in page.items() if state.in_time is False} == {
        "approved just after midnight"
    }
    assert (
        page["overdue without a plan"].overdue and page["overdue without a plan"].overdue_days == 2
    )  # 7 and 8 January
    assert not page["not due yet"].overdue and page["not due yet"].overdue_days == 0

    # The worklist: the share, and the per-referral annotation it is built on.
    annotated = deadline.annotate_deadline(Referral.objects.all(), today=TODAY)
    assert {by_pk[r.pk] for r in annotated if r.approved_in_time} == expected_in_time
    assert {by_pk[r.pk] for r in annotated if r.deadline_counts} == expected_counts
    assert {by_pk[r.pk] for r in annotated if r.overdue} == {"overdue without a plan"}
    share = plan_deadline_share(referrals=Referral.objects.all(), today=TODAY)
    assert (share["in_time"], share["total"]) == (len(expected_in_time), len(expected_counts)) == (3, 5)

    # The rollup stores the module's verdict; the dashboard counts it.
    indicators_refresh()
    stored = dict(Case.objects.values_list("referral_id", "plan_in_time"))
    assert {by_pk[pk] for pk, in_time in stored.items() if in_time} == expected_in_time
    assert {by_pk[pk] for pk, in_time in stored.items() if in_time is False} == {
        "approved just after midnight"
    }
    scope = selectors.Scope(
        start=D(2026, 12, 1), end=D(2027, 1, 31), municipality_id=district.municipality_id, today=TODAY
    )
    guarantee = selectors.guarantee(scope)["total"]
    assert (guarantee["in_time"], guarantee["due"]) == (3, 5)

    # The research extract: 1 in time, 0 late or overdue, empty when not due yet.
    rows = research.extract_rows(
        municipality_id=district.municipality_id, start=D(2026, 12, 1), end=D(2027, 1, 31), today=TODAY
    )
    header = next(rows)
    column = header.index("plan_in_time")
    extract = sorted((row[column] for row in rows), key=lambda v: (v is None, v))
    assert extract == [0, 0, 1, 1, 1, None]


def test_the_module_judges_an_approval_on_the_due_day_in_time_and_the_day_after_late():
    due = D(2026, 12, 30)
    assert deadline.is_approved_in_time(due=due, approved_at=local(due, 23, 59)) is True
    assert deadline.is_approved_in_time(due=due, approved_at=local(D(2026, 12, 31), 0, 1)) is False
    assert deadline.is_approved_in_time(due=due, approved_at=None) is None
    assert deadline.counts(due=due, approved_at=None, today=due) is False  # due today: not yet counted
    assert deadline.counts(due=due, approved_at=None, today=D(2026, 12, 31)) is True
    assert deadline.overdue_days(due=due, today=D(2027, 1, 4)) == 1  # 31 Dec and 1 Jan are holidays
    state = deadline.deadline_state(due=due, approved_at=None, today=due)
    assert state.due_today and not state.overdue
    assert timezone.localdate(local(D(2026, 12, 31), 0, 30)) == D(2026, 12, 31)
