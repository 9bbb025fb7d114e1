import shutil

import pytest
from django.core.management import call_command
from playwright.sync_api import sync_playwright

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
PASSWORD = "demo-jobbtorg"


@pytest.fixture
def browser(live_server, monkeypatch):
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed (make test installs Debian's chromium when run as root)")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs an event loop
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
            ],
        )
        yield instance
        instance.close()


@pytest.fixture
def demo(transactional_db):
    """The demo municipality, small: what a newcomer gets from `make run`, with fewer people."""
    call_command("seed_demo", participants=24, verbosity=0)


@pytest.fixture
def login(browser, live_server):
    """Log in through the real login form (a fresh browser context per user, Swedish by default)."""

    def _login(username: str):
        context = browser.new_context(locale="en-US")  # an English browser still gets Swedish
        page = context.new_page()
        page.set_default_timeout(15000)
        page.goto(live_server.url + "/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", PASSWORD)
        page.locator("form[action*='logga-in'] button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == "sv"
        return page

    return _login


def settled(page) -> None:
    """Wait until the page has no request in flight (with SQLite the live server shares the test's
    database connection, so the test may only query it while the browser is idle)."""
    page.wait_for_load_state("networkidle")
