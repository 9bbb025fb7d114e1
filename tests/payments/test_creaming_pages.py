"""Issue 21 on the pages and the API: the check explains its rules with the thresholds in force; the
contract manager puts the flags under review, sees the people and the held lines, and decides."""

import pytest
from django.urls import reverse

from jobbtorg.payments.constants import ReviewStatus
from jobbtorg.payments.models import CreamingReview, PaymentLine, PaymentRun
from tests.factories import UserFactory

from .test_creaming_review import END, MAR, START, parker  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sv(client):
    client.cookies["django_language"] = "sv"
    return client


def test_the_check_explains_each_rule_in_swedish(sv, municipality, finance, parker):  # noqa: F811
    sv.force_login(finance)
    page = sv.get(reverse("payments:creaming") + "?start=2025-01-01&end=2025-03-31").content.decode()
    assert "Så flaggas en anordnare" in page
    assert "minst 5 intagna" in page and "ett 95 %-intervall" in page  # thresholds in force, in Swedish
    assert "Tar mest in personer nära arbetsmarknaden" in page
    assert "Nivå C (5 personer): 0 möten per person och månad" in page  # the figures behind the flag


def test_the_contract_manager_opens_and_decides_a_review_on_the_pages(sv, municipality, finance, parker):  # noqa: F811
    sv.force_login(finance)
    response = sv.post(reverse("payments:creaming_open"), {"start": START, "end": END})
    assert response.status_code == 302
    review = CreamingReview.objects.get()
    listing = sv.get(reverse("payments:reviews")).content.decode()
    assert review.provider.name in listing
    detail = sv.get(reverse("payments:review", args=[review.pk]))
    assert detail.status_code == 200 and "Hålls för granskning" not in detail.content.decode()
    assert PaymentLine.objects.filter(held_by=review).count() == 5
    response = sv.post(reverse("payments:review", args=[review.pk]), {"decision": "release", "reason": ""})
    assert response.status_code == 200 and "aria-invalid" in response.content.decode()
    response = sv.post(
        reverse("payments:review", args=[review.pk]),
        {"decision": "release", "reason": "Förklarat", "version": review.lock_version},
    )
    assert response.status_code == 302
    assert CreamingReview.objects.get().status == ReviewStatus.DECIDED
    head = UserFactory(unit_head=True, municipality=municipality)
    sv.force_login(head)
    assert sv.get(reverse("payments:review", args=[review.pk])).status_code == 200
    assert sv.post(reverse("payments:review", args=[review.pk]), {"decision": "reject"}).status_code == 403


def test_the_review_api(client, municipality, finance, parker):  # noqa: F811
    client.force_login(finance)
    opened = client.post("/api/creaming-reviews/open/", {"start": "2025-01-01", "end": "2025-03-31"})
    assert opened.status_code == 201
    [review] = opened.json()
    assert (review["rule"], review["people"], review["held_lines"]) == ("parked", 5, 5)
    url = f"/api/creaming-reviews/{review['id']}/decide/"
    assert client.post(url, {"decision": "maybe", "reason": "x"}).status_code == 400
    assert client.post(url, {"decision": "reject", "reason": "x", "version": 99}).status_code == 409
    decided = client.post(url, {"decision": "reject", "reason": "Ingen aktivitet", "version": 0})
    assert decided.status_code == 200 and decided.json()["decision"] == "reject"
    assert client.post(url, {"decision": "release", "reason": "x"}).status_code == 400
    held = PaymentLine.objects.filter(held_by_id=review["id"])
    assert held.count() == 5 and all(line.run == PaymentRun.objects.get(month=MAR) for line in held)
