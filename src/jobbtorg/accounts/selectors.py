"""Which municipality a user belongs to: the one place that decides it (scoping, forms and pages ask here)."""

from __future__ import annotations

from .constants import UNIT_ROLES, Role
from .models import Municipality, User


def municipality_id_of(user) -> int | None:
    """The municipality a user works in — or, for a participant login, lives in:

    - staff of the municipality (caseworkers, Jobbtorg staff, finance, analysts, administrators): their own
      (`User.municipality`, filled from their district or unit when they are saved);
    - provider staff without one of their own: their provider's municipality;
    - a participant login: the municipality of their person;
    - anyone else (anonymous, inactive, a system-wide superuser or administrator without one): None.
    """
    if not (getattr(user, "is_authenticated", False) and user.is_active):
        return None
    if user.municipality_id:
        return user.municipality_id
    if user.provider_id:
        return user.provider.municipality_id
    if user.participant_id:
        return user.participant.municipality_id
    return None


def sees_every_municipality(user) -> bool:
    """A system-wide administrator (role administrator or a superuser) without a municipality of their own
    may look across municipalities where a register is shared (providers, offerings)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_administrator
        and municipality_id_of(user) is None
    )


def municipality_for_writes(user) -> int | None:
    """The municipality a new record (an offering, a provider) belongs to: the user's own; for a system-wide
    administrator in an installation with a single municipality, that one."""
    municipality_id = municipality_id_of(user)
    if municipality_id is None and sees_every_municipality(user):
        only = list(Municipality.objects.values_list("pk", flat=True)[:2])
        if len(only) == 1:
            return only[0]
    return municipality_id


def unit_coaches(unit_id: int):
    """The active job coaches of a unit: who can be named responsible coach or substitute there."""
    return User.objects.filter(unit_id=unit_id, role=Role.JOB_COACH, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def unit_staff(unit_id: int):
    """The active Jobbtorg staff of a unit (coaches, counsellors, matchers, the unit head), for caseloads."""
    return User.objects.filter(unit_id=unit_id, role__in=UNIT_ROLES, is_active=True).order_by(
        "role", "first_name", "last_name", "username"
    )
