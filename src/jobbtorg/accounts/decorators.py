"""Small view helpers of the accounts app."""

from collections.abc import Callable

from jobbtorg.utils.views import rule_required


def role_required(*roles: str) -> Callable:
    """Allow a view only to signed-in users whose `role` is one of `roles` (anonymous visitors go to the login
    page, other roles get 403). Pages of the domain apps ask their `perms.py` functions instead
    (`utils.views.rule_required`); this is for the accounts app's own pages."""
    allowed = frozenset(str(role) for role in roles)
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def has_role(user) -> bool:
        return user.role in allowed

    return rule_required(has_role)
