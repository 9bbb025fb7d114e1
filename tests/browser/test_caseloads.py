"""In a real browser: a coach's worklist shows only their own cases and the switch shows the unit; the unit
head ticks two people on the caseload page and moves them to another coach in one go."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from jobbtorg.referrals.models import CoachChange, Referral

from ..factories import DistrictFactory, ReferralFactory, UnitFactory, UserFactory
from .conftest import settled

pytestmark = pytest.mark.browser


def _page(browser, live_server, user):
    """A browser context signed in as `user` (session cookie), in English."""
    client = Client()
    client.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(60000)  # a loaded machine is slow
    return page


@pytest.mark.django_db(transaction=True)
def test_my_cases_the_unit_switch_and_a_bulk_reassignment(browser, live_server):
    unit = UnitFactory(name="Jobbtorg Järva")
    district = DistrictFactory(unit=unit, name="Rinkeby-Kista")
    caseworker = UserFactory(caseworker=True, district=district)
    coach = UserFactory(coach=True, unit=unit, first_name="Cora", last_name="Coach")
    colleague = UserFactory(coach=True, unit=unit, first_name="Kim", last_name="Kollega")
    newcomer = UserFactory(coach=True, unit=unit, first_name="Nina", last_name="Ny")
    head = UserFactory(unit_head=True, unit=unit)
    long_ago = timezone.now() - dt.timedelta(days=90)

    def case(owner, last_name):
        return ReferralFactory(
            district=district,
            participant__district=district,
            participant__first_name="Test",
            participant__last_name=last_name,
            caseworker=caseworker,
            accepted=True,
            accepted_at=long_ago,
            referral_date=long_ago.date(),
            coach=owner,
        )

    mine, theirs = case(coach, "Egenfall"), case(colleague, "Kollegafall")

    page = _page(browser, live_server, coach)
    page.goto(live_server.url + "/planer/arbetslista/")
    expect(page.get_by_role("link", name="My cases")).to_have_attribute("aria-current", "page")
    expect(page.get_by_text("Test Egenfall").first).to_be_visible()
    expect(page.get_by_text("Test Kollegafall")).to_have_count(0)
    page.get_by_role("link", name="The whole unit").click()
    page.wait_for_url("**/planer/arbetslista/?scope=unit")
    expect(page.get_by_text("Test Kollegafall").first).to_be_visible()
    expect(page.get_by_role("link", name="The whole unit")).to_have_attribute("aria-current", "page")
    settled(page)

    page = _page(browser, live_server, head)
    page.goto(live_server.url + "/arbetsbelastning/")
    lost = page.locator("section", has=page.locator("#lost-heading"))
    lost.get_by_label("Test Egenfall").check()
    lost.get_by_label("Test Kollegafall").check()
    page.get_by_label("New responsible coach").select_option(label="Nina Ny")
    page.get_by_label("Reason").fill("Nina tar över efter omorganisation")
    page.get_by_role("button", name="Reassign").click()
    expect(page.get_by_text("2 people moved to Nina Ny.")).to_be_visible()
    settled(page)

    assert set(Referral.objects.filter(coach=newcomer).values_list("pk", flat=True)) == {mine.pk, theirs.pk}
    rows = CoachChange.objects.filter(kind="reassigned", by=head, to_coach=newcomer)
    assert {(r.from_coach_id, r.reason) for r in rows} == {
        (coach.pk, "Nina tar över efter omorganisation"),
        (colleague.pk, "Nina tar över efter omorganisation"),
    }
