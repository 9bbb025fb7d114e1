"""{% participant_matches participant %}: the person's matches and hires, for the person page (the page
itself logs the read of the record)."""

from django import template

from ..perms import can_view_matches
from ..selectors import matches_for_participant

register = template.Library()


@register.inclusion_tag("matching/_participant_matches.html", takes_context=True)
def participant_matches(context, participant):
    user = context["request"].user
    if not can_view_matches(user):
        return {"show": False}
    matches = list(matches_for_participant(participant=participant, user=user))
    return {
        "show": True,
        "matches": matches,
        "hires": [m for m in matches if m.status in ("hired", "internship_started")],
    }
