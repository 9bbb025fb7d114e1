"""In a real browser, in Swedish: a coach takes in a person sent by Arbetsförmedlingen (inskrivning, ADR 0020)
— a wrong identity number is refused on its field, then the intake goes through, accepted at once with the
coach responsible — and the page has no axe-core violations and does not scroll sideways at 390 px. The
unit head then approves the action plan the coach proposed."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from jobbtorg.plans import services as plan_services
from jobbtorg.plans.constants import PlanStatus
from jobbtorg.plans.models import ActionPlan
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers

from ..factories import DistrictFactory, UnitFactory, UserFactory
from .conftest import settled

pytestmark = pytest.mark.browser


def _page(browser, live_server, user):
    """A browser context signed in as `user` (session cookie), in Swedish (the default)."""
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
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "sv", "url": live_server.url},
        ]
    )
    page = context.new_page()
    page.set_default_timeout(60000)  # a loaded machine is slow
    return page


@pytest.mark.django_db(transaction=True)
def test_a_coach_takes_a_person_in_and_the_unit_head_approves_the_plan(browser, live_server):
    unit = UnitFactory(name="Jobbtorg Järva")
    district = DistrictFactory(unit=unit, name="Rinkeby-Kista")
    coach = UserFactory(coach=True, unit=unit, first_name="Cora", last_name="Coach")
    head = UserFactory(unit_head=True, unit=unit, first_name="Hedda", last_name="Chef")
    caseworker = UserFactory(caseworker=True, district=district)
    pnr = personal_numbers.make(dt.date(1988, 4, 12), 345)

    page = _page(browser, live_server, coach)
    page.goto(live_server.url + "/remisser/")
    page.get_by_role("link", name="Inskrivning").first.click()
    page.wait_for_url("**/remisser/inskrivning/")
    expect(page.locator("h1")).to_have_text("Inskrivning")
    assert page.locator("html").get_attribute("lang") == "sv"

    page.locator("#id_personal_number").fill("19880412-0000")
    page.locator("#id_first_name").fill("Sara")
    page.locator("#id_last_name").fill("Intagsson")
    expect(page.locator("label[for=id_personal_number]")).to_contain_text("Personnummer")
    page.get_by_label("Skickad av").select_option("employment_service")
    page.locator("#id_target_group").select_option("unemployed_on_assistance")
    page.locator("#id_reason").fill("Anvisad av Arbetsförmedlingen, vill arbeta i handeln.")
    page.get_by_label("Samtycke till informationsutbyte").check()
    page.get_by_role("button", name="Skriv in").click()
    page.wait_for_load_state()
    field = page.locator("#id_personal_number")
    expect(field).to_have_attribute("aria-invalid", "true")
    settled(page)
    assert not Referral.objects.exists()

    page.set_viewport_size({"width": 390, "height": 900})
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the intake page scrolls sideways by {overflow} px at 390 px"
    violations = [(v["id"], len(v["nodes"])) for v in Axe().run(page).response["violations"]]
    assert not violations, f"axe-core on the intake page: {violations}"
    page.set_viewport_size({"width": 1280, "height": 900})

    field.fill(personal_numbers.formatted(pnr))
    page.get_by_role("button", name="Skriv in").click()
    page.wait_for_url("**/remisser/*-*/")
    assert pnr not in page.url
    main = page.locator("main")
    expect(main).to_contain_text("Sara Intagsson är inskriven på Jobbtorg Järva")
    expect(main).to_contain_text("Arbetsförmedlingen")
    expect(main).to_contain_text("enhetschefen godkänner handlingsplanen")
    settled(page)

    referral = Referral.objects.get()
    assert referral.is_intake and referral.coach == coach and referral.status == "accepted"
    plan = plan_services.plan_for_referral(referral=referral, by=coach)
    plan_services.plan_save_draft(
        plan=plan,
        by=coach,
        version=plan.lock_version,
        goals="Arbete i handeln",
        activities=[
            {"intervention_type": "sfi_studies", "start_date": dt.date(2026, 12, 14), "hours_per_week": 20}
        ],
    )
    plan_services.plan_propose(plan=plan, by=coach, version=plan.lock_version)

    page = _page(browser, live_server, head)
    page.goto(live_server.url + f"/planer/{referral.pk}/handlingsplan/")
    page.get_by_role("button", name="Godkänn planen").click()
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("Planen är godkänd")
    settled(page)
    assert ActionPlan.objects.get(pk=plan.pk).status == PlanStatus.APPROVED

    page = _page(browser, live_server, caseworker)
    response = page.goto(live_server.url + f"/remisser/{referral.pk}/")
    assert response.status == 404  # not the district's case
