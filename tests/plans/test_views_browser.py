"""The action plan editor in a real browser: HTMX adds and removes rows and updates the week load live."""

import datetime
import shutil

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from playwright.sync_api import expect, sync_playwright

from jobbtorg.interventions.models import InterventionType
from jobbtorg.plans.models import ActionPlan

from ..factories import DistrictFactory, ReferralFactory, UserFactory

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed"),
]


@pytest.fixture
def page(live_server, monkeypatch):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context()
        yield context
        browser.close()


def _login(context, live_server, user):
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [
            {"name": cookie.key, "value": cookie.value, "url": live_server.url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": live_server.url},
        ]
    )
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_plan_editor_with_htmx(page, live_server):
    # A transactional test starts from a flushed database when another one ran before: make the types it uses.
    sfi, internship = (
        str(
            InterventionType.objects.get_or_create(code=code, defaults={"name": code, "category": "sfi"})[
                0
            ].pk
        )
        for code in ("sfi_studies", "language_internship")
    )
    coach = UserFactory(coach=True)
    referral = ReferralFactory(accepted=True, participant__district=DistrictFactory(unit=coach.unit))
    browser = _login(page, live_server, coach)
    monday = datetime.date.today() + datetime.timedelta(days=7 - datetime.date.today().weekday())

    browser.goto(live_server.url + reverse("plans:plan", args=[referral.pk]))
    expect(browser.locator("#activity-rows > fieldset")).to_have_count(2)
    browser.get_by_label("Goals").fill("Arbete inom vården")

    first = browser.locator("#act-n0")
    first.get_by_label("Intervention").select_option(value=sfi)
    first.get_by_label("Start").fill(monday.isoformat())
    first.get_by_label("Hours per week").fill("20")
    first.get_by_label("Hours per week").blur()
    week = browser.locator("#week-load")
    expect(week).to_contain_text("Planned hours this week: 20 of 40 for 100 % work capacity")
    expect(week).to_contain_text("20 hours missing for a full day at 100 %")

    browser.get_by_role("button", name="Add activity").click()
    expect(browser.locator("#activity-rows > fieldset")).to_have_count(3)
    added = browser.locator("#activity-rows > fieldset").nth(2)
    expect(added.locator("legend")).to_have_text("Activity 3")
    added.get_by_label("Intervention").select_option(value=internship)
    added.get_by_label("Start").fill(monday.isoformat())
    added.get_by_label("Hours per week").fill("20")
    added.get_by_label("Hours per week").blur()
    expect(week).to_contain_text("Planned hours this week: 40 of 40 for 100 % work capacity")
    expect(week).to_contain_text("full time")

    browser.locator("#act-n1").get_by_role("button", name="Remove activity 2").click()
    expect(browser.locator("#activity-rows > fieldset")).to_have_count(2)
    expect(browser.get_by_role("button", name="Add activity")).to_be_focused()
    browser.get_by_role("button", name="Save the draft").last.click()
    expect(browser.get_by_text("The draft is saved.")).to_be_visible()

    plan = ActionPlan.objects.get(referral=referral)
    assert plan.goals == "Arbete inom vården"
    assert sorted(a.intervention_type.code for a in plan.activities.all()) == [
        "language_internship",
        "sfi_studies",
    ]


@pytest.mark.django_db(transaction=True)
def test_mapping_shows_a_live_tier_preview(page, live_server):
    coach = UserFactory(coach=True)
    referral = ReferralFactory(accepted=True, participant__district=DistrictFactory(unit=coach.unit))
    browser = _login(page, live_server, coach)
    browser.goto(live_server.url + reverse("plans:mapping", args=[referral.pk]))
    preview = browser.locator("#tier-preview")
    expect(preview).to_contain_text("No tier yet")

    browser.get_by_label("Education level").select_option("university")
    browser.get_by_label("Swedish level").select_option("native")
    browser.get_by_label("Months without work").fill("2")
    browser.get_by_label("Months without work").blur()
    expect(preview).to_contain_text("A – near the labour market")

    browser.get_by_label("Childcare").check()
    browser.get_by_label("Mental health").check()
    browser.get_by_label("Work capacity").select_option("50")
    expect(preview).to_contain_text("B – some distance")
    expect(preview).to_contain_text("Preview (not saved)")

    browser.get_by_role("button", name="Save the mapping").click()
    expect(browser.get_by_text("The mapping is saved.")).to_be_visible()
    expect(preview).to_contain_text("B – some distance")
    expect(preview).not_to_contain_text("Preview")
