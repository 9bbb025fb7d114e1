"""Issue 16 in headless Chromium, in Swedish, on the demo municipality: the administrator reaches the payments
from their start page; a long list keeps its filter and its order when it is paged."""

import pytest
from playwright.sync_api import expect

from jobbtorg.accounts.models import User

from ..factories import ReferralFactory
from .conftest import settled

pytestmark = pytest.mark.browser


def test_the_administrator_reaches_the_payments_from_the_start_page(demo, login, live_server):
    page = login("admin")
    expect(page.locator("h1")).to_have_text("Administration och ekonomi")
    page.get_by_role("link", name="Ersättningsunderlag och körningar").click()
    expect(page.locator("h1")).to_contain_text("Betalningsunderlag")
    assert page.url.startswith(f"{live_server.url}/ersattning/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu.get_by_role("link", name="Ersättning")).to_be_visible()
    settled(page)


def test_a_list_keeps_its_filter_and_its_order_across_pages(demo, login, live_server):
    caseworker = User.objects.get(username="handlaggare")
    for _ in range(30):
        ReferralFactory(participant__district=caseworker.district, caseworker=caseworker)
    page = login("handlaggare")
    page.goto(f"{live_server.url}/remisser/")
    page.locator("select[name=status]").select_option("received")
    page.get_by_role("button", name="Filtrera").click()
    page.locator("th a.sort", has_text="Remissdatum").click()
    expect(page.locator("th[aria-sort=ascending]")).to_contain_text("Remissdatum")
    page.locator("th a.sort", has_text="Remissdatum").click()  # again: newest first
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Remissdatum")
    page.get_by_role("navigation", name="Sidor").get_by_role("link", name="Nästa").click()
    expect(page.locator("nav.pager")).to_contain_text("Sida 2 av")
    expect(page.locator("th[aria-sort=descending]")).to_contain_text("Remissdatum")
    expect(page.locator("select[name=status]")).to_have_value("received")
    assert "status=received" in page.url and "sort=-received" in page.url and "page=2" in page.url
    # filtering again keeps the order chosen and starts from the first page
    page.get_by_role("button", name="Filtrera").click()
    assert "sort=-received" in page.url and "page=" not in page.url
    settled(page)
