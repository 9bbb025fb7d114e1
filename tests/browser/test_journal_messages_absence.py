"""Issue 16's paths in headless Chromium, in Swedish, on the demo municipality: the coach writes and signs a
journal entry and corrects it; the participant and the coach exchange a message; the participant reports
absence and the provider sees it on their start page."""

import pytest
from playwright.sync_api import expect

from jobbtorg.accounts.models import User
from jobbtorg.attendance.models import ReportedAbsence
from jobbtorg.journal.models import JournalEntry, Message
from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral

from ..journal.conftest import assign
from .conftest import settled

pytestmark = pytest.mark.browser


def _case():
    person = User.objects.get(username="deltagare").participant
    referral = Referral.objects.filter(participant=person).with_basis().open().select_related("coach").first()
    assert referral is not None, "the demo participant has an open case"
    coach = referral.coach or User.objects.get(username="coach")
    return person, referral, coach


def test_coach_writes_signs_and_corrects_a_journal_entry(demo, login, live_server):
    person, referral, coach = _case()
    page = login(coach.username)
    page.goto(f"{live_server.url}/personer/{person.pk}/")
    page.get_by_role("navigation", name="Personen").get_by_role("link", name="Journal").click()
    expect(page.locator("h1")).to_contain_text("Journal för")
    page.get_by_role("combobox", name="Typ").select_option("meeting")
    page.get_by_role("textbox", name="Anteckning", exact=True).fill(
        "Planeringsmöte: vill prova praktik inom lager."
    )
    page.get_by_role("button", name="Spara och signera").click()
    expect(page.locator("main")).to_contain_text("Anteckningen har signerats.")
    expect(page.locator("article.journal-entry").first).to_contain_text("Signerad")
    settled(page)
    entry = JournalEntry.objects.get(participant=person, body__startswith="Planeringsmöte")
    assert entry.signed_at is not None and entry.author == coach

    page.get_by_role("link", name="Skriv en rättelse").first.click()
    expect(page.locator("h1")).to_contain_text("Rätta en anteckning")
    page.get_by_role("textbox", name="Anteckning", exact=True).fill(
        "Rättelse: praktik inom butik, inte lager."
    )
    page.get_by_role("button", name="Spara och signera rättelsen").click()
    expect(page.locator("main")).to_contain_text("Rättelsen har sparats.")
    expect(page.locator(".correction")).to_contain_text("Rättelse: praktik inom butik")
    expect(page.locator("main")).to_contain_text("Planeringsmöte: vill prova praktik inom lager.")
    settled(page)
    correction = JournalEntry.objects.get(corrects=entry)
    assert correction.signed_at is not None
    assert JournalEntry.objects.get(pk=entry.pk).body.startswith("Planeringsmöte")


def test_participant_and_coach_exchange_a_message(demo, login, live_server):
    person, referral, coach = _case()
    page = login("deltagare")
    page.get_by_role("link", name="Meddelanden").click()
    page.get_by_role("textbox", name="Meddelande", exact=True).fill("Hej! Kan vi flytta mötet på torsdag?")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator("main")).to_contain_text("Ditt meddelande har skickats.")
    expect(page.locator("ol.thread")).to_contain_text("Kan vi flytta mötet")
    settled(page)

    page = login(coach.username)
    page.goto(f"{live_server.url}/personer/{person.pk}/")
    page.get_by_role("navigation", name="Personen").get_by_role("link", name="Meddelanden").click()
    expect(page.locator("ol.thread")).to_contain_text("Kan vi flytta mötet på torsdag?")
    page.get_by_role("textbox", name="Meddelande", exact=True).fill("Ja, vi ses på fredag kl. 10 i stället.")
    page.get_by_role("button", name="Skicka").click()
    expect(page.locator("main")).to_contain_text("Meddelandet har skickats.")
    settled(page)

    page = login("deltagare")
    page.get_by_role("link", name="Meddelanden").click()
    expect(page.locator("ol.thread")).to_contain_text("vi ses på fredag")
    settled(page)
    assert list(
        Message.objects.filter(participant=person).order_by("sent_at").values_list("side", flat=True)
    ) == ["participant", "jobbtorg"]


def test_participant_reports_absence_and_the_provider_sees_it(demo, login, live_server):
    person, referral, coach = _case()
    staff = User.objects.get(username="anordnare")
    if not person.provider_assignments.current().filter(provider_id=staff.provider_id).exists():
        assign(referral, staff.provider, referral.caseworker)  # the demo person goes to another provider
    assert Participant.objects.visible_to(staff).filter(pk=person.pk).exists()
    page = login("deltagare")
    page.get_by_role("link", name="Anmäl frånvaro").click()
    page.get_by_role("radio", name="Sjuk", exact=True).check()
    page.get_by_role("button", name="Anmäl frånvaro").click()
    expect(page.locator("main")).to_contain_text("kan nu se att du är borta")
    settled(page)
    assert ReportedAbsence.objects.filter(participant=person, reason="sick").exists()

    page = login(staff.username)
    section = page.locator(
        "section", has=page.get_by_role("heading", name="Frånvaro som deltagarna har anmält")
    )
    expect(section).to_contain_text(person.last_name)
    expect(section).to_contain_text("Sjuk")
    settled(page)
