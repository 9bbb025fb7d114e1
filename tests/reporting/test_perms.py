"""reporting/perms.py, rule by rule: every role on every side of the unit or assignment → may or may not."""

import pytest

from jobbtorg.accounts.constants import Role
from jobbtorg.reporting import perms
from jobbtorg.reporting.models import Assignment
from tests.perms_table import SIDES, by_role, cells, table

HEAD, ANALYST, ADMIN = Role.UNIT_HEAD, Role.ANALYST, Role.ADMINISTRATOR
MUNICIPALITY = ["own", "other"]


@table(cells({HEAD, ANALYST}))
def test_can_view_indicators(places, role, side, expected):
    assert perms.can_view_indicators(places.user(role, side)) is expected


@by_role({ANALYST})
def test_can_view_overview(places, role, side, expected):
    assert perms.can_view_overview(places.user(role, side)) is expected


@by_role({ANALYST})
def test_can_download_research_extract(places, role, side, expected):
    assert perms.can_download_research_extract(places.user(role, side)) is expected


@by_role({ANALYST})
def test_can_record_reported_figures(places, role, side, expected):
    assert perms.can_record_reported_figures(places.user(role, side)) is expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("figures_of", ["the unit", "all units"])
def test_must_suppress(places, role, side, figures_of):
    """Only a unit head looking at their own unit alone sees small counts."""
    unit_id = places.own.unit.pk if figures_of == "the unit" else None
    expected = not (role == HEAD and side == "own" and figures_of == "the unit")
    assert perms.must_suppress(places.user(role, side), unit_id=unit_id) is expected


@table(cells({HEAD, ADMIN}))
def test_can_manage_assignments_new(places, role, side, expected):
    assert perms.can_manage_assignments(places.user(role, side)) is expected


MANAGE = {
    # whose assignment → the cells that may change it
    "the unit's": {(HEAD, "own")} | cells({ADMIN}, MUNICIPALITY),
    "shared": cells({ADMIN}, MUNICIPALITY),
}
VIEW = {
    "the unit's": {(HEAD, "own")} | cells({ANALYST, ADMIN}, MUNICIPALITY),
    "shared": cells({HEAD, ANALYST, ADMIN}, MUNICIPALITY),
}


def _assignment(places, whose) -> Assignment:
    own = places.own
    return Assignment(municipality=own.municipality, unit=own.unit if whose == "the unit's" else None)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("whose", list(MANAGE))
def test_can_manage_assignments(places, role, side, whose):
    user = places.user(role, side)
    expected = (role, side) in MANAGE[whose]
    assert perms.can_manage_assignments(user, _assignment(places, whose)) is expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("whose", list(VIEW))
def test_can_view_assignment(places, role, side, whose):
    user = places.user(role, side)
    expected = (role, side) in VIEW[whose]
    assert perms.can_view_assignment(user, _assignment(places, whose)) is expected
