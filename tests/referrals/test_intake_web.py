"""The intake at the unit (ADR 0020) through the API and the page: 201/redirect, 400 with field messages,
403 for roles that may not, the read logged, the identity number never in a URL."""

import datetime

import pytest
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Participant
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers

from ..factories import ParticipantFactory, UserFactory

PNR = personal_numbers.make(datetime.date(1985, 7, 9), 456)


def body(home, **overrides):
    data = {
        "personal_number": personal_numbers.formatted(PNR),
        "first_name": "Amina",
        "last_name": "Ali",
        "phone": "070-111 22 33",
        "district": home.pk,
        "source": "social_insurance",
        "target_group": "unemployed_on_assistance",
        "reason": "Sjukskriven, vill pröva arbete.",
        "consent_given": True,
        "referral_date": "2026-12-07",
    }
    data.update(overrides)
    return data


URL = "/api/referrals/intake/"


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def test_the_endpoint_is_in_the_schema_and_named():
    assert reverse("api-referral-intake") == URL


def test_a_coach_registers_an_intake_through_the_api(as_user, coach, district):
    response = as_user(coach).post(URL, body(district), format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "accepted" and data["source"] == "social_insurance"
    assert data["caseworker"] is None and data["coach"]["id"] == coach.pk
    referral = Referral.objects.get(pk=data["id"])
    assert referral.is_intake and referral.unit_id == coach.unit_id
    assert ReadLog.objects.filter(
        user=coach, participant_id=referral.participant_id, view="referral_created"
    ).exists()


def test_a_bad_identity_number_is_a_400_on_its_field(as_user, coach, district):
    response = as_user(coach).post(URL, body(district, personal_number="19850709-4560"), format="json")
    assert response.status_code == 400
    assert "personal_number" in str(response.json())
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"source": "social_services"}, "source"),
        ({"source": "other", "source_other": ""}, "source_other"),
        ({"district": 999999}, "district"),
        ({"reason": ""}, "reason"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(as_user, coach, district, overrides, field):
    response = as_user(coach).post(URL, body(district, **overrides), format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert not Referral.objects.exists()


def test_an_existing_person_is_reused(as_user, coach, district):
    person = ParticipantFactory(district=district, personal_number=PNR)
    response = as_user(coach).post(URL, body(district), format="json")
    assert response.status_code == 201
    assert Referral.objects.get().participant == person and Participant.objects.count() == 1


@pytest.mark.parametrize("role", ["caseworker", "counsellor", "matcher", "analyst"])
def test_roles_that_do_not_accept_referrals_are_refused(as_user, district, unit, role):
    user = UserFactory(**{role: True}, **({"unit": unit} if role in ("counsellor", "matcher") else {}))
    response = as_user(user).post(URL, body(district), format="json")
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- the page ---------------------------------------------------------------------------------------------


def test_the_page_registers_an_intake_and_redirects_to_the_referral(client, unit_head, coach, district):
    client.force_login(unit_head)
    page = client.get(reverse("referrals:intake"))
    assert page.status_code == 200
    assert f'value="{district.pk}" selected' in page.content.decode()
    response = client.post(
        reverse("referrals:intake"),
        body(
            district,
            source="other",
            source_other="Kriminalvården",
            coach=coach.pk,
            consent_given="",
            assistance_status="none",
        ),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("referrals:detail", args=[referral.pk])
    assert referral.source_other == "Kriminalvården" and referral.coach == coach
    assert PNR not in response.url
    detail = client.get(response.url).content.decode()
    assert "Kriminalvården" in detail


def test_the_page_shows_field_errors_with_a_400(client, coach, district):
    client.force_login(coach)
    response = client.post(reverse("referrals:intake"), body(district, personal_number="123", source=""))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_personal_number"' in html and 'aria-invalid="true"' in html
    assert not Referral.objects.exists()


def test_the_page_is_refused_to_a_caseworker(client, caseworker):
    client.force_login(caseworker)
    assert client.get(reverse("referrals:intake")).status_code == 403


def test_the_unit_menu_offers_the_intake_to_those_who_may(client, coach, unit):
    client.force_login(coach)
    assert reverse("referrals:intake") in client.get(reverse("referrals:list")).content.decode()
    client.force_login(UserFactory(matcher=True, unit=unit))
    assert reverse("referrals:intake") not in client.get(reverse("referrals:list")).content.decode()
