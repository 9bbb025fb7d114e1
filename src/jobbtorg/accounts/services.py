from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLE_PERMISSIONS


@transaction.atomic
def role_groups_sync(*, strict: bool = True) -> None:
    """Make one Group per role hold exactly the permissions of `roles.ROLE_PERMISSIONS`. Not strict (during
    migrate, when some apps' permissions do not exist yet) it skips the missing ones; the run after the last
    app completes the groups, and a test runs it strictly."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is None:
                if strict:
                    raise LookupError(f"Unknown permission {name} for role {role}")
                continue
            permissions.append(permission)
        group.permissions.set(permissions)
