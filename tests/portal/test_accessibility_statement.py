"""The accessibility statement (issue 17): public, linked from every page's footer, in the visitor's
language, with the conformance level, how it is tested, known problems and the contact from settings."""

from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory


def test_statement_is_public_and_complete(db, settings):
    settings.JOBBTORG_ACCESSIBILITY_CONTACT_EMAIL = "tillganglighet@kommun.example"
    settings.JOBBTORG_ACCESSIBILITY_CONTACT_PHONE = "08-123 45 67"
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("accessibility"))
    assert page.status_code == 200
    text = page.text
    for part in ("WCAG 2.1 level AA", "axe-core", "Known problems", "DIGG"):
        assert part in text
    assert 'href="mailto:tillganglighet@kommun.example"' in text and 'href="tel:08-1234567"' in text


def test_statement_in_swedish_and_arabic(db):
    client = Client()
    assert "Tillgänglighetsredogörelse" in client.get(reverse("accessibility")).text
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    page = client.get(reverse("accessibility")).text
    assert '<html lang="ar" dir="rtl">' in page and "بيان إمكانية الوصول" in page


def test_every_page_links_to_it(db, coach, accepted_referral):
    client = Client()
    link = f'href="{reverse("accessibility")}"'
    assert link in client.get(reverse("accounts:login")).text
    client.force_login(coach)
    assert link in client.get(reverse("plans:worklist")).text
    client.force_login(UserFactory(role="participant", participant=accepted_referral.participant))
    assert link in client.get(reverse("portal:home")).text
