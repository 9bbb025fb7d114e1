"""`{% menu_counts as counts %}`: what waits for the signed-in user, shown as a count beside its menu item
(open notices, plans to decide, overdue plans). It runs on every page, so each count is one COUNT query,
asked only of the roles whose rule opens that page, and computed once per request."""

from django import template

from jobbtorg.attendance import perms as attendance_perms
from jobbtorg.attendance.selectors import notices_for
from jobbtorg.plans import perms as plans_perms
from jobbtorg.plans.selectors import overdue_plan_count, plans_to_decide_count

register = template.Library()

CACHE_ATTRIBUTE = "_jobbtorg_menu_counts"


def counts_for(user) -> dict[str, int]:
    counts = {}
    if attendance_perms.can_view_notices(user):
        counts["open_notices"] = notices_for(user, open_only=True).count()
    if plans_perms.can_view_inbox(user):
        counts["plans_to_decide"] = plans_to_decide_count(user=user)
    if plans_perms.can_view_worklist(user):
        counts["overdue_plans"] = overdue_plan_count(user=user)
    return counts


@register.simple_tag(takes_context=True)
def menu_counts(context) -> dict[str, int]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    cached = getattr(request, CACHE_ATTRIBUTE, None)
    if cached is None:
        cached = counts_for(user)
        if request is not None:
            setattr(request, CACHE_ATTRIBUTE, cached)
    return cached
