import datetime

import pytest
from django.test import Client
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Consent
from jobbtorg.utils import personal_numbers

from ..factories import MappingFactory, ParticipantFactory, ReferralFactory

NOT_FOUND = "No person you have access to has this number"


@pytest.fixture
def client():
    client = Client()
    client.cookies["django_language"] = "en"
    return client


@pytest.fixture
def person(district):
    return ParticipantFactory(district=district, first_name="Amina", last_name="Hassan")


@pytest.fixture
def referred(person, caseworker):
    return ReferralFactory(participant=person, caseworker=caseworker)


def _assert_no_number_in(url: str, participant) -> None:
    digits = participant.personal_number
    assert digits not in url and participant.formatted_personal_number not in url and digits[2:] not in url


@pytest.mark.parametrize("fixture", ["caseworker", "coach", "unit_head"])
def test_search_page_renders_for_case_staff(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(reverse("participants:search"))
    assert response.status_code == 200 and 'for="id_personal_number"' in response.text


@pytest.mark.parametrize("fixture", ["analyst"])
def test_search_is_forbidden_to_roles_without_person_records(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("participants:search")).status_code == 403


def test_lookup_by_number_is_a_post_and_redirects_to_the_person(client, caseworker, person):
    client.force_login(caseworker)
    response = client.post(
        reverse("participants:search"), {"personal_number": person.formatted_personal_number}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("participants:detail", args=[person.pk])
    _assert_no_number_in(response["Location"], person)


def test_lookup_does_not_reveal_people_outside_the_users_scope(client, other_caseworker, person):
    client.force_login(other_caseworker)
    hidden = client.post(reverse("participants:search"), {"personal_number": person.personal_number})
    missing = client.post(
        reverse("participants:search"),
        {"personal_number": personal_numbers.make(datetime.date(1970, 5, 5), 321)},
    )
    assert hidden.status_code == missing.status_code == 200
    assert NOT_FOUND in hidden.text and NOT_FOUND in missing.text


def test_lookup_with_an_invalid_number_shows_a_field_error(client, caseworker):
    client.force_login(caseworker)
    response = client.post(reverse("participants:search"), {"personal_number": "19850709-1234"})
    assert response.status_code == 200 and "not a valid personal identity number" in response.text
    assert 'id="id_personal_number_error"' in response.text


def test_name_search_shows_masked_numbers_and_logs_the_reads(client, coach, referred, person):
    client.force_login(coach)
    response = client.get(reverse("participants:search"), {"q": "hass"})
    assert response.status_code == 200
    assert (
        person.masked_personal_number in response.text
        and person.formatted_personal_number not in response.text
    )
    assert (
        ReadLog.objects.filter(user=coach, participant_id=person.pk, view="participant_search").count() == 1
    )


def test_name_search_only_covers_visible_people(client, other_unit_coach, referred):
    client.force_login(other_unit_coach)
    response = client.get(reverse("participants:search"), {"q": "Hassan"}, headers={"hx-request": "true"})
    assert response.status_code == 200 and "Hassan" not in response.text
    assert "<html" not in response.text  # HTMX gets the results fragment only


def test_person_page_for_the_caseworker_shows_everything_and_logs_the_read(
    client, caseworker, referred, person
):
    client.force_login(caseworker)
    response = client.get(reverse("participants:detail", args=[person.pk]))
    assert response.status_code == 200
    assert person.formatted_personal_number in response.text and "Testgatan 1" in response.text
    assert "Received" in response.text and "Record consent" in response.text
    entry = ReadLog.objects.get(participant_id=person.pk, view="participant_detail")
    assert entry.user == caseworker and entry.channel == "page"


def test_protected_identity_hides_contact_from_unit_staff(client, coach, caseworker, person, referred):
    person.protected_identity = True
    person.save()
    client.force_login(coach)
    response = client.get(reverse("participants:detail", args=[person.pk]))
    assert response.status_code == 200
    assert 'class="protected"' in response.text and "Hidden: protected identity" in response.text
    assert "Testgatan 1" not in response.text and person.phone not in response.text
    assert "Record consent" not in response.text
    assert ReadLog.objects.get(participant_id=person.pk).protected_identity
    client.force_login(caseworker)
    assert "Testgatan 1" in client.get(reverse("participants:detail", args=[person.pk])).text


def test_coordination_number_is_noted(client, caseworker, district):
    person = ParticipantFactory(
        district=district,
        personal_number=personal_numbers.make(datetime.date(1991, 3, 4), 55, coordination=True),
    )
    client.force_login(caseworker)
    assert "Coordination number" in client.get(reverse("participants:detail", args=[person.pk])).text


def test_person_page_shows_mapping_tier_and_plan_links(client, coach, caseworker, district):
    mapping = MappingFactory(
        referral__participant__district=district,
        referral__caseworker=caseworker,
        tier="B",
        tier_reasons=[{"factor": "swedish", "points": 1, "text": "Swedish at SFI C–D level"}],
    )
    client.force_login(coach)
    response = client.get(reverse("participants:detail", args=[mapping.participant_id]))
    assert response.status_code == 200
    assert "Swedish at SFI C–D level" in response.text
    assert reverse("plans:plan", args=[mapping.referral_id]) in response.text
    assert reverse("plans:mapping", args=[mapping.referral_id]) in response.text


@pytest.mark.parametrize(
    ("fixture", "status"), [("other_caseworker", 404), ("other_unit_coach", 404), ("analyst", 403)]
)
def test_person_page_outside_scope(client, request, referred, person, fixture, status):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(reverse("participants:detail", args=[person.pk])).status_code == status
    assert not ReadLog.objects.exists()


def test_coach_does_not_see_a_person_never_referred_to_the_unit(client, coach, person):
    client.force_login(coach)
    assert client.get(reverse("participants:detail", args=[person.pk])).status_code == 404


def test_caseworker_records_consent_withdrawn(client, caseworker, person):
    client.force_login(caseworker)
    response = client.post(
        reverse("participants:consent", args=[person.pk]),
        {
            "consent-status": "withdrawn",
            "consent-effective_date": "2026-01-05",
            "consent-note": "Per telefon",
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "participants:detail", args=[person.pk]
    )
    consent = Consent.objects.get(participant=person)
    assert consent.status == "withdrawn" and consent.effective_date == datetime.date(2026, 1, 5)


def test_consent_by_htmx_returns_the_consent_box(client, caseworker, person):
    client.force_login(caseworker)
    response = client.post(
        reverse("participants:consent", args=[person.pk]),
        {"consent-status": "given", "consent-effective_date": "2026-01-05"},
        headers={"hx-request": "true"},
    )
    assert response.status_code == 200 and 'id="consent"' in response.text and "<html" not in response.text
    assert Consent.objects.get(participant=person).status == "given"


def test_consent_with_bad_input_shows_errors_and_writes_nothing(client, caseworker, person):
    client.force_login(caseworker)
    response = client.post(
        reverse("participants:consent", args=[person.pk]),
        {"consent-status": "maybe", "consent-effective_date": ""},
    )
    assert response.status_code == 200 and 'role="alert"' in response.text
    assert not Consent.objects.exists()


def test_consent_is_for_caseworkers_of_the_district(client, coach, other_caseworker, person, referred):
    data = {"consent-status": "given", "consent-effective_date": "2026-01-05"}
    client.force_login(coach)
    assert client.post(reverse("participants:consent", args=[person.pk]), data).status_code == 403
    client.force_login(other_caseworker)
    assert client.post(reverse("participants:consent", args=[person.pk]), data).status_code == 404
    assert not Consent.objects.exists()


def test_name_search_refuses_numbers(client, caseworker, person):
    client.force_login(caseworker)
    response = client.get(reverse("participants:search"), {"q": person.personal_number})
    # An identity number in the address is refused before the search runs, without echoing it (issue 14;
    # tests/utils/test_identity_numbers_in_urls.py); a number that is not a valid one gets the field error.
    assert response.status_code == 400 and person.personal_number[-4:] not in response.text
    assert person.last_name not in response.text and not ReadLog.objects.exists()
    response = client.get(reverse("participants:search"), {"q": "123456"})
    assert response.status_code == 200 and 'id="id_q_error"' in response.text
