import datetime

import pytest
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.audit.services import read_record
from jobbtorg.utils import personal_numbers

from ..factories import ParticipantFactory, ReferralFactory

READS = "/api/audit/reads/"
SEARCH = "/api/audit/reads/search/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.fixture
def reads(accepted_referral, coach, caseworker):
    person = accepted_referral.participant
    other = ReferralFactory(accepted=True, unit=accepted_referral.unit).participant
    stranger = ParticipantFactory()  # never referred to the unit, read by nobody of it
    read_record(user=coach, participant=person, view="participant_detail", channel="api")
    read_record(user=caseworker, participant=person, view="referral_detail")
    read_record(user=coach, participant=other, view="plan_detail", channel="api")
    return person, other, stranger


def test_unit_head_sees_reads_of_the_unit(as_user, unit_head, reads, coach):
    person, other, _ = reads
    response = as_user(unit_head).get(READS)
    assert response.status_code == 200 and response.data["count"] == 3
    row = response.data["results"][0]
    assert set(row) == {"id", "at", "user", "participant_id", "view", "channel", "protected_identity"}
    assert as_user(unit_head).get(READS, {"user": coach.pk}).data["count"] == 2
    today = timezone.localdate()
    assert as_user(unit_head).get(READS, {"since": today.isoformat()}).data["count"] == 3
    assert (
        as_user(unit_head)
        .get(READS, {"until": (today - datetime.timedelta(days=1)).isoformat()})
        .data["count"]
        == 0
    )


def test_search_by_person_keeps_the_number_out_of_the_url(as_user, unit_head, reads, coach):
    person, other, stranger = reads
    client = as_user(unit_head)
    response = client.post(SEARCH, {"personal_number": person.formatted_personal_number}, format="json")
    assert response.status_code == 200 and response.data["count"] == 2
    assert {r["participant_id"] for r in response.data["results"]} == {str(person.pk)}
    response = client.post(
        SEARCH, {"personal_number": person.formatted_personal_number, "user": coach.pk}, format="json"
    )
    assert response.data["count"] == 1
    assert (
        client.post(
            SEARCH, {"personal_number": stranger.formatted_personal_number}, format="json"
        ).status_code
        == 404
    )
    unknown = personal_numbers.make(datetime.date(1960, 5, 5), 111)
    assert client.post(SEARCH, {"personal_number": unknown}, format="json").status_code == 404
    response = client.post(SEARCH, {"personal_number": "abc"}, format="json")
    assert response.status_code == 400 and "personal_number" in response.data


@pytest.mark.parametrize(
    "params",
    [
        {"user": "x"},
        {"since": "yesterday"},
        {"until": "2026-02-30"},
        {"user": 10**30},
        {"since": "0001-01-01"},
    ],
)
def test_bad_filters_are_400(as_user, unit_head, params):
    assert as_user(unit_head).get(READS, params).status_code == 400
    assert (
        as_user(unit_head)
        .post(SEARCH, {"personal_number": "19850709-1234", **params}, format="json")
        .status_code
        == 400
    )


def test_only_the_unit_head_reads_the_log(as_user, reads, coach, caseworker, analyst):
    for user in (coach, caseworker, analyst):
        assert as_user(user).get(READS).status_code == 403
        assert (
            as_user(user)
            .post(SEARCH, {"personal_number": reads[0].formatted_personal_number}, format="json")
            .status_code
            == 403
        )
    assert ReadLog.objects.count() == 3
