"""Allowed referral status changes — the one mapping the services check."""

from django.utils.translation import gettext as _

from jobbtorg.utils.errors import TransitionNotAllowed

from .constants import ReferralStatus as S
from .constants import SendBackStatus as B

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


# A send-back (återremittering) of an accepted referral: the caseworker agrees (the referral closes) or
# disputes it (escalated); the unit heads of both sides then uphold it (the referral closes) or overturn it
# (the Jobbtorg keeps the person).
SEND_BACK_TRANSITIONS: dict[str, frozenset[str]] = {
    B.PENDING: frozenset({B.AGREED, B.ESCALATED}),
    B.ESCALATED: frozenset({B.UPHELD, B.OVERTURNED}),
    B.AGREED: frozenset(),
    B.UPHELD: frozenset(),
    B.OVERTURNED: frozenset(),
}


def can_send_back_transition(current: str, new: str) -> bool:
    return new in SEND_BACK_TRANSITIONS.get(current, frozenset())


def check_send_back_transition(current: str, new: str) -> None:
    if not can_send_back_transition(current, new):
        raise TransitionNotAllowed(
            _("A send-back that is %(current)s cannot become %(new)s.")
            % {"current": B(current).label.lower(), "new": B(new).label.lower()},
            code="transition",
        )
