"""The key-indicator dashboard in headless Chromium under the real Content-Security-Policy: the charts are
drawn (plotly's SVG inside each chart container) and the browser reports no CSP violation."""

import pytest
from playwright.sync_api import expect

from .conftest import settled

pytestmark = pytest.mark.browser


def test_dashboard_draws_charts_without_csp_violations(demo, login, live_server):
    page = login("enhetschef")
    problems = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(live_server.url + "/nyckeltal/")
    expect(page.locator("h1")).to_contain_text("Nyckeltal")
    expect(page.locator("main")).to_contain_text("Siffror per")  # how fresh the figures are
    page.wait_for_selector("[data-chart] svg.main-svg")
    settled(page)
    drawn = page.locator("[data-chart]:has(svg.main-svg)").count()
    assert drawn >= page.locator("[data-chart]").count() - 2 and drawn >= 5
    assert not [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p], (
        problems
    )
    assert not problems, problems
