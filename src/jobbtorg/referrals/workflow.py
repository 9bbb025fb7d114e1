"""Allowed referral status changes — the one mapping the services check."""

from django.utils.translation import gettext as _

from jobbtorg.utils.errors import TransitionNotAllowed

from .constants import ReferralStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.RECEIVED: frozenset({S.ACCEPTED, S.RETURNED, S.CLOSED}),
    S.ACCEPTED: frozenset({S.CLOSED}),
    S.RETURNED: frozenset({S.RECEIVED, S.CLOSED}),
    S.CLOSED: frozenset(),
}


def can_transition(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def check_transition(current: str, new: str) -> None:
    if not can_transition(current, new):
        raise TransitionNotAllowed(
            _("A referral that is %(current)s cannot become %(new)s.")
            % {"current": S(current).label.lower(), "new": S(new).label.lower()},
            code="transition",
        )
