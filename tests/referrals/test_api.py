import datetime

import pytest
from django.urls import reverse

from jobbtorg.audit.models import ReadLog
from jobbtorg.participants.models import Consent
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.workdays import add_working_days

from ..factories import ReferralFactory, UnitFactory, UserFactory

PNR = personal_numbers.make(datetime.date(1985, 7, 9), 456)
REFERRAL_DATE = datetime.date(2026, 12, 7)


@pytest.fixture
def as_user(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


def body(**overrides):
    data = {
        "personal_number": personal_numbers.formatted(PNR),
        "first_name": "Amina",
        "last_name": "Ali",
        "email": "amina@example.org",
        "languages": ["so", "ar"],
        "target_groups": ["unemployed_on_assistance"],
        "work_capacity": 75,
        "target_group": "unemployed_on_assistance",
        "reason": "Arbetslös sedan ett år.",
        "assistance_status": "receiving",
        "consent_given": True,
        "referral_date": REFERRAL_DATE.isoformat(),
    }
    data.update(overrides)
    return data


def detail_url(referral, name="detail"):
    return reverse(f"api-referral-{name}", args=[referral.pk])


# --- create ---------------------------------------------------------------------------------------------


def test_caseworker_refers_a_person_routed_to_the_district_unit(as_user, caseworker, unit):
    response = as_user(caseworker).post("/api/referrals/", body(), format="json")

    assert response.status_code == 201, response.data
    data = response.data
    assert data["unit"] == unit.pk and data["unit_name"] == unit.name
    assert data["status"] == "received" and data["lock_version"] == 0
    assert data["plan_due_date"] == add_working_days(REFERRAL_DATE, 5).isoformat() == "2026-12-14"
    assert [e["to_status"] for e in data["events"]] == ["received"]
    assert data["participant"]["masked_personal_number"] == personal_numbers.mask(PNR)
    referral = Referral.objects.get(pk=data["id"])
    assert referral.participant.personal_number == PNR and referral.participant.work_capacity == 75
    assert Consent.objects.get(participant=referral.participant).status == "given"
    assert ReadLog.objects.filter(
        user=caseworker, participant_id=referral.participant_id, channel="api"
    ).exists()


def test_the_person_may_choose_another_unit(as_user, caseworker, unit):
    chosen = UnitFactory(municipality=unit.municipality, name="Specialenheten")
    response = as_user(caseworker).post("/api/referrals/", body(chosen_unit=chosen.pk), format="json")
    assert response.status_code == 201, response.data
    assert response.data["unit"] == chosen.pk
    assert Referral.objects.get(pk=response.data["id"]).unit_chosen_by_participant


def test_invalid_personal_number_is_a_field_error(as_user, caseworker):
    wrong_check_digit = PNR[:-1] + str((int(PNR[-1]) + 1) % 10)
    client = as_user(caseworker)
    for value in (wrong_check_digit, "abc", "19850709-12345", ""):
        response = client.post("/api/referrals/", body(personal_number=value), format="json")
        assert response.status_code == 400, value
        assert "personal_number" in response.data, (value, response.data)
    assert not Referral.objects.exists()


def test_a_second_open_referral_of_the_same_person_is_refused(as_user, caseworker):
    client = as_user(caseworker)
    assert client.post("/api/referrals/", body(), format="json").status_code == 201
    response = client.post("/api/referrals/", body(), format="json")
    assert response.status_code == 400
    assert "personal_number" in response.data
    assert Referral.objects.count() == 1


@pytest.mark.parametrize(
    "payload, field",
    [
        ({"first_name": None}, "first_name"),
        ({"consent_given": "perhaps"}, "consent_given"),
        ({"target_group": "nobody"}, "target_group"),
        ({"target_groups": ["youth", "nope"]}, "target_groups[1]"),
        ({"target_groups": "youth"}, "target_groups"),
        ({"work_capacity": 33}, "work_capacity"),
        ({"chosen_unit": 999999}, "chosen_unit"),
        ({"chosen_unit": "abc"}, "chosen_unit"),
        ({"chosen_unit": 10**30}, "chosen_unit"),
        ({"referral_date": "2026-13-45"}, "referral_date"),
        ({"referral_date": "9999-12-31"}, "referral_date"),
        ({"consent_date": 12}, "consent_date"),
        ({"email": "not-an-address"}, "email"),
        ({"languages": [{"x": 1}]}, "languages[0]"),
        ({"reason": "x\x00y"}, "reason"),
        ({"first_name": "x" * 500}, "first_name"),
    ],
)
def test_malformed_bodies_are_400_not_500(as_user, caseworker, payload, field):
    response = as_user(caseworker).post("/api/referrals/", body(**payload), format="json")
    assert response.status_code == 400, response.data
    assert field in response.data, response.data


def test_missing_fields_and_wrong_shapes(as_user, caseworker):
    client = as_user(caseworker)
    response = client.post("/api/referrals/", {}, format="json")
    assert response.status_code == 400
    assert {
        "personal_number",
        "first_name",
        "last_name",
        "target_group",
        "reason",
        "assistance_status",
        "consent_given",
    } <= set(response.data)
    assert client.post("/api/referrals/", [1, 2], format="json").status_code == 400
    response = client.post("/api/referrals/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_only_a_caseworker_refers(as_user, coach, analyst):
    assert as_user(coach).post("/api/referrals/", body(), format="json").status_code == 403
    assert as_user(analyst).post("/api/referrals/", body(), format="json").status_code == 403
    assert not Referral.objects.exists()


# --- transitions ----------------------------------------------------------------------------------------


@pytest.fixture
def received(caseworker):
    return ReferralFactory(
        district=caseworker.district, participant__district=caseworker.district, caseworker=caseworker
    )


def test_coach_accepts_with_the_version_read(as_user, received, coach):
    client = as_user(coach)
    response = client.post(detail_url(received, "accept"), {"version": 0}, format="json")
    assert response.status_code == 200, response.data
    assert response.data["status"] == "accepted" and response.data["lock_version"] == 1
    assert response.data["coach"]["id"] == coach.pk
    received.refresh_from_db()
    assert received.status == "accepted" and received.coach == coach


def test_a_stale_version_is_a_conflict_and_changes_nothing(as_user, received, coach, unit_head):
    assert (
        as_user(unit_head)
        .post(detail_url(received, "accept"), {"version": 0, "coach": coach.pk}, format="json")
        .status_code
        == 200
    )
    response = as_user(coach).post(
        detail_url(received, "return"), {"version": 0, "reason": "Fel enhet"}, format="json"
    )
    assert response.status_code == 409
    assert response.data["code"] == "conflict"
    received.refresh_from_db()
    assert received.status == "accepted" and received.return_reason == ""


def test_return_resubmit_and_close(as_user, received, coach, caseworker):
    client = as_user(coach)
    response = client.post(detail_url(received, "return"), {"version": 0, "reason": ""}, format="json")
    assert response.status_code == 400 and "reason" in response.data
    response = client.post(
        detail_url(received, "return"), {"version": 0, "reason": "Hör till Skärholmen"}, format="json"
    )
    assert response.status_code == 200 and response.data["status"] == "returned"

    client = as_user(caseworker)
    response = client.post(
        detail_url(received, "resubmit"), {"version": 1, "comment": "Rättat"}, format="json"
    )
    assert response.status_code == 200 and response.data["status"] == "received"
    response = client.post(detail_url(received, "close"), {"version": 2, "reason": "gone"}, format="json")
    assert response.status_code == 400 and "reason" in response.data
    response = client.post(
        detail_url(received, "close"), {"version": 2, "reason": "moved", "comment": "Flyttat"}, format="json"
    )
    assert response.status_code == 200 and response.data["status"] == "closed"
    assert response.data["close_reason"] == "moved"

    response = client.get(detail_url(received))
    assert [e["to_status"] for e in response.data["events"]] == ["returned", "received", "closed"]
    # A closed referral cannot be accepted: a field-level 400, not a 500.
    response = as_user(coach).post(detail_url(received, "accept"), {"version": 3}, format="json")
    assert response.status_code == 400 and "non_field_errors" in response.data


def test_transition_bodies_are_validated(as_user, received, coach):
    client = as_user(coach)
    for payload in (
        {},
        {"version": "one"},
        {"version": -1},
        {"version": 2**40},
        {"version": 0, "coach": "x"},
    ):
        response = client.post(detail_url(received, "accept"), payload, format="json")
        assert response.status_code == 400, (payload, response.data)
    received.refresh_from_db()
    assert received.status == "received"


def test_roles_without_the_right_get_403(as_user, received, caseworker, coach):
    assert (
        as_user(caseworker).post(detail_url(received, "accept"), {"version": 0}, format="json").status_code
        == 403
    )
    assert (
        as_user(coach).post(detail_url(received, "resubmit"), {"version": 0}, format="json").status_code
        == 403
    )


def test_accepting_with_a_coach_of_another_unit_is_a_field_error(as_user, received, coach, other_unit_coach):
    response = as_user(coach).post(
        detail_url(received, "accept"), {"version": 0, "coach": other_unit_coach.pk}, format="json"
    )
    assert response.status_code == 400 and "coach" in response.data


# --- reading and scope ----------------------------------------------------------------------------------


def test_detail_is_logged_and_has_history_and_version(as_user, accepted_referral, caseworker):
    response = as_user(caseworker).get(detail_url(accepted_referral))
    assert response.status_code == 200
    assert response.data["lock_version"] == 0
    assert response.data["plan_due_date"] == accepted_referral.plan_due_date.isoformat()
    assert "events" in response.data and response.data["plan"] is None
    log = ReadLog.objects.get(user=caseworker)
    assert (log.participant_id, log.channel, log.view) == (
        accepted_referral.participant_id,
        "api",
        "referral_detail",
    )


def test_list_filters_by_status_and_logs_the_people_listed(as_user, caseworker, accepted_referral, received):
    client = as_user(caseworker)
    response = client.get("/api/referrals/")
    assert response.status_code == 200 and response.data["count"] == 2
    assert ReadLog.objects.filter(user=caseworker, view="referral_list", channel="api").count() == 2
    response = client.get("/api/referrals/", {"status": "accepted"})
    assert [r["id"] for r in response.data["results"]] == [str(accepted_referral.pk)]
    assert client.get("/api/referrals/", {"status": "bogus"}).status_code == 400
    assert client.get("/api/referrals/", {"page": "x"}).status_code == 404


def test_each_role_sees_only_its_scope(
    as_user, accepted_referral, other_caseworker, other_unit_coach, analyst, coach, unit_head
):
    for user in (other_caseworker, other_unit_coach):
        client = as_user(user)
        assert client.get(detail_url(accepted_referral)).status_code == 404
        assert client.get("/api/referrals/").data["count"] == 0
    assert (
        as_user(other_unit_coach)
        .post(detail_url(accepted_referral, "close"), {"version": 0, "reason": "work"}, format="json")
        .status_code
        == 404
    )
    for user in (analyst, UserFactory(provider_staff=True)):
        client = as_user(user)
        assert client.get("/api/referrals/").status_code == 403
        assert client.get(detail_url(accepted_referral)).status_code == 403
    for user in (coach, unit_head):
        assert as_user(user).get(detail_url(accepted_referral)).status_code == 200
    assert not ReadLog.objects.filter(user__in=[other_caseworker, other_unit_coach, analyst]).exists()


def test_malformed_ids_are_404(as_user, caseworker):
    client = as_user(caseworker)
    assert client.get("/api/referrals/not-a-uuid/").status_code == 404
    assert client.post("/api/referrals/12345/accept/", {"version": 0}, format="json").status_code == 404


def test_anonymous_gets_401(api_client, accepted_referral):
    assert api_client.get("/api/referrals/").status_code in (401, 403)


def test_staff_get_no_token_from_the_token_endpoint(api_client, caseworker, accepted_referral):
    """Tokens are for integration accounts (tests/identity/test_tokens.py); staff use their session."""
    response = api_client.post(
        "/api/auth/token/",
        {"username": caseworker.username, "password": "secret-password-123"},
        format="json",
    )
    assert response.status_code == 403 and "token" not in response.data
    bad = api_client.post(
        "/api/auth/token/", {"username": caseworker.username, "password": "wrong"}, format="json"
    )
    assert bad.status_code == 400
