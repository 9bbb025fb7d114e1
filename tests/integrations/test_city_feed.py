"""The city's own vacancies: an employer flagged as the city feeds them by file (CSV as Excel in Sweden saves
it, or XLSX) or by the API; all rows or none, idempotent by the city's id, `stängd` closes."""

import io

import pytest
from openpyxl import Workbook
from rest_framework.test import APIClient

from jobbtorg.matching.constants import VacancySource, VacancyStatus
from jobbtorg.matching.models import Vacancy

from ..factories import MunicipalityFactory, UnitFactory, UserFactory
from ..matching.factories import EmployerFactory

CSV = (
    "id;titel;ssyk;timmar;postnummer;ort;antal;sista_ansokningsdag;status\n"
    "SLK-2026-101;Barnskötare till förskolan Solrosen;5311;40;16355;Spånga;3;2027-01-20;öppen\n"
    "SLK-2026-102;Undersköterska, hemtjänst;5321;30;16440;Kista;2;;\n"
).encode("cp1252")


@pytest.fixture
def matcher(unit):
    return UserFactory(matcher=True, unit=unit)


@pytest.fixture
def city(unit):
    return EmployerFactory(municipality=unit.municipality, is_city=True, name="Stockholms stad")


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_file_twice_creates_each_vacancy_once_and_a_closed_row_closes(matcher, city):
    url = f"/api/matching/employers/{city.pk}/city-vacancies/"
    answer = _api(matcher).post(url, {"file": io.BytesIO(CSV)}, format="multipart")
    assert answer.status_code == 200, answer.json()
    assert answer.json() | {"errors": []} == {
        "ok": True,
        "created": 2,
        "updated": 0,
        "closed": 0,
        "errors": [],
    }
    again = _api(matcher).post(url, {"file": io.BytesIO(CSV)}, format="multipart").json()
    assert (again["created"], again["updated"]) == (0, 2)
    childcare = Vacancy.objects.get(source=VacancySource.CITY, external_id="SLK-2026-101")
    assert (childcare.occupation_id, childcare.places, childcare.postal_code) == ("5311", 3, "16355")
    assert Vacancy.objects.filter(employer=city).count() == 2

    book = Workbook()
    sheet = book.active
    sheet.append(["id", "titel", "ssyk", "status"])
    sheet.append(["SLK-2026-101", "", "", "stängd"])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "stad.xlsx"
    closed = _api(matcher).post(url, {"file": content}, format="multipart").json()
    assert closed["closed"] == 1
    childcare.refresh_from_db()
    assert childcare.status == VacancyStatus.CLOSED


def test_json_rows_and_one_bad_row_rejects_all(matcher, city):
    url = f"/api/matching/employers/{city.pk}/city-vacancies/"
    rows = [
        {"id": "SLK-1", "titel": "Lokalvårdare", "ssyk": "9111"},
        {"id": "SLK-2", "titel": "Kock", "ssyk": "0000"},
        {"id": "SLK-3", "titel": "Kock", "ssyk": "5120", "timmar": "99"},
    ]
    answer = _api(matcher).post(url, {"vacancies": rows}, format="json")
    assert answer.status_code == 400
    assert [e["line"] for e in answer.json()["errors"]] == [2, 3]
    assert not Vacancy.objects.filter(employer=city).exists()
    ok = _api(matcher).post(url, {"vacancies": rows[:1]}, format="json")
    assert ok.status_code == 200 and ok.json()["created"] == 1
    assert _api(matcher).post(url, {}, format="json").status_code == 400


def test_only_the_city_and_only_its_own_municipality_s_matcher(matcher, city, unit):
    private = EmployerFactory(municipality=unit.municipality, is_city=False, name="Bolaget AB")
    rows = {"vacancies": [{"id": "X-1", "titel": "Kock", "ssyk": "5120"}]}
    refused = _api(matcher).post(f"/api/matching/employers/{private.pk}/city-vacancies/", rows, format="json")
    assert refused.status_code == 400 and "staden själv" in refused.json()["errors"][0]["message"]
    assert not Vacancy.objects.filter(employer=private).exists()
    coach = UserFactory(coach=True, unit=unit)
    assert (
        _api(coach)
        .post(f"/api/matching/employers/{city.pk}/city-vacancies/", rows, format="json")
        .status_code
        == 403
    )
    solna = UnitFactory(municipality=MunicipalityFactory(code="0184", name="Solna"))
    other = UserFactory(matcher=True, unit=solna)  # another municipality: the employer is not there
    url = f"/api/matching/employers/{city.pk}/city-vacancies/"
    assert _api(other).post(url, rows, format="json").status_code == 404
