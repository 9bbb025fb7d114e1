"""The menu's counts of what waits (issue 16): beside the item, with words for screen readers, one query
each."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jobbtorg.attendance.constants import NoticeKind
from jobbtorg.attendance.models import Notice

from ..factories import ActionPlanFactory, ReferralFactory


@pytest.fixture
def client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


def _menu(html: str) -> str:
    start = html.index('aria-label="Main menu"')
    return html[start : html.index("</nav>", start)]


def test_the_caseworker_sees_plans_to_decide_and_notices_to_acknowledge(client, caseworker, district):
    plan = ActionPlanFactory(proposed=True, referral__participant__district=district)
    ActionPlanFactory(proposed=True)  # another district's: not counted
    for n in range(2):
        Notice.objects.create(
            participant=plan.participant,
            referral=plan.referral,
            district=district,
            kind=NoticeKind.INTERRUPTION,
            date=datetime.date.today(),
            facts="Avbrott",
            source_key=f"menu:{n}",
        )
    client.force_login(caseworker)
    menu = _menu(client.get(reverse("referrals:list")).text)
    assert (
        '<span class="visually-hidden">(</span>1<span class="visually-hidden"> plans to decide)</span>'
        in menu
    )
    assert (
        '<span class="visually-hidden">(</span>2<span class="visually-hidden"> to acknowledge)</span>' in menu
    )


def test_the_coach_sees_overdue_plans_and_nothing_when_none_waits(client, coach, district):
    client.force_login(coach)
    assert "menu-count" not in _menu(client.get(reverse("referrals:list")).text)
    ReferralFactory(
        accepted=True, coach=coach, participant__district=district, plan_due_date=datetime.date(2020, 1, 6)
    )
    menu = _menu(client.get(reverse("referrals:list")).text)
    assert '1<span class="visually-hidden"> plans overdue)</span>' in menu


def test_the_coach_counts_their_own_cases_and_the_unit_head_the_unit(client, coach, unit_head, district):
    """The badge counts what the worklist opens with: a coach's own cases, the unit for the unit head."""
    overdue = {
        "accepted": True,
        "participant__district": district,
        "plan_due_date": datetime.date(2020, 1, 6),
    }
    ReferralFactory(coach=coach, **overdue)
    ReferralFactory(coach=unit_head, **overdue)  # another's case: not the coach's
    client.force_login(coach)
    assert '1<span class="visually-hidden"> plans overdue)</span>' in _menu(
        client.get(reverse("referrals:list")).text
    )
    client.force_login(unit_head)
    assert '2<span class="visually-hidden"> plans overdue)</span>' in _menu(
        client.get(reverse("referrals:list")).text
    )


def test_the_counts_cost_one_query_each_once_per_page(client, caseworker):
    client.force_login(caseworker)
    url = reverse("attendance:notices")
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    counts = [q["sql"] for q in ctx.captured_queries if q["sql"].startswith("SELECT COUNT(*)")]
    # the page's own count of notices, and the menu's two (notices to acknowledge, plans to decide)
    assert len(counts) == 3, counts
