"""The role groups are synced once per migrate/flush, on the last app's post_migrate, and then hold every
permission of their role (accounts/apps.py)."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from jobbtorg.accounts.roles import ROLE_PERMISSIONS


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_each_role_group_holds_every_permission_of_its_role():
    call_command("flush", interactive=False, verbosity=0)
    for role, names in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(names), role
