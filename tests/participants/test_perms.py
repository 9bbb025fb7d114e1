"""participants/perms.py, rule by rule: every role on every side of the person → may or may not."""

import datetime

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.participants import perms
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.models import Consent
from tests.factories import ReferralFactory, UserFactory
from tests.perms_table import UNIT_ROLES, by_role, cells, table

CW, PART = Role.CASEWORKER, Role.PARTICIPANT


@pytest.fixture
def referred(places):
    """The own side's person, referred by a caseworker of their district to the own unit, with consent."""
    own = places.own
    caseworker = UserFactory(caseworker=True, district=own.district)
    referral = ReferralFactory(
        participant=own.participant, district=own.district, unit=own.unit, caseworker=caseworker
    )
    Consent.objects.create(
        participant=own.participant,
        scope=ConsentScope.DISTRICT_JOBBTORG,
        status=ConsentStatus.GIVEN,
        effective_date=datetime.date.today(),
        recorded_by=caseworker,
    )
    return referral


@by_role({CW} | UNIT_ROLES)
def test_can_view_people(places, role, side, expected):
    assert perms.can_view_people(places.user(role, side)) is expected


@table(cells(set(Role)))
def test_can_see_contact_of_an_unprotected_person(places, referred, role, side, expected):
    assert perms.can_see_contact(places.user(role, side), places.own.participant) is expected


@table({(CW, "own")})
def test_can_see_contact_of_a_protected_person(places, referred, role, side, expected):
    """Only the caseworker who referred the person (here: the own side's caseworker)."""
    person = places.own.participant
    person.protected_identity = True
    user = places.user(role, side)
    if role == CW and side == "own":
        referred.caseworker = user
        referred.save(update_fields=["caseworker"])
    assert perms.can_see_contact(user, person) is expected


def test_another_caseworker_of_the_district_does_not_see_a_protected_contact(places, referred):
    person = places.own.participant
    person.protected_identity = True
    colleague = places.user(CW, "own")
    assert referred.caseworker != colleague and perms.can_see_contact(colleague, person) is False
    assert perms.can_see_contact(referred.caseworker, person) is True


@table(cells({CW} | UNIT_ROLES, ["own"]) | {(PART, "own")})
def test_can_record_consent(places, referred, role, side, expected):
    """The person themself; a caseworker of their district and staff of the unit they are referred to."""
    assert perms.can_record_consent(places.user(role, side), places.own.participant) is expected


@table(cells({CW} | UNIT_ROLES, ["own"]) | {(PART, "own")})
def test_can_set_language(places, referred, role, side, expected):
    """The person themself; a caseworker of their district and staff of the unit they are referred to."""
    assert perms.can_set_language(places.user(role, side), places.own.participant) is expected


@by_role({CW})
def test_can_decide_consents(places, role, side, expected):
    assert perms.can_decide_consents(places.user(role, side)) is expected


@table({(CW, "own")})
def test_can_decide_consent(places, role, side, expected):
    assert perms.can_decide_consent(places.user(role, side), places.own.participant) is expected
