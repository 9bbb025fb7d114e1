import pytest
from django.utils import translation
from rest_framework.test import APIClient

from .factories import DistrictFactory, ReferralFactory, UnitFactory, UserFactory


@pytest.fixture
def unit(db):
    return UnitFactory(name="Jobbtorg Järva")


@pytest.fixture
def district(unit):
    return DistrictFactory(unit=unit, name="Rinkeby-Kista")


@pytest.fixture
def caseworker(district):
    return UserFactory(caseworker=True, district=district, username="socsek")


@pytest.fixture
def coach(unit):
    return UserFactory(coach=True, unit=unit, username="coach")


@pytest.fixture
def unit_head(unit):
    return UserFactory(unit_head=True, unit=unit, username="chef")


@pytest.fixture
def other_unit_coach(db):
    return UserFactory(coach=True, username="coach-annan")


@pytest.fixture
def other_caseworker(db):
    return UserFactory(caseworker=True, username="socsek-annan")


@pytest.fixture
def analyst(db):
    return UserFactory(analyst=True, username="analytiker")


@pytest.fixture
def accepted_referral(caseworker, coach):
    return ReferralFactory(
        accepted=True,
        district=caseworker.district,
        participant__district=caseworker.district,
        caseworker=caseworker,
        coach=coach,
    )


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture(autouse=True)
def _english_messages_outside_requests():
    """Service messages are checked in English (the source language); pages choose their own language."""
    with translation.override("en"):
        yield


from .perms_table import places  # noqa: E402, F401  (a fixture: the organisation around an object)
