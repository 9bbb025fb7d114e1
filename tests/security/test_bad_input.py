"""Input that gave a 500 gives a 400 with a field message (issue 14): NUL characters anywhere (PostgreSQL
refuses them in text), deeply nested JSON, non-numbers as amounts through the API. (Concurrent deliveries of
one month: tests/followup/test_followup.py.)"""

import json

import pytest
from django.urls import reverse

from tests.factories import MunicipalityFactory, ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db

NUL = "\x00"


@pytest.fixture
def finance(db):
    return UserFactory(administrator=True, municipality=MunicipalityFactory())


def test_nul_in_an_api_query_parameter_is_a_400_naming_it(api_client, coach):
    api_client.force_authenticate(coach)
    response = api_client.get("/api/taxonomy/occupations/", {"q": f"sjuk{NUL}sköt"})
    assert response.status_code == 400 and response["Content-Type"] == "application/json"
    assert list(response.json()) == ["q"]


def test_nul_in_a_page_query_is_a_400_page(client, coach):
    client.force_login(coach)
    response = client.get(reverse("participants:search"), {"q": f"Ande{NUL}rsson"})
    assert response.status_code == 400 and "<h1>Felaktig begäran</h1>" in response.content.decode()


def test_nul_in_a_posted_form_is_a_400(client, coach):
    client.force_login(coach)
    response = client.post(reverse("participants:search"), {"personal_number": f"1987{NUL}"})
    assert response.status_code == 400


def test_nul_in_the_path_is_a_400(client, coach):
    client.force_login(coach)
    assert client.get("/personer/%00/").status_code == 400


def test_nul_in_a_json_value_or_key_is_a_400_naming_the_field(api_client, finance):
    api_client.force_authenticate(finance)
    person = ParticipantFactory()
    body = {
        "month": "2025-03",
        "rows": [{"personal_number": person.personal_number, "reason_code": f"1{NUL}"}],
    }
    response = api_client.post("/api/assistance-imports/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"rows[0].reason_code": ["Nolltecken (\\0) är inte tillåtna."]}
    body = {"month": "2025-03", f"ro{NUL}ws": []}
    assert api_client.post("/api/assistance-imports/", body, format="json").status_code == 400


def test_nul_in_a_multipart_field_is_a_400(api_client, finance):
    api_client.force_authenticate(finance)
    response = api_client.post("/api/assistance-imports/", {"note": f"x{NUL}"}, format="multipart")
    assert response.status_code == 400 and "note" in response.json()


@pytest.mark.parametrize("depth", [40, 100_000])
def test_deeply_nested_json_is_a_400(api_client, caseworker, depth):
    api_client.force_authenticate(caseworker)
    body = "[" * depth + "]" * depth
    response = api_client.post("/api/referrals/", body, content_type="application/json")
    assert response.status_code == 400 and response["Content-Type"] == "application/json"


def test_json_of_ordinary_depth_still_works(api_client, finance):
    api_client.force_authenticate(finance)
    person = ParticipantFactory(municipality=finance.municipality)
    body = {"month": "2025-03", "rows": [{"personal_number": person.personal_number, "amount": "1 234,50"}]}
    response = api_client.post("/api/assistance-imports/", body, format="json")
    assert response.status_code == 201, response.content


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity"])
def test_non_numbers_as_amounts_in_the_api_are_a_400(api_client, finance, amount):
    api_client.force_authenticate(finance)
    person = ParticipantFactory()
    body = {"month": "2025-03", "rows": [{"personal_number": person.personal_number, "amount": amount}]}
    response = api_client.post("/api/assistance-imports/", body, format="json")
    assert response.status_code == 400 and response.json()["errors"][0]["line"] == 1


def test_nan_as_a_json_literal_is_a_400(api_client, finance):
    api_client.force_authenticate(finance)
    body = json.dumps({"month": "2025-03", "rows": []})[:-2] + '[{"personal_number": "x", "amount": NaN}]}'
    response = api_client.post("/api/assistance-imports/", body, content_type="application/json")
    assert response.status_code == 400
