"""accounts/perms.py, rule by rule: every role → may or may not."""

import pytest

from jobbtorg.accounts import perms
from jobbtorg.accounts.constants import Role
from tests.perms_table import by_role

from ..factories import UserFactory


@by_role({Role.ADMINISTRATOR})
def test_can_view_admin_start(places, role, side, expected):
    assert perms.can_view_admin_start(places.user(role, side)) is expected


def test_a_superuser_without_a_role_sees_the_admin_start(db):
    assert perms.can_view_admin_start(UserFactory(role="", is_superuser=True)) is True


@pytest.mark.parametrize("is_staff", [True, False])
@by_role({Role.ADMINISTRATOR})
def test_can_manage_users(places, role, side, expected, is_staff):
    """Administrators with access to the administration (Django's admin), where users are kept."""
    assert perms.can_manage_users(places.user(role, side, is_staff=is_staff)) is (expected and is_staff)
