import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jobbtorg.audit.models import ReadLog
from jobbtorg.audit.services import read_record
from jobbtorg.utils import personal_numbers

from ..factories import ReferralFactory, UserFactory


@pytest.fixture
def client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def people(district, coach, caseworker):
    first = ReferralFactory(participant__district=district, participant__last_name="Hassan").participant
    second = ReferralFactory(participant__district=district, participant__last_name="Lindqvist").participant
    read_record(user=coach, participant=first, view="participant_detail")
    read_record(user=caseworker, participant=second, view="referral_detail")
    return first, second


def _rows(response) -> int:
    return response.text.count("<tr>") - 1


def test_unit_head_sees_the_latest_reads(client, unit_head, people):
    client.force_login(unit_head)
    response = client.get(reverse("audit:reads"))
    assert response.status_code == 200
    assert "Hassan" in response.text and "Lindqvist" in response.text
    assert people[0].masked_personal_number in response.text
    assert people[0].formatted_personal_number not in response.text


@pytest.mark.parametrize("fixture", ["coach", "caseworker", "analyst"])
def test_read_log_is_for_unit_heads_only(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("audit:reads")).status_code == 403
    assert client.post(reverse("audit:reads"), {}).status_code == 403


def test_search_by_person_is_posted(client, unit_head, people):
    client.force_login(unit_head)
    response = client.post(reverse("audit:reads"), {"personal_number": people[0].formatted_personal_number})
    assert response.status_code == 200
    assert "Hassan" in response.text and "Lindqvist" not in response.text
    assert _rows(response) == 1


def test_search_by_user(client, unit_head, caseworker, people):
    client.force_login(unit_head)
    response = client.post(reverse("audit:reads"), {"username": caseworker.username})
    assert "Lindqvist" in response.text and "Hassan" not in response.text


def test_search_by_dates(client, unit_head, people):
    client.force_login(unit_head)
    today = timezone.localdate()
    response = client.post(reverse("audit:reads"), {"since": str(today + datetime.timedelta(days=1))})
    assert "No reads found" in response.text
    response = client.post(reverse("audit:reads"), {"since": str(today), "until": str(today)})
    assert _rows(response) == 2


def test_bad_filters_are_field_errors(client, unit_head, people):
    client.force_login(unit_head)
    response = client.post(
        reverse("audit:reads"),
        {
            "personal_number": personal_numbers.make(datetime.date(1960, 1, 1), 5),
            "username": "nobody",
            "since": "2026-02-01",
            "until": "2026-01-01",
        },
    )
    assert response.status_code == 200
    for field in ("personal_number", "username", "until"):
        assert f'id="id_{field}_error"' in response.text
    response = client.post(reverse("audit:reads"), {"personal_number": "123"})
    assert response.status_code == 200 and 'id="id_personal_number_error"' in response.text


def test_unit_head_does_not_see_reads_of_other_units_people(client, unit_head, people, other_unit_coach):
    stranger = ReferralFactory(participant__last_name="Främling").participant
    read_record(user=UserFactory(caseworker=True, district=stranger.district), participant=stranger, view="x")
    client.force_login(unit_head)
    assert "Främling" not in client.get(reverse("audit:reads")).text


def test_person_page_and_referral_page_reads_are_searchable(client, unit_head, coach, district):
    referral = ReferralFactory(participant__district=district)
    client.force_login(coach)
    client.get(reverse("participants:detail", args=[referral.participant_id]))
    client.get(reverse("referrals:detail", args=[referral.pk]))
    assert set(ReadLog.objects.values_list("view", flat=True)) == {"participant_detail", "referral_detail"}
    client.force_login(unit_head)
    response = client.post(reverse("audit:reads"), {"username": coach.username})
    assert "participant_detail" in response.text and "referral_detail" in response.text


def test_pagination_is_posted_too(client, unit_head, coach, district):
    person = ReferralFactory(participant__district=district).participant
    for _ in range(55):
        read_record(user=coach, participant=person, view="participant_detail")
    client.force_login(unit_head)
    response = client.post(reverse("audit:reads"), {"personal_number": person.personal_number, "page": "2"})
    assert _rows(response) == 5
    assert 'form="read-filter" name="page" value="1"' in response.text
