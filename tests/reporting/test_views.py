import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import ReferralFactory, UnitFactory, UserFactory


@pytest.fixture
def client_en(client):
    client.cookies["django_language"] = "en"
    return client


def test_unit_head_sees_the_dashboard_with_charts(client_en, unit_head):
    client_en.force_login(unit_head)
    response = client_en.get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "reporting/plotly.min.js" in body and 'type="application/json"' in body
    assert "Fair comparison" in body and "U40455" in body
    assert "<script>" not in body  # no inline script (CSP)


def test_unit_head_can_download_csv_and_xlsx(client_en, unit_head):
    client_en.force_login(unit_head)
    csv = client_en.get(reverse("reporting:export", args=["results", "csv"]))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    xlsx = client_en.get(reverse("reporting:export", args=["kolada", "xlsx"]))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"


def test_analyst_sees_aggregates_and_the_extract_but_no_person(client_en, analyst, caseworker):
    referral = ReferralFactory(district=caseworker.district, participant__district=caseworker.district)
    client_en.force_login(analyst)
    assert client_en.get(reverse("reporting:dashboard")).status_code == 200
    assert client_en.get(reverse("reporting:research")).status_code == 200
    person = client_en.get(reverse("participants:detail", args=[referral.participant_id]))
    assert person.status_code in (403, 404)


@override_settings(JOBBTORG_RESEARCH_KEY="test-key")
def test_research_extract_is_pseudonymised(client_en, analyst, caseworker):
    from jobbtorg.reporting.services import indicators_refresh

    analyst.municipality = caseworker.district.municipality
    analyst.save()
    referral = ReferralFactory(district=caseworker.district, participant__district=caseworker.district)
    indicators_refresh()
    client_en.force_login(analyst)
    response = client_en.get(reverse("reporting:research") + "?download=csv")
    body = b"".join(response.streaming_content).decode()
    assert referral.participant.personal_number not in body
    assert referral.participant.last_name not in body
    from jobbtorg.reporting.research import pseudonym

    assert pseudonym(referral.participant.personal_number, key=b"test-key") in body


@pytest.mark.parametrize("role", ["coach", "caseworker", "provider_staff"])
def test_other_roles_are_refused(client_en, db, role):
    user = UserFactory(**{role: True})
    client_en.force_login(user)
    assert client_en.get(reverse("reporting:dashboard")).status_code == 403
    assert client_en.get(reverse("reporting:research")).status_code == 403


def test_unit_head_has_no_research_extract(client_en, unit_head):
    client_en.force_login(unit_head)
    assert client_en.get(reverse("reporting:research")).status_code == 403


def test_dashboard_downloads_keep_formula_like_text_as_text():
    """The one exporter of the dashboard tables: CSV cells get an apostrophe, XLSX cells are typed text."""
    import csv
    import io

    from openpyxl import load_workbook

    from jobbtorg.reporting.exports import download

    rows = [['=HYPERLINK("http://evil.example")', -3, "-1,5"]]
    body = download(name="t", header=["a", "b", "c"], rows=rows, fmt="csv").content.decode().lstrip("\ufeff")
    assert list(csv.reader(io.StringIO(body), delimiter=";"))[1] == [
        '\'=HYPERLINK("http://evil.example")',
        "-3",
        "-1,5",
    ]
    book = load_workbook(
        io.BytesIO(download(name="t", header=["a", "b", "c"], rows=rows, fmt="xlsx").content)
    )
    first, number, text = book.active[2]
    assert first.data_type == "s" and first.value.startswith("=HYPERLINK")
    assert number.data_type == "n" and number.value == -3


def test_overview_shows_aggregates_with_small_counts_suppressed(client, analyst, unit, district):
    small = UnitFactory(municipality=unit.municipality, name="Jobbtorg Liten")
    people = [ReferralFactory(participant__district=district) for _ in range(6)]
    ReferralFactory(participant__district=district, unit=small)
    client.force_login(analyst)
    response = client.get(reverse("reporting:overview"))
    assert response.status_code == 200
    body = response.text
    assert "Jobbtorg Järva" in body and "Jobbtorg Liten" in body
    assert "<td>6</td>" in body and "&lt;5" in body
    assert not any(referral.participant.last_name in body for referral in people)
    assert not any(referral.participant.masked_personal_number in body for referral in people)


@pytest.mark.parametrize("fixture", ["caseworker", "coach", "unit_head"])
def test_overview_is_for_analysts_only(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("reporting:overview")).status_code == 403
