"""Allowed match status changes — the one mapping the services check.

proposed → participant agreed / participant declined (the participant is informed and answers)
participant agreed → employer contacted
employer contacted → interview / hired / internship started / rejected (with a reason)
interview → hired / internship started / rejected
Any open match may be withdrawn by the matcher. hired, internship started, rejected, declined and
withdrawn are final.
"""

from django.utils.translation import gettext as _

from jobbtorg.utils.errors import TransitionNotAllowed

from .constants import MatchStatus as S

TRANSITIONS: dict[str, frozenset[str]] = {
    S.PROPOSED: frozenset({S.PARTICIPANT_AGREED, S.PARTICIPANT_DECLINED, S.WITHDRAWN}),
    S.PARTICIPANT_AGREED: frozenset({S.EMPLOYER_CONTACTED, S.WITHDRAWN}),
    S.EMPLOYER_CONTACTED: frozenset({S.INTERVIEW, S.HIRED, S.INTERNSHIP_STARTED, S.REJECTED, S.WITHDRAWN}),
    S.INTERVIEW: frozenset({S.HIRED, S.INTERNSHIP_STARTED, S.REJECTED, S.WITHDRAWN}),
}
FINAL = frozenset({S.HIRED, S.INTERNSHIP_STARTED, S.REJECTED, S.PARTICIPANT_DECLINED, S.WITHDRAWN})
OUTCOMES = (S.INTERVIEW, S.HIRED, S.INTERNSHIP_STARTED, S.REJECTED)


def allowed_next(current: str) -> frozenset[str]:
    return TRANSITIONS.get(current, frozenset())


def can_transition(current: str, new: str) -> bool:
    return new in allowed_next(current)


def check_transition(current: str, new: str) -> None:
    if not can_transition(current, new):
        raise TransitionNotAllowed(
            _("A match that is “%(current)s” cannot become “%(new)s”.")
            % {"current": S(current).label, "new": S(new).label}
        )
