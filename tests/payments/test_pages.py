"""Finance answers disputes on a page; the creaming and parking check page."""

import datetime as dt

import pytest
from django.urls import reverse

from jobbtorg.payments.models import Dispute, PaymentLine
from jobbtorg.payments.services import dispute_create, payment_run
from tests.factories import UserFactory

from .factories import assigned_person, authorised_provider

pytestmark = pytest.mark.django_db


@pytest.fixture
def en(client):
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def disputed(nacka, finance):
    provider, staff, itype = authorised_provider(model=nacka)
    assigned_person(provider=provider, itype=itype, start=dt.date(2025, 3, 3), tier="B")
    payment_run(month=dt.date(2025, 3, 1), by=finance)
    return dispute_create(line=PaymentLine.objects.get(), by=staff, comment="Startade 1 mars"), staff


def test_finance_answers_a_dispute(en, disputed, finance):
    dispute, _staff = disputed
    en.force_login(finance)
    page = en.get(reverse("payments:disputes"))
    assert page.status_code == 200 and "Startade 1 mars" in page.content.decode()
    url = reverse("payments:dispute_answer", args=[dispute.pk])
    en.post(url, {"decision": "reject", "answer": ""})
    assert Dispute.objects.get().status == "open"  # an answer is required
    en.post(url, {"decision": "maybe", "answer": "x"})
    assert Dispute.objects.get().status == "open"
    assert en.post(url, {"decision": "accept", "answer": "Rättas i nästa körning."}).status_code == 302
    assert Dispute.objects.get().status == "accepted"


def test_who_may_answer_disputes(client, disputed, unit_head, coach):
    dispute, staff = disputed
    for user in (staff, unit_head, coach):
        client.force_login(user)
        assert client.get(reverse("payments:disputes")).status_code == 403
        response = client.post(reverse("payments:dispute_answer", args=[dispute.pk]), {"decision": "accept"})
        assert response.status_code == 403
    assert Dispute.objects.get().status == "open"


def test_creaming_page(en, municipality, finance, coach, nacka):
    provider, _staff, itype = authorised_provider(model=nacka)
    for _ in range(5):
        assigned_person(provider=provider, itype=itype, start=dt.date(2025, 1, 10), tier="A")
    analyst = UserFactory(analyst=True, municipality=municipality)
    for user in (finance, analyst):
        en.force_login(user)
        page = en.get(reverse("payments:creaming") + "?start=2025-01-01&end=2025-03-31")
        assert page.status_code == 200 and provider.name in page.content.decode()
    page = en.get(reverse("payments:creaming") + "?start=2025-04-01&end=2025-03-31")
    assert page.status_code == 200 and "cannot be before" in page.content.decode()
    en.force_login(coach)
    assert en.get(reverse("payments:creaming")).status_code == 403
