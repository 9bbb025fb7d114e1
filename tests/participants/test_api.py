import datetime

import pytest
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Consent
from jobbtorg.utils import personal_numbers

from ..factories import ParticipantFactory, ReferralFactory, UserFactory

LIST = "/api/participants/"
LOOKUP = "/api/participants/lookup/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def person(accepted_referral):
    return accepted_referral.participant


def detail_url(participant, name="detail"):
    return reverse(f"api-participant-{name}", args=[participant.pk])


def test_list_shows_masked_numbers_and_logs_each_person(as_user, caseworker, person):
    response = as_user(caseworker).get(LIST)
    assert response.status_code == 200 and response.data["count"] == 1
    row = response.data["results"][0]
    assert row["masked_personal_number"] == person.masked_personal_number
    assert person.personal_number not in str(
        response.content
    ) and person.formatted_personal_number not in str(response.content)
    assert "email" not in row
    log = ReadLog.objects.get(user=caseworker)
    assert (log.participant_id, log.view, log.channel) == (person.pk, "participant_list", "api")


def test_list_filters_by_district_and_target_group(as_user, caseworker, person):
    person.target_groups = ["youth", "sfi_student"]
    person.save()
    other = ParticipantFactory(district=caseworker.district, target_groups=["youth_follow_up"])
    client = as_user(caseworker)
    assert client.get(LIST, {"district": caseworker.district_id}).data["count"] == 2
    assert client.get(LIST, {"district": caseworker.district_id + 1000}).data["count"] == 0
    assert [p["id"] for p in client.get(LIST, {"target_group": "youth"}).data["results"]] == [str(person.pk)]
    assert [p["id"] for p in client.get(LIST, {"target_group": "youth_follow_up"}).data["results"]] == [
        str(other.pk)
    ]
    assert client.get(LIST, {"target_group": "nope"}).status_code == 400
    assert client.get(LIST, {"district": "abc"}).status_code == 400


def test_detail_shows_the_full_record_and_logs_the_read(as_user, caseworker, person):
    Consent.objects.create(
        participant=person,
        scope="district_jobbtorg",
        status="given",
        effective_date=datetime.date(2026, 1, 1),
        recorded_by=caseworker,
    )
    response = as_user(caseworker).get(detail_url(person))
    assert response.status_code == 200
    data = response.data
    assert data["personal_number"] == person.formatted_personal_number
    assert data["email"] == person.email and data["contact_hidden"] is False
    assert [(c["scope"], c["status"]) for c in data["consents"]] == [("district_jobbtorg", "given")]
    log = ReadLog.objects.get(user=caseworker)
    assert (log.participant_id, log.view, log.channel) == (person.pk, "participant_detail", "api")


def test_protected_identity_hides_contact_from_the_jobbtorg(as_user, caseworker, coach, person):
    person.protected_identity = True
    person.save()
    data = as_user(coach).get(detail_url(person)).data
    assert data["contact_hidden"] is True and data["protected_identity"] is True
    assert all(data[f] is None for f in ("email", "phone", "address", "postal_code", "city"))
    assert ReadLog.objects.get(user=coach).protected_identity is True
    data = as_user(caseworker).get(detail_url(person)).data
    assert data["contact_hidden"] is False and data["address"] == person.address


def test_lookup_by_number_in_the_body(as_user, caseworker, person):
    client = as_user(caseworker)
    response = client.post(LOOKUP, {"personal_number": person.formatted_personal_number}, format="json")
    assert response.status_code == 200 and response.data["id"] == str(person.pk)
    short = person.personal_number[2:8] + "-" + person.personal_number[8:]
    assert client.post(LOOKUP, {"personal_number": short}, format="json").data["id"] == str(person.pk)
    assert ReadLog.objects.filter(user=caseworker, view="participant_lookup", channel="api").count() == 2


def test_lookup_gives_the_same_404_for_invalid_unknown_and_invisible(
    as_user, caseworker, other_caseworker, person
):
    wrong_check = person.personal_number[:-1] + str((int(person.personal_number[-1]) + 1) % 10)
    unknown = personal_numbers.make(datetime.date(1970, 3, 3), 321)
    client = as_user(other_caseworker)
    responses = [
        client.post(LOOKUP, {"personal_number": value}, format="json")
        for value in (person.formatted_personal_number, wrong_check, unknown)
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert len({str(r.data) for r in responses}) == 1
    for value in ("abc", "1985-07-09", "", None):
        response = client.post(LOOKUP, {"personal_number": value}, format="json")
        assert response.status_code == 400 and "personal_number" in response.data
    assert client.post(LOOKUP, {}, format="json").status_code == 400
    assert not ReadLog.objects.exists()


def test_consent_is_recorded_by_the_district_caseworker(as_user, caseworker, coach, other_caseworker, person):
    url = detail_url(person, "consents")
    payload = {"status": "withdrawn", "effective_date": "2026-12-01", "note": "Muntligt"}
    response = as_user(caseworker).post(url, payload, format="json")
    assert response.status_code == 201, response.data
    assert response.data["scope"] == "district_jobbtorg" and response.data["status"] == "withdrawn"
    assert as_user(coach).post(url, payload, format="json").status_code == 403
    assert as_user(other_caseworker).post(url, payload, format="json").status_code == 404
    for bad in (
        {"status": "maybe"},
        {},
        {"status": "given", "effective_date": "01/12/2026"},
        {"status": "given", "scope": "everyone"},
    ):
        response = as_user(caseworker).post(url, bad, format="json")
        assert response.status_code == 400, bad
    assert Consent.objects.filter(participant=person).count() == 1


def test_each_role_sees_only_its_scope(as_user, person, other_caseworker, other_unit_coach, analyst, coach):
    ReferralFactory()  # someone in another district and unit
    for user in (other_caseworker, other_unit_coach):
        client = as_user(user)
        assert client.get(detail_url(person)).status_code == 404
        assert str(person.pk) not in str(client.get(LIST).content)
    assert as_user(coach).get(LIST).data["count"] == 1
    provider = UserFactory(provider_staff=True)
    assert as_user(provider).get(LIST).data["count"] == 0
    assert as_user(provider).get(detail_url(person)).status_code == 404
    assert as_user(analyst).get(LIST).status_code == 403
    assert as_user(analyst).get(detail_url(person)).status_code == 403
    assert (
        as_user(analyst)
        .post(LOOKUP, {"personal_number": person.formatted_personal_number}, format="json")
        .status_code
        == 403
    )
    assert as_user(other_caseworker).get("/api/participants/123/").status_code == 404
