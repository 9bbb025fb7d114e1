"""interventions/perms.py, rule by rule: every role on every side of the offering or referral → may or may
not; for offerings also by who delivers them."""

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.interventions import perms
from jobbtorg.interventions.constants import DeliveredBy
from jobbtorg.interventions.models import Offering
from jobbtorg.referrals.models import Referral
from tests.perms_table import SIDES, UNIT_ROLES, by_role, cells, table

COACH, SYV, HEAD, PROV, ADMIN = (
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.UNIT_HEAD,
    Role.PROVIDER_STAFF,
    Role.ADMINISTRATOR,
)
BOOKERS = {COACH, SYV, HEAD}  # interventions.add_booking


def _referral(places) -> Referral:
    own = places.own
    return Referral(
        participant=own.participant,
        district=own.district,
        unit=own.unit,
        caseworker=places.user(Role.CASEWORKER),
        status="accepted",
    )


@table(cells(BOOKERS | {PROV, ADMIN}))
def test_can_view_catalogue(places, role, side, expected):
    assert perms.can_view_catalogue(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_add_intervention_type(places, role, side, expected):
    assert perms.can_add_intervention_type(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_edit_catalogue(places, role, side, expected):
    assert perms.can_edit_catalogue(places.user(role, side)) is expected


@table(cells(BOOKERS | {PROV, ADMIN}))
def test_can_view_offerings(places, role, side, expected):
    assert perms.can_view_offerings(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_manage_all_offerings(places, role, side, expected):
    assert perms.can_manage_all_offerings(places.user(role, side)) is expected


@table(cells({ADMIN, HEAD}))
def test_can_create_offerings(places, role, side, expected):
    assert perms.can_create_offerings(places.user(role, side)) is expected


MANAGERS = {
    # who delivers the offering → the cells that may manage it
    DeliveredBy.JOBBTORG: cells({ADMIN}) | {(HEAD, "own")},
    DeliveredBy.CITY: cells({ADMIN, HEAD}),
    DeliveredBy.PROVIDER: cells({ADMIN}),
}


@pytest.mark.parametrize("delivered_by", list(MANAGERS))
@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
def test_can_manage_offering(places, delivered_by, role, side):
    """Administrators every offering; a unit head their own unit's and the city's, never a provider's."""
    own = places.own
    offering = Offering(
        municipality=own.municipality,
        delivered_by=delivered_by,
        unit=own.unit if delivered_by == DeliveredBy.JOBBTORG else None,
        provider=own.provider if delivered_by == DeliveredBy.PROVIDER else None,
    )
    expected = (role, side) in MANAGERS[delivered_by]
    assert perms.can_manage_offering(places.user(role, side), offering) is expected


@table(cells(BOOKERS, ["own"]))
def test_can_book(places, role, side, expected):
    assert perms.can_book(places.user(role, side), _referral(places)) is expected


@table(cells(UNIT_ROLES, ["own"]))
def test_can_follow_bookings(places, role, side, expected):
    assert perms.can_follow_bookings(places.user(role, side), _referral(places)) is expected
