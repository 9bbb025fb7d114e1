"""The newcomer's path of the core flow, in headless Chromium, in Swedish: the caseworker refers a person,
the coach accepts, records the mapping, drafts and proposes the action plan, the caseworker approves it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from jobbtorg.interventions.models import InterventionType
from jobbtorg.plans.models import ActionPlan
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers

from .conftest import settled

pytestmark = pytest.mark.browser


def test_refer_map_plan_propose_approve(demo, login, live_server):
    number = personal_numbers.formatted(personal_numbers.make(datetime.date(1988, 4, 12), 417))
    # With SQLite the live server shares the test's connection: query the database here only while the
    # browser is idle (settled()), never while an HTMX request may be running.
    type_ids = {
        code: str(InterventionType.objects.get(code=code).pk)
        for code in ("sfi_studies", "language_internship")
    }

    # The caseworker refers a person of her district.
    page = login("handlaggare")
    expect(page.locator("h1")).to_contain_text("Inkorg")
    page.goto(live_server.url + "/remisser/ny/")
    page.fill("#id_personal_number", number)
    page.fill("#id_first_name", "Fatima")
    page.fill("#id_last_name", "Webbtest")
    page.select_option("#id_target_group", "unemployed_on_assistance")
    page.fill("#id_reason", "Arbetslös sedan två år, vill arbeta inom äldreomsorgen.")
    page.select_option("#id_assistance_status", "receiving")
    page.check("#id_consent_given")
    page.locator("form button[type=submit]").last.click()
    expect(page.locator(".message.success")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Inkommen")
    settled(page)
    referral = Referral.objects.get(participant__last_name="Webbtest")
    assert number not in page.url
    due = referral.plan_due_date.isoformat()
    expect(page.locator("main")).to_contain_text(due)

    # The coach of the district's Jobbtorg accepts it and records the mapping.
    page = login("coach")
    expect(page.locator("h1")).to_contain_text("Arbetslista")
    expect(page.locator("main")).to_contain_text("Webbtest")
    page.goto(live_server.url + f"/remisser/{referral.pk}/")
    page.locator("form[action$='/ta-emot/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Mottagen")
    page.locator(f"main a[href='/planer/{referral.pk}/kartlaggning/']").first.click()
    page.select_option("#id_education_level", "compulsory")
    page.select_option("#id_swedish_level", "sfi_c")
    page.fill("#id_months_without_work", "26")
    page.fill("#id_wanted_occupations", "5321, 5323")
    page.select_option("#id_work_capacity", "75")
    page.locator("#mapping-form button[type=submit]").last.click()
    expect(page.locator("main")).to_contain_text("Avstånd till arbetsmarknaden")
    settled(page)
    assert Referral.objects.get(pk=referral.pk).mapping.tier == "B"

    # …drafts the action plan: SFI in the mornings and a language internship in the afternoons.
    page.locator(f"main a[href='/planer/{referral.pk}/handlingsplan/']").first.click()
    monday = timezone.localdate() + datetime.timedelta(days=7 - timezone.localdate().weekday())
    page.fill("#id_goals", "Arbete som undersköterska inom ett år.")
    for row, (code, hours) in enumerate((("sfi_studies", "15"), ("language_internship", "15"))):
        select = page.locator(f"#id_act-n{row}-intervention_type")
        select.select_option(type_ids[code])
        page.fill(f"#id_act-n{row}-start_date", monday.isoformat())
        page.fill(f"#id_act-n{row}-hours_per_week", hours)
    page.locator("#plan-form .actions button[name=save]").click()
    expect(page.locator("#week-load")).to_contain_text("30")
    # …and proposes it to the caseworker.
    page.locator("form[action$='/handlingsplan/foresla/'] button[type=submit]").click()
    expect(page.locator("main")).to_contain_text("Föreslagen")
    settled(page)
    plan = ActionPlan.objects.get(referral=referral)
    assert plan.status == "proposed"

    # The caseworker approves: the three-party agreement is in force.
    page = login("handlaggare")
    expect(page.locator("main")).to_contain_text("Webbtest")
    page.locator(f"main a[href='/planer/{referral.pk}/handlingsplan/']").first.click()
    page.locator("button[name=action][value=approve]").click()
    expect(page.locator("main")).to_contain_text("Godkänd")
    settled(page)
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.current_version.number == 1
    assert plan.first_approved_at is not None
