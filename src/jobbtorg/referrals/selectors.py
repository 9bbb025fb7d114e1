"""Reads about referrals shared by the per-coach lists: "my cases" or the whole unit."""

import datetime

from . import perms
from .constants import CaseScope
from .querysets import ReferralQuerySet


def case_scope(user, requested: str | None) -> str:
    """The scope of a per-coach list (worklist, meetings): a job coach sees their own cases unless they ask
    for the unit (`?scope=unit`); staff without cases of their own (counsellors, matchers, the unit head)
    always see the unit."""
    if requested == CaseScope.UNIT or not perms.has_own_cases(user):
        return CaseScope.UNIT
    return CaseScope.MINE


def in_scope(referrals: ReferralQuerySet, *, user, scope: str, on: datetime.date | None = None):
    """The referrals of the scope: all of them (`unit`), or the user's own cases and those of the coaches
    they stand in for today (`mine`)."""
    return referrals.responsible(user, on) if scope == CaseScope.MINE else referrals
