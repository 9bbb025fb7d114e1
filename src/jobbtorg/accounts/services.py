from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLE_PERMISSIONS


@transaction.atomic
def role_groups_sync() -> None:
    """Make one Group per role hold exactly the permissions of `roles.ROLE_PERMISSIONS`."""
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = []
        for name in names:
            app_label, codename = name.split(".")
            permission = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if permission is None:
                raise LookupError(f"Unknown permission {name} for role {role}")
            permissions.append(permission)
        group.permissions.set(permissions)
