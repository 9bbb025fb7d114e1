"""matching/perms.py, rule by rule: every role on every side of the employer or event → may or may not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.matching import perms
from jobbtorg.matching.models import Employer, RecruitmentEvent
from tests.perms_table import UNIT_ROLES, by_role, cells, table

MATCH = Role.MATCHER


@by_role(UNIT_ROLES)
def test_can_view_matching(places, role, side, expected):
    assert perms.can_view_matching(places.user(role, side)) is expected


@by_role({MATCH})
def test_can_manage_employers(places, role, side, expected):
    assert perms.can_manage_employers(places.user(role, side)) is expected


@table(cells({MATCH}, ["own", "other"]))
def test_can_manage_employer(places, role, side, expected):
    """The employer register is the municipality's: a matcher of any of its units, not of another one."""
    employer = Employer(municipality=places.own.municipality, name="Vård AB")
    assert perms.can_manage_employer(places.user(role, side), employer) is expected


@table({(MATCH, "own")})
def test_can_manage_event(places, role, side, expected):
    event = RecruitmentEvent(unit=places.own.unit, title="Rekryteringsträff")
    assert perms.can_manage_event(places.user(role, side), event) is expected


@by_role(UNIT_ROLES)
def test_can_view_matches(places, role, side, expected):
    assert perms.can_view_matches(places.user(role, side)) is expected


@by_role({MATCH})
def test_can_propose_match(places, role, side, expected):
    assert perms.can_propose_match(places.user(role, side)) is expected


@table({(MATCH, "own")})
def test_can_invite_to_event(places, role, side, expected):
    event = RecruitmentEvent(unit=places.own.unit, title="Rekryteringsträff")
    assert perms.can_invite_to_event(places.user(role, side), event) is expected
