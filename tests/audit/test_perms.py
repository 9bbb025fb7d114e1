"""audit/perms.py: every role → may review the read log or not."""

from jobbtorg.accounts.constants import Role
from jobbtorg.audit import perms
from tests.perms_table import by_role


@by_role({Role.UNIT_HEAD})
def test_can_review_reads(places, role, side, expected):
    assert perms.can_review_reads(places.user(role, side)) is expected
