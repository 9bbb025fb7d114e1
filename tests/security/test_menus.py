"""Every role's menu leads only to pages the role may use (issue 16): the main menu of each role's start
page is read, and every link in it is opened — none answers 403 (or any error). The menu asks the same
perms.py rules as the pages (`{% can %}`), so a link a role cannot use is not shown at all."""

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .world import build_world

ROLES = [
    "caseworker",
    "job_coach",
    "career_counsellor",
    "matcher",
    "unit_head",
    "provider_staff",
    "analyst",
    "administrator",
    "participant",
    "partner_staff",
]


class MenuLinks(HTMLParser):
    """The hrefs inside <nav aria-label="Main menu">…</nav> (the site header's menu)."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and (self.depth or attrs.get("aria-label") == "Main menu"):
            self.depth += 1
        elif tag == "a" and self.depth and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "nav" and self.depth:
            self.depth -= 1


def menu_of(html: str) -> list[str]:
    parser = MenuLinks()
    parser.feed(html)
    return parser.links


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield build_world()
        transaction.set_rollback(True)


def _client(user) -> Client:
    client = Client()
    client.cookies["django_language"] = "en"
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_menu_item_leads_to_a_refusal(world, role):
    client = _client(world.users[role])
    start = client.get(reverse("accounts:home"), follow=True)
    assert start.status_code == 200, f"{role}: start page answered {start.status_code}"
    links = menu_of(start.text)
    assert links, f"{role}: no menu on the start page"
    failures = []
    for href in links:
        if href.startswith("/admin/"):
            continue  # Django's admin (staff only; its own permission checks)
        response = client.get(href)
        if response.status_code >= 400:
            failures.append(f"{href} → {response.status_code}")
    assert not failures, f"{role}'s menu leads to refusals or errors: {failures}"


def test_the_matchers_menu_no_longer_offers_the_offerings(world, db):
    """The matcher was shown Offerings and Providers, which answered 403."""
    links = menu_of(_client(world.users["matcher"]).get(reverse("plans:worklist")).text)
    assert reverse("matching:vacancies") in links
    assert reverse("interventions:offerings") not in links and reverse("providers:list") not in links


def test_the_administrator_lands_on_the_start_page_with_payments_in_the_menu(world, db):
    client = _client(world.users["administrator"])
    response = client.get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:start")
    assert "<h1>Administration and finance</h1>" in response.text
    links = menu_of(response.text)
    assert reverse("payments:overview") in links and reverse("followup:assistance") in links
    body = re.sub(r"\s+", " ", response.text)
    assert f'href="{reverse("payments:disputes")}"' in body and f'href="{reverse("background:jobs")}"' in body


def test_the_unit_head_reaches_payments_and_follow_up_from_the_menu(world, db):
    links = menu_of(_client(world.users["unit_head"]).get(reverse("plans:worklist")).text)
    assert reverse("payments:overview") in links and reverse("followup:assistance") in links
    assert reverse("matching:vacancies") in links and reverse("audit:reads") in links
