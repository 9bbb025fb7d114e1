"""Issue 17 in headless Chromium on the demo municipality: the participant switches to Arabic, Somali and
easy-to-read Swedish and sees their plan, week and messages, agrees to the plan and downloads it as a PDF in
their language; the Arabic pages (home, plan, messages) are right-to-left, do not overflow at 1280 and 390 px
and have no axe-core violations (screenshots in a temporary folder); an SMS reminder comes in the chosen
language. A coach books a meeting for a person who needs an interpreter, the worklist lists it under
"Möten utan tolk" until the interpreter is recorded."""

import datetime as dt
import io
import os
import re
import tempfile
import unicodedata
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from jobbtorg.accounts.models import User
from jobbtorg.attendance import services as attendance_services
from jobbtorg.attendance.models import Appointment
from jobbtorg.integrations.messaging import LogSmsSender
from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import Mapping, PlanAgreement
from jobbtorg.plans.services import mapping_save
from jobbtorg.referrals.models import Referral

from .conftest import settled
from .test_plan_agreement import _proposed_plan_of_the_demo_participant

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390)
# The elements that stick out of the viewport (for the failure message).
WIDEST = """[...document.querySelectorAll('body *')].filter(e => {
  const r = e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1;
}).slice(0, 8).map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().width))"""


def _case():
    person = User.objects.get(username="deltagare").participant
    referral = Referral.objects.filter(participant=person).with_basis().open().select_related("coach").first()
    assert referral is not None, "the demo participant has an open case"
    coach = referral.coach or User.objects.get(username="coach")
    return person, referral, coach


def _switch(page, code: str) -> None:
    """The header's language switch (it submits itself when changed)."""
    with page.expect_navigation():
        page.locator("#language-select").select_option(code)
    page.wait_for_load_state()


def _screenshot_dir() -> Path:
    folder = os.environ.get("JOBBTORG_SCREENSHOTS") or tempfile.mkdtemp(prefix="jobbtorg-rtl-")
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    return path


def _pdf_text(path) -> str:
    """The downloaded PDF's text; Arabic's shaped presentation forms back to letters (NFKC)."""
    reader = PdfReader(io.BytesIO(Path(path).read_bytes()))
    return re.sub(
        r"\s+", " ", unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in reader.pages))
    )


