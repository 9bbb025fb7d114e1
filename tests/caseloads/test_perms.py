"""caseloads/perms.py, rule by rule."""

from jobbtorg.accounts.constants import Role
from jobbtorg.caseloads import perms
from tests.perms_table import by_role


@by_role({Role.UNIT_HEAD})
def test_can_view_caseloads(places, role, side, expected):
    assert perms.can_view_caseloads(places.user(role, side)) is expected
