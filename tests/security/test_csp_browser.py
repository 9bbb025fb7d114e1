"""In a real browser (headless Chromium, when installed): the pages of the core flow raise no
Content-Security-Policy violation, HTMX works, and the behaviours moved out of inline attributes (the
language switch, adding and removing plan rows) still work."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from jobbtorg.referrals.models import Referral
from tests.browser.conftest import browser, demo, login, settled  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def _watch(page) -> list[str]:
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_core_pages_keep_the_csp_and_their_behaviour(demo, login, live_server):  # noqa: F811
    page = login("coach")
    problems = _watch(page)
    referral = Referral.objects.filter(status="accepted", coach__username="coach").first()
    assert referral is not None
    for url in (
        reverse("plans:worklist"),
        reverse("referrals:detail", args=[referral.pk]),
        reverse("participants:detail", args=[referral.participant_id]),
        reverse("attendance:appointments"),
    ):
        page.goto(live_server.url + url)
        settled(page)
    page.goto(live_server.url + reverse("plans:plan", args=[referral.pk]))
    settled(page)
    rows = page.locator("#activity-rows > fieldset")
    before = rows.count()
    page.locator("#add-activity").click()  # HTMX GET with the row number from jobbtorg.js
    expect(rows).to_have_count(before + 1)  # (no wait_for_function: it evals, which the CSP forbids)
    settled(page)
    page.locator("#activity-rows > fieldset").last.locator("button[data-remove-row]").click()
    expect(rows).to_have_count(before)
    expect(page.locator("#add-activity")).to_be_focused()
    # the language switch submits on change (no inline onchange any more)
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert problems == []
