"""providers/perms.py, rule by rule: every role on every side of the provider, referral, choice or assignment
→ may or may not."""

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.providers import perms
from jobbtorg.providers.models import Assignment, ChoiceRequest
from jobbtorg.referrals.models import Referral
from tests.perms_table import UNIT_ROLES, by_role, cells, table

COACH, SYV, HEAD, PROV, ADMIN, PART = (
    Role.JOB_COACH,
    Role.CAREER_COUNSELLOR,
    Role.UNIT_HEAD,
    Role.PROVIDER_STAFF,
    Role.ADMINISTRATOR,
    Role.PARTICIPANT,
)


def _referral(places) -> Referral:
    own = places.own
    return Referral(
        participant=own.participant,
        district=own.district,
        unit=own.unit,
        caseworker=places.user(Role.CASEWORKER),
        status="accepted",
    )


@table(cells({COACH, SYV, HEAD, PROV, ADMIN}))
def test_can_view_providers(places, role, side, expected):
    assert perms.can_view_providers(places.user(role, side)) is expected


@by_role({ADMIN})
def test_can_add_provider(places, role, side, expected):
    assert perms.can_add_provider(places.user(role, side)) is expected


@pytest.mark.parametrize("is_staff", [True, False])
@by_role({ADMIN})
def test_can_manage_contracts(places, role, side, expected, is_staff):
    """Administrators with access to the administration, where the contracts are kept."""
    user = places.user(role, side, is_staff=is_staff)
    assert perms.can_manage_contracts(user) is (expected and is_staff)


@table(cells({HEAD, ADMIN}))
def test_can_decide_applications(places, role, side, expected):
    assert perms.can_decide_applications(places.user(role, side)) is expected


@by_role({PROV})
def test_can_apply(places, role, side, expected):
    assert perms.can_apply(places.user(role, side)) is expected


@by_role({PROV, ADMIN, HEAD})
def test_can_view_applications(places, role, side, expected):
    assert perms.can_view_applications(places.user(role, side)) is expected


@table({(PROV, "own")})
def test_can_apply_for(places, role, side, expected):
    assert perms.can_apply_for(places.user(role, side), places.own.provider) is expected


@by_role(UNIT_ROLES)
def test_can_work_with_choices(places, role, side, expected):
    assert perms.can_work_with_choices(places.user(role, side)) is expected


@table(cells(UNIT_ROLES, ["own"]))
def test_can_offer_choice(places, role, side, expected):
    assert perms.can_offer_choice(places.user(role, side), _referral(places)) is expected


@table(cells(UNIT_ROLES, ["own"]) | {(PART, "own")})
def test_can_make_choice(places, role, side, expected):
    """The person themself, or staff of their unit choosing with them."""
    choice = ChoiceRequest(participant=places.own.participant, referral=_referral(places))
    assert perms.can_make_choice(places.user(role, side), choice) is expected


@table(cells(UNIT_ROLES, ["own"]) | {(PART, "own")})
def test_can_change_provider(places, role, side, expected):
    assignment = Assignment(
        participant=places.own.participant, referral=_referral(places), provider=places.own.provider
    )
    assert perms.can_change_provider(places.user(role, side), assignment) is expected


@by_role(UNIT_ROLES | {Role.CASEWORKER, PROV, PART})
def test_can_view_assignments(places, role, side, expected):
    assert perms.can_view_assignments(places.user(role, side)) is expected
