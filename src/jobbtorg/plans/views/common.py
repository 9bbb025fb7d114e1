"""Small helpers shared by the plans views: scoping and the deadline and content shown."""

import datetime
from decimal import Decimal, InvalidOperation

from django.shortcuts import get_object_or_404

from jobbtorg.referrals.models import Referral

from ..constants import OtherPlanKind
from ..selectors import WeekLoad


def referral_in_scope(user, referral_pk) -> Referral:
    """The referral if the user may see it; a 404 otherwise (never tell whether it exists)."""
    queryset = Referral.objects.visible_to(user).select_related(
        "participant", "district", "unit", "caseworker", "coach"
    )
    return get_object_or_404(queryset, pk=referral_pk)


def content_for_display(content: dict) -> dict:
    """A frozen plan version's content with labels for display, and its week load as a WeekLoad."""
    kinds = dict(OtherPlanKind.choices)
    shown = dict(content)
    shown["other_plans"] = [
        {**link, "kind_label": kinds.get(link.get("kind"), link.get("kind"))}
        for link in content.get("other_plans", [])
    ]
    week = content.get("week")
    shown["week_load"] = None
    if week:
        try:
            shown["week_load"] = WeekLoad(
                datetime.date.fromisoformat(week["week_start"]),
                Decimal(week["planned_hours"]),
                Decimal(week["required_hours"]),
                int(week["work_capacity"]),
            )
        except (KeyError, ValueError, InvalidOperation):
            shown["week_load"] = None
    return shown
