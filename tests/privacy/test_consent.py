"""Consent per scope, and what a withdrawal does: the provider loses access at once on pages, in the API and
in lists, and the withdrawal itself is logged (who, when, which scope)."""

from django.test import Client
from django.urls import reverse

from jobbtorg.audit.models import ChangeLog
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.models import Consent
from jobbtorg.participants.selectors import consent_current, consent_is_given
from jobbtorg.participants.services import consent_record

from ..security.world import build_world


def test_every_partner_has_a_consent_scope():
    assert set(ConsentScope.values) == {
        "district_jobbtorg",
        "jobbtorg_provider",
        "employment_service",
        "social_insurance",
        "adult_education",
        "health_care",
        "coordination_association",
    }


def test_consent_is_recorded_per_scope_with_date_and_recorder(caseworker, accepted_referral):
    person = accepted_referral.participant
    for scope in ConsentScope.values:
        consent_record(participant=person, status=ConsentStatus.GIVEN, scope=scope, by=caseworker)
    consent_record(
        participant=person, status=ConsentStatus.WITHDRAWN, scope=ConsentScope.SOCIAL_INSURANCE, by=caseworker
    )
    assert not consent_is_given(participant=person, scope=ConsentScope.SOCIAL_INSURANCE)
    assert consent_is_given(participant=person, scope=ConsentScope.EMPLOYMENT_SERVICE)
    withdrawn = consent_current(participant=person, scope=ConsentScope.SOCIAL_INSURANCE)
    assert withdrawn.recorded_by == caseworker and withdrawn.effective_date and withdrawn.recorded_at
    # history is kept: the earlier decision is still there
    assert Consent.objects.filter(participant=person, scope=ConsentScope.SOCIAL_INSURANCE).count() == 2


def _provider_sees(client, world, token) -> dict[str, bool]:
    person = world.a.people[token]
    booking_id = world.a.objects["booking"][0]
    offering_id = world.a.objects["offering"][0]
    return {
        "home": token in client.get(reverse("attendance:provider_home")).text,
        "week": token in client.get(reverse("attendance:week", args=[offering_id])).text,
        "api_list": token in client.get("/api/participants/").text,
        "api_detail": client.get(f"/api/participants/{person.pk}/").status_code == 200,
        "api_bookings": str(booking_id) in client.get("/api/bookings/").text,
        "api_attendance": token in client.get(f"/api/attendance/?offering={offering_id}").text,
    }


def test_withdrawal_takes_effect_at_once_for_the_provider(db):
    world = build_world()
    token = next(t for t in world.a.people if "Person" in t)
    person = world.a.people[token]
    client = Client()
    client.force_login(world.users["provider_staff"])
    before = _provider_sees(client, world, token)
    assert before["home"] and before["api_list"] and before["api_detail"] and before["api_bookings"], before

    # the person withdraws the consent in the participant view
    own = Client()
    own.force_login(world.users["participant"])
    response = own.post(
        reverse("portal:consent"),
        {"scope": ConsentScope.JOBBTORG_PROVIDER, "action": "withdraw", "confirmed": "True"},
    )
    assert response.status_code == 302
    assert not consent_is_given(participant=person, scope=ConsentScope.JOBBTORG_PROVIDER)

    after = _provider_sees(client, world, token)
    assert not any(after.values()), after
    # the Jobbtorg still sees the person (another scope), and the withdrawal is logged
    coach = Client()
    coach.force_login(world.users["job_coach"])
    assert coach.get(reverse("participants:detail", args=[person.pk])).status_code == 200
    entry = ChangeLog.objects.get(action="consent_withdrawn", participant_id=person.pk)
    assert entry.actor == world.users["participant"] and entry.changes == {"scope": "jobbtorg_provider"}

    # given again: access comes back, and that is logged too
    consent_record(
        participant=person,
        status=ConsentStatus.GIVEN,
        scope=ConsentScope.JOBBTORG_PROVIDER,
        by=world.users["job_coach"],
    )
    assert _provider_sees(client, world, token)["api_detail"]
    given = ChangeLog.objects.filter(action="consent_given", participant_id=person.pk)
    assert given.filter(changes__scope=ConsentScope.JOBBTORG_PROVIDER).count() == 2
