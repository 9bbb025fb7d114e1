"""Allowed action-plan status changes — the one mapping the services check.

draft → proposed (coach) → approved / returned (caseworker); a returned or approved plan is revised as a
draft again (the approved version stays in force until a new one is approved).
"""

from django.utils.translation import gettext as _

from jobbtorg.utils.errors import TransitionNotAllowed

from .constants import PlanStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.DRAFT, S.PROPOSED}),
    S.RETURNED: frozenset({S.DRAFT, S.PROPOSED}),
    S.APPROVED: frozenset({S.DRAFT}),
    S.PROPOSED: frozenset({S.APPROVED, S.RETURNED}),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, new: str) -> None:
    if can_transition(current, new):
        return
    if current == S.PROPOSED:
        message = _("The plan is waiting for the caseworker's decision and cannot be changed now.")
    else:
        message = _("An action plan that is %(current)s cannot become %(new)s.") % {
            "current": S(current).label.lower(),
            "new": S(new).label.lower(),
        }
    raise TransitionNotAllowed(message, code="transition")
