"""What every app's web views share: the gate that asks a `perms.py` function, and the 403 when one says no.

Signing in is Django's `login_required` (settings.LOGIN_URL names the login page once)."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def deny_unless(allowed: bool) -> None:
    """403 unless `allowed` (the answer of a `perms.py` function)."""
    if not allowed:
        raise PermissionDenied


def rule_required(rule: Callable[..., bool]) -> Callable:
    """A view for signed-in users for whom `rule(user)` — a `perms.py` function — is true.

    Anonymous visitors are sent to the login page; a signed-in user the rule refuses gets 403. Object
    scoping (404 outside the user's scope) stays in the view, through `visible_to(user)`.
    """

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            deny_unless(rule(request.user))
            return view(request, *args, **kwargs)

        return login_required(wrapper)

    return decorator
