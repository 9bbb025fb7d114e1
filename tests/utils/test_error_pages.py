"""Error pages people can read: Swedish 400/403/404/500 and CSRF failure in the product's layout with the way
back; JSON under /api/ (also for an oversized body and a 500); a 500's reference is in its log record."""

import json
import logging

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

LAYOUT = 'class="site-header"'


def _swedish_page(response, status: int, title: str) -> str:
    body = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert LAYOUT in body and f"<h1>{title}</h1>" in body
    assert 'href="/"' in body  # the way back
    assert 'lang="sv"' in body
    return body


def test_404_is_a_swedish_page_in_the_layout(client, coach):
    client.force_login(coach)
    body = _swedish_page(client.get("/finns-inte/"), 404, "Sidan finns inte")
    assert "Till startsidan" in body


def test_404_for_someone_not_logged_in_too(client):
    _swedish_page(client.get("/finns-inte/"), 404, "Sidan finns inte")


def test_403_is_a_swedish_page(client, coach):
    client.force_login(coach)
    # a coach may not open the administrator's import page
    _swedish_page(client.get(reverse("followup:assistance")), 403, "Ingen behörighet")


def test_csrf_failure_is_a_swedish_page(coach):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coach)
    body = _swedish_page(
        client.post(reverse("participants:search"), {}), 403, "Formuläret kunde inte skickas"
    )
    assert "ladda om sidan" in body


@pytest.mark.urls("tests.utils.urls_failing")
def test_500_shows_a_reference_that_is_in_the_log_record(coach, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(coach)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/trasig/")
    body = _swedish_page(response, 500, "Något gick fel")
    record = next(r for r in caplog.records if r.name == "django.request" and r.levelno == logging.ERROR)
    assert record.reference and len(record.reference) >= 8
    assert f"<code>{record.reference}</code>" in body
    assert record.reference in record.getMessage()
    assert record.exc_info and "boom in a view" in str(record.exc_info[1])


@pytest.mark.urls("tests.utils.urls_failing")
def test_api_500_is_json_with_the_reference(coach, caplog):
    client = Client(raise_request_exception=False)
    client.force_login(coach)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/trasig/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    data = response.json()
    assert data["code"] == "server_error" and data["reference"]
    assert any(getattr(r, "reference", None) == data["reference"] for r in caplog.records)


def test_api_404_for_an_unknown_address_is_json(api_client, coach):
    api_client.force_authenticate(coach)
    response = api_client.get("/api/finns-inte/")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_api_body_over_the_limit_is_a_json_400(api_client, caseworker, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    api_client.force_authenticate(caseworker)
    body = json.dumps({"goal": "x" * 5000})
    response = api_client.post("/api/referrals/", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert response.json()["detail"]


def test_page_body_over_the_limit_is_a_swedish_400(client, coach, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(coach)
    response = client.post(reverse("participants:search"), {"personal_number": "x" * 5000})
    _swedish_page(response, 400, "Felaktig begäran")
