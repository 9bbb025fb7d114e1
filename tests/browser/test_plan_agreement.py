"""Issue 16's plan path in headless Chromium, in Swedish, on the demo municipality: the participant comments
on the proposed plan and agrees to it; the caseworker sees the agreement, approves the plan and prints it;
the PDF, opened with pypdf, carries the participant's agreement line."""

import datetime
import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from jobbtorg.accounts.models import User
from jobbtorg.plans import services
from jobbtorg.plans.constants import PlanStatus
from jobbtorg.plans.models import PlanAgreement, PlanComment
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.services import referral_accept

from .conftest import settled

pytestmark = pytest.mark.browser


def _proposed_plan_of_the_demo_participant():
    person = User.objects.get(username="deltagare").participant
    referral = Referral.objects.filter(participant=person).with_basis().open().select_related("coach").first()
    assert referral is not None, "the demo participant has an open case"
    coach = referral.coach or User.objects.filter(role="job_coach", unit=referral.unit).first()
    if referral.status == ReferralStatus.RECEIVED:
        referral = referral_accept(referral=referral, by=coach)
    plan = services.plan_for_referral(referral=referral, by=coach)
    if plan.status != PlanStatus.PROPOSED:
        monday = datetime.date.today() - datetime.timedelta(days=datetime.date.today().weekday())
        services.plan_save_draft(
            plan=plan,
            by=coach,
            version=None,
            goals="Arbete inom handel inom ett år.",
            activities=[
                {"intervention_type": "sfi_studies", "start_date": monday, "hours_per_week": 15},
                {"intervention_type": "individual_coaching", "start_date": monday, "hours_per_week": 4},
            ],
        )
        services.plan_propose(plan=plan, by=coach, version=None)
    plan.refresh_from_db()
    return person, referral, plan


def test_participant_agrees_and_the_caseworker_approves_and_prints(demo, login, live_server):
    person, referral, plan = _proposed_plan_of_the_demo_participant()
    page = login("deltagare")
    page.get_by_role("link", name="Min plan").first.click()
    expect(page.locator("h1")).to_have_text("Min plan")
    page.get_by_role("textbox", name="Din synpunkt").fill("Jag vill gärna ha praktik i en butik.")
    page.get_by_role("button", name="Skicka synpunkten").click()
    expect(page.locator("main")).to_contain_text("Din synpunkt har skickats till din arbetskonsulent.")
    page.get_by_role("button", name="Jag håller med om planen").click()
    expect(page.locator("main")).to_contain_text("Tack. Du har sagt ja till din plan.")
    expect(page.locator("#agreement-status")).to_contain_text("Deltagaren sa ja till version")
    settled(page)
    agreement = PlanAgreement.objects.get(plan=plan, voided_at__isnull=True)
    assert agreement.sign_in_method == "password" and agreement.version.status == "proposed"
    assert PlanComment.objects.filter(plan=plan, body__contains="butik").exists()

    page = login(referral.caseworker.username)
    page.goto(f"{live_server.url}/planer/{referral.pk}/handlingsplan/")
    expect(page.locator("#agreement-status")).to_contain_text("Deltagaren sa ja till version")
    expect(page.locator("main")).to_contain_text("Jag vill gärna ha praktik i en butik.")
    if page.locator("#over-capacity").count():
        page.get_by_role("textbox", name="Kommentar eller skäl").fill("Personen vill arbeta mer.")
    page.get_by_role("button", name="Godkänn planen").click()
    expect(page.locator("main")).to_contain_text("Planen är godkänd.")
    page.get_by_role("link", name="Skriv ut planen").click()
    expect(page.locator("h1")).to_contain_text("Handlingsplan")
    expect(page.locator(".agreement-lines")).to_contain_text("Överens om version")
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner planen som PDF").click()
    settled(page)
    pdf = PdfReader(io.BytesIO(open(download.value.path(), "rb").read()))
    text = " ".join(p.extract_text() for p in pdf.pages).replace("\n", " ")
    assert "Vem kom överens när" in text
    assert f"Överens om version {agreement.version.number}" in text and person.full_name in text
    assert "Godkänd av" in text
