"""Small helpers shared by the plans views: scoping and the deadline and content shown."""

import datetime
from decimal import Decimal, InvalidOperation

from django.shortcuts import get_object_or_404
from django.utils import timezone

from jobbtorg.referrals.models import Referral
from jobbtorg.utils.workdays import working_days_between

from ..constants import OtherPlanKind
from ..selectors import WeekLoad


def referral_in_scope(user, referral_pk) -> Referral:
    """The referral if the user may see it; a 404 otherwise (never tell whether it exists)."""
    queryset = Referral.objects.visible_to(user).select_related(
        "participant", "district", "unit", "caseworker", "coach"
    )
    return get_object_or_404(queryset, pk=referral_pk)


def deadline_state(referral: Referral, plan=None, today: datetime.date | None = None) -> dict:
    """How the action plan stands against its five-working-day deadline."""
    today = today or timezone.localdate()
    due = referral.plan_due_date
    approved_at = getattr(plan, "first_approved_at", None)
    if approved_at is not None:
        approved_on = timezone.localdate(approved_at)
        return {"due": due, "approved_on": approved_on, "in_time": approved_on <= due, "overdue_days": 0}
    overdue_days = working_days_between(due, today) if today > due else 0
    return {
        "due": due,
        "approved_on": None,
        "in_time": None,
        "overdue_days": overdue_days,
        "today": today == due,
    }


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
