"""Vacancies from Platsbanken through JobTech's JobStream, against a local server serving fixtures with the
structure of real answers (tests/integrations/fixtures): the snapshot first, then the stream from the stored
cursor; each ad once, updated in place, a removed ad closed, employers matched by organisation number."""

import datetime as dt
import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from jobbtorg.accounts.models import Municipality
from jobbtorg.matching import selectors
from jobbtorg.matching.constants import VacancySource, VacancyStatus
from jobbtorg.matching.jobtech import FeedUnavailable, jobstream_import
from jobbtorg.matching.models import Employer, Vacancy, VacancyFeed
from jobbtorg.matching.tasks import import_platsbanken

from ..factories import MappingFactory, UserFactory
from ..matching.factories import EmployerFactory
from .fakehttp import FakeServer

FIXTURES = Path(__file__).parent / "fixtures"


def fixture(name: str):
    return json.loads((FIXTURES / name).read_text())


def jobstream(request):
    if request.path == "/v2/snapshot":
        return 200, fixture("jobstream_snapshot.json")
    if request.path == "/v2/stream" and request.query.get("date"):
        return 200, fixture("jobstream_stream.json")
    return 404, {"message": "not found"}


@pytest.fixture
def server(settings):
    with FakeServer(answer=jobstream) as fake:
        settings.JOBBTORG_JOBSTREAM = {
            "BASE_URL": fake.url,
            "API_KEY": "",
            "TIMEOUT": 5,
            "MUNICIPALITIES": ["0180"],
        }
        yield fake


@pytest.fixture
def stockholm(unit):
    municipality = unit.municipality
    assert municipality.code == "0180"
    return municipality


def test_an_import_run_twice_creates_each_ad_once_and_closes_a_removed_one(server, stockholm):
    known = EmployerFactory(municipality=stockholm, organisation_number="556703-7485", name="Kista Lunch")

    first = jobstream_import(municipality=stockholm)
    assert (first.created, first.updated, first.closed, first.elsewhere) == (2, 0, 0, 1)
    assert [r.path for r in server.requests] == ["/v2/snapshot"]
    nurse = Vacancy.objects.get(source=VacancySource.PLATSBANKEN, external_id="29384756")
    cook = Vacancy.objects.get(source=VacancySource.PLATSBANKEN, external_id="29384757")
    # the SSYK group from the occupation group, the rest from the ad's fields
    assert nurse.occupation_id == "5321" and cook.occupation_id == "5120"
    assert nurse.employer.organisation_number == "212000-0142" and nurse.employer.name == "Stockholms kommun"
    assert cook.employer == known  # matched by organisation number, not created again
    assert Employer.objects.filter(municipality=stockholm).count() == 2
    assert (nurse.postal_code, nurse.city, nurse.hours_per_week, nurse.places) == ("16373", "Spånga", 40, 2)
    assert nurse.deadline == dt.date(2027, 1, 15) and nurse.driving_licence_required
    assert nurse.swedish_level == "sfi_d"  # Swedish is a must
    assert (nurse.employment_type, nurse.working_hours) == ("Vanlig anställning", "Heltid")
    assert cook.hours_per_week == 30  # part time, 75 %
    assert nurse.external_url.endswith("/29384756")
    assert list(nurse.skill_links.values_list("skill__concept_id", "required")) == [("x289_bKF_ihE", True)]
    assert list(cook.skill_links.values_list("skill__concept_id", "required")) == [("dNA9_T9K_JXF", False)]
    feed = VacancyFeed.objects.get(municipality=stockholm, source=VacancySource.PLATSBANKEN)
    assert feed.cursor and feed.last_result["created"] == 2

    second = jobstream_import(municipality=stockholm)
    assert server.requests[-1].path == "/v2/stream" and server.requests[-1].query == {"date": feed.cursor}
    assert (second.created, second.updated, second.closed) == (0, 1, 1)
    assert second.skipped == {"unknown occupation group": 1}
    cook.refresh_from_db()
    nurse.refresh_from_db()
    assert cook.status == VacancyStatus.CLOSED
    assert nurse.status == VacancyStatus.OPEN and nurse.places == 3 and nurse.deadline == dt.date(2027, 1, 31)

    third = jobstream_import(municipality=stockholm)  # the same changes again: nothing new
    assert (third.created, third.updated, third.closed, third.unchanged) == (0, 0, 0, 2)
    assert Vacancy.objects.filter(source=VacancySource.PLATSBANKEN).count() == 2


def test_imported_vacancies_take_part_in_matching_marked_platsbanken(server, stockholm, accepted_referral):
    jobstream_import(municipality=stockholm)
    MappingFactory(
        referral=accepted_referral,
        wanted_occupations=["5321"],
        swedish_level="sfi_d",
        driving_licence="b",
        work_capacity=100,
    )
    matcher = UserFactory(matcher=True, unit=accepted_referral.unit)
    ranked = selectors.rank_vacancies_for_participant(participant=accepted_referral.participant, user=matcher)
    assert ranked[0]["vacancy"].external_id == "29384756"
    client = Client()
    client.force_login(matcher)
    page = client.get(reverse("matching:vacancies"))
    assert "Undersköterska till hemtjänsten i Rinkeby" in page.text and "Platsbanken" in page.text
    data = client.get(f"/api/matching/participant-rankings/{accepted_referral.participant.pk}/").json()
    assert (
        data[0]["source"] == "platsbanken" and data[0]["title"] == "Undersköterska till hemtjänsten i Rinkeby"
    )


def test_a_feed_that_is_away_changes_nothing_and_keeps_the_cursor(server, stockholm):
    jobstream_import(municipality=stockholm)
    cursor = VacancyFeed.objects.get().cursor
    server.answer = lambda request: (503, {"message": "unavailable"})
    with pytest.raises(FeedUnavailable):
        jobstream_import(municipality=stockholm)
    assert VacancyFeed.objects.get().cursor == cursor
    assert Vacancy.objects.filter(status=VacancyStatus.OPEN).count() == 2


def test_the_scheduled_task_imports_for_the_configured_municipalities(server, stockholm, settings):
    Municipality.objects.create(name="Solna", code="0184")
    assert "0180" in import_platsbanken.delay().get()
    assert not VacancyFeed.objects.filter(municipality__code="0184").exists()
    settings.JOBBTORG_JOBSTREAM = {**settings.JOBBTORG_JOBSTREAM, "MUNICIPALITIES": []}
    assert import_platsbanken.delay().get() == "Platsbanken import not configured"