def test_participant_reads_their_pages_in_arabic_somali_and_easy_swedish(demo, login, live_server):
    person, _referral, _coach = _case()
    _proposed_plan_of_the_demo_participant()  # a plan for the person to read and agree to
    page = login("deltagare")
    expect(page.locator("h1")).to_contain_text("Hej")

    _switch(page, "ar")
    html = page.locator("html")
    assert html.get_attribute("lang") == "ar" and html.get_attribute("dir") == "rtl"
    main = page.locator("main")
    expect(main).to_contain_text("خطتي")  # My plan
    expect(main).to_contain_text("أسبوعي")  # My week
    settled(page)
    assert Participant.objects.get(pk=person.pk).language == "ar"  # stored on the record

    folder = _screenshot_dir()
    axe = Axe()
    report = []
    pages = (
        ("/mina-sidor/", "home"),
        ("/mina-sidor/plan/", "plan"),
        ("/mina-sidor/meddelanden/", "messages"),
    )
    for path, name in pages:
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(live_server.url + path)
            page.wait_for_load_state()
            assert page.locator("html").get_attribute("dir") == "rtl"
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            wide = page.evaluate(WIDEST) if overflow > 0 else []
            assert overflow <= 0, f"{name} at {width} px scrolls sideways by {overflow} px: {wide}"
            results = axe.run(page)
            violations = [(v["id"], v["impact"], len(v["nodes"])) for v in results.response["violations"]]
            assert not violations, f"axe-core on {name} in Arabic at {width} px: {violations}"
            page.screenshot(path=str(folder / f"portal-ar-{name}-{width}.png"), full_page=True)
            report.append(f"{name}@{width}")
    expect(page.locator("h1")).to_contain_text("الرسائل")  # Messages
    print(f"\nArabic RTL checks passed ({', '.join(report)}); screenshots in {folder}")

    # the plan in Arabic: the agreement question, and the PDF in Arabic (the language on the record)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/mina-sidor/plan/")
    expect(page.locator("main")).to_contain_text("هل توافق على الخطة؟")  # Do you agree to the plan?
    expect(page.locator("#agreement-status")).to_contain_text("لم يوافق المشارك")  # has not agreed (shared)
    with page.expect_download() as download:
        page.get_by_role("link", name="تنزيل خطتي كملف PDF").click()  # Download my plan as a PDF
    settled(page)
    text = _pdf_text(download.value.path())
    assert (
        "خطة العمل" in text and "الأهداف" in text and "من وافق ومتى" in text
    )  # action plan, goals, who agreed
    assert "المشارك" in text and person.full_name in text  # the participant's line, the name as written

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/mina-sidor/")
    _switch(page, "so")
    assert page.locator("html").get_attribute("dir") == "ltr"
    expect(page.locator("main")).to_contain_text("Qorshahayga")  # My plan
    expect(page.locator("main")).to_contain_text("Toddobaadkayga")  # My week
    page.goto(live_server.url + "/mina-sidor/plan/")
    expect(page.locator("main")).to_contain_text("Ma ogolaatay qorshaha?")  # Do you agree to the plan?
    page.goto(live_server.url + "/mina-sidor/meddelanden/")
    expect(page.locator("h1")).to_contain_text("Fariimaha")  # Messages
    settled(page)

    # an SMS reminder of a meeting goes out in Somali, the language the person chose
    Participant.objects.filter(pk=person.pk).update(phone="0701234567", protected_identity=False)
    LogSmsSender.sent.clear()
    start = timezone.now() + dt.timedelta(hours=6)
    attendance_services.appointment_create(
        referral=_referral,
        by=_coach,
        kind="individual",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=1),
        place="Jobbtorg Järva",
    )
    assert attendance_services.appointment_reminders_send() >= 1
    texts = [m.body for m in LogSmsSender.sent if m.to == "0701234567"]
    assert texts and texts[0].startswith("Xusuusin: kulan Jobbtorg"), texts

    page.goto(live_server.url + "/mina-sidor/")
    _switch(page, "sv-x-easy")
    assert page.locator("html").get_attribute("lang") == "sv-x-easy"
    expect(page.locator("main")).to_contain_text("Min plan")
    expect(page.locator("main")).to_contain_text("Min vecka")
    expect(page.get_by_role("navigation", name="Meny")).to_contain_text("Säg att du inte kan komma")
    page.goto(live_server.url + "/mina-sidor/meddelanden/")
    expect(page.locator("h1")).to_contain_text("Meddelanden")
    settled(page)
    assert Participant.objects.get(pk=person.pk).language == "sv-x-easy"

    # easy-to-read Swedish: the person agrees to the plan and prints it in easy-to-read Swedish
    page.goto(live_server.url + "/mina-sidor/plan/")
    expect(page.locator("main")).to_contain_text("Säger du ja till planen?")
    page.get_by_role("button", name="Ja, jag säger ja till planen").click()
    expect(page.locator("main")).to_contain_text("Tack. Du har sagt ja till din plan.")
    settled(page)
    assert PlanAgreement.objects.filter(plan__participant=person, voided_at__isnull=True).exists()
    with page.expect_download() as download:
        page.get_by_role("link", name="Spara min plan som PDF").click()
    settled(page)
    text = _pdf_text(download.value.path())
    # easy-to-read headings and fixed texts ("Vem kom överens när", "gäller" in standard Swedish)
    assert "Vem sa ja och när" in text and "gäller nu" in text and person.full_name in text


def test_coach_books_an_interpreter_and_the_worklist_shows_meetings_without_one(demo, login, live_server):
    person, referral, coach = _case()
    existing = Mapping.objects.filter(referral=referral).first()
    mapping_save(
        referral=referral,
        by=coach,
        version=existing.lock_version if existing else None,
        interpreter_needed=True,
        interpreter_language="ti",
        interpreter_dialect="Asmara",
    )
    page = login(coach.username)
    page.goto(f"{live_server.url}/narvaro/moten/ny/{referral.pk}/")
    interpreter = page.locator("fieldset.interpreter")
    expect(interpreter).to_contain_text("tigrinska")  # the need from the mapping, by name
    expect(interpreter).to_contain_text("Asmara")
    start = timezone.localtime() + dt.timedelta(days=3)
    page.get_by_label("Enskilt möte").check()
    page.fill("#id_starts_at", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_ends_at", (start + dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "Jobbtorg Järva")
    page.get_by_role("button", name="Boka mötet").click()  # no interpreter chosen yet
    page.wait_for_load_state()
    settled(page)
    meeting = Appointment.objects.filter(participant=person, starts_at__gte=timezone.now()).latest(
        "created_at"
    )
    assert meeting.lacks_interpreter

    page.goto(live_server.url + "/planer/arbetslista/")
    missing = page.locator("section[aria-labelledby=interpreter-heading]")
    expect(missing.locator("h2")).to_have_text("Möten utan tolk")
    expect(missing).to_contain_text(person.full_name)
    expect(missing).to_contain_text("tigrinska (Asmara)")
    missing.get_by_role("link", name=re.compile(f"{re.escape(person.full_name)}")).click()
    page.get_by_label("Distanstolk (video)").check()
    page.fill("#id_interpreter_note", "Tolkbolaget ref 42")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    settled(page)
    meeting.refresh_from_db()
    assert meeting.interpreter_type == "video" and not meeting.lacks_interpreter

    page.goto(live_server.url + "/planer/arbetslista/")
    expect(missing).not_to_contain_text(person.full_name)
