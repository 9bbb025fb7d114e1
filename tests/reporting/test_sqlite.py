"""On SQLite (the default for trying Jobbtorg) the indicator pages explain that they need PostgreSQL."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ..factories import UserFactory
from .conftest import ON_POSTGRESQL

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(ON_POSTGRESQL, reason="the figures themselves are tested on PostgreSQL"),
]


def test_the_dashboard_says_it_needs_postgresql(unit):
    head = UserFactory(unit_head=True, unit=unit)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(head)
    page = client.get(reverse("reporting:dashboard"))
    assert page.status_code == 200
    assert "computed in the PostgreSQL database" in page.text


def test_others_are_still_refused(coach):
    client = Client()
    client.force_login(coach)
    assert client.get(reverse("reporting:dashboard")).status_code == 403
