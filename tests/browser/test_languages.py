"""Issue 17 in headless Chromium on the demo municipality: the participant switches to Arabic, Somali and
easy-to-read Swedish and sees their plan, week and messages; the Arabic pages are right-to-left, do not
overflow at 1280 and 390 px and have no axe-core violations (screenshots in a temporary folder); an SMS
reminder comes in the chosen language. (The coach's interpreter booking and worklist are tested through the
pages in tests/attendance/test_interpreters.py.)"""

import datetime as dt
import os
import tempfile
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import expect

from jobbtorg.accounts.models import User
from jobbtorg.attendance import services as attendance_services
from jobbtorg.integrations.messaging import LogSmsSender
from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral

from .conftest import settled

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


def test_participant_reads_their_pages_in_arabic_somali_and_easy_swedish(demo, login, live_server):
    person, _referral, _coach = _case()
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
    for path, name in (("/mina-sidor/", "home"), ("/mina-sidor/meddelanden/", "messages")):
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

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/mina-sidor/")
    _switch(page, "so")
    assert page.locator("html").get_attribute("dir") == "ltr"
    expect(page.locator("main")).to_contain_text("Qorshahayga")  # My plan
    expect(page.locator("main")).to_contain_text("Toddobaadkayga")  # My week
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
