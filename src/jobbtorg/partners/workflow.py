"""Allowed status changes of requests to partners and of four-party meetings — the mappings the services
check."""

from django.utils.translation import gettext as _

from jobbtorg.utils.errors import TransitionNotAllowed

from .constants import MeetingStatus as M
from .constants import RequestStatus as R

REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    R.SENT: frozenset({R.ACCEPTED, R.ANSWERED, R.DECLINED}),
    R.ACCEPTED: frozenset({R.ANSWERED, R.DECLINED}),
    R.ANSWERED: frozenset(),
    R.DECLINED: frozenset(),
}

MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    M.INVITED: frozenset({M.HELD, M.CANCELLED}),
    M.HELD: frozenset(),
    M.CANCELLED: frozenset(),
}


def can_transition_request(current: str, new: str) -> bool:
    return new in REQUEST_TRANSITIONS.get(current, frozenset())


def check_request_transition(current: str, new: str) -> None:
    if not can_transition_request(current, new):
        raise TransitionNotAllowed(
            _("A request that is %(current)s cannot become %(new)s.")
            % {"current": R(current).label.lower(), "new": R(new).label.lower() if new in R.values else new},
            code="transition",
        )


def check_meeting_transition(current: str, new: str) -> None:
    if new not in MEETING_TRANSITIONS.get(current, frozenset()):
        raise TransitionNotAllowed(
            _("A meeting that is %(current)s cannot become %(new)s.")
            % {"current": M(current).label.lower(), "new": M(new).label.lower() if new in M.values else new},
            code="transition",
        )
