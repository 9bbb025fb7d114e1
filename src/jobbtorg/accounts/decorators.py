"""Small view helpers shared by the web UI of every app."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied


def role_required(*roles: str) -> Callable:
    """Allow a view only to signed-in users whose `role` is one of `roles`.

    Anonymous users are sent to the login page; a signed-in user with another role gets 403.
    Object scoping (404 outside the user's scope) stays in the view, through `visible_to(user)`.
    """
    allowed = frozenset(str(role) for role in roles)
    if not allowed:
        raise ValueError("role_required needs at least one role")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.user.role not in allowed:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapper, login_url="accounts:login")

    return decorator
