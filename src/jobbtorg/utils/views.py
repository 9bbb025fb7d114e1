"""What every app's web views share: the gate that asks a `perms.py` function, and the 403 when one says no.

Signing in is Django's `login_required` (settings.LOGIN_URL names the login page once)."""

from collections.abc import Callable
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect

from .errors import ConflictError
from .forms import add_service_errors


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


def form_action(request, form, *, item, action: Callable, success: str, done: str, page: Callable):
    """The shared shape of an action on one object (accept, send back, decide …): parse the form, call the
    service, report the outcome. Success and a stale edit (ConflictError) go back to `done` (a URL) with a
    message; a service's field errors stay on the form, shown by `page(form)` with `item` read again; other
    service errors go back to `done` as a message."""
    if form.is_valid():
        try:
            action(item, form.cleaned_data)
        except ConflictError as error:
            messages.error(request, error.message)
            return redirect(done)
        except ValidationError as error:
            if not (hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields)):
                messages.error(request, " ".join(error.messages))
                return redirect(done)
            add_service_errors(form, error)
            item.refresh_from_db()
        else:
            messages.success(request, success)
            return redirect(done)
    return page(form)
