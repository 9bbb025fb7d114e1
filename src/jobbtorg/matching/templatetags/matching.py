"""{% participant_matches participant %}: the person's matches and hires, for the person page (the page
itself logs the read of the record)."""

from django import template

from ..selectors import matches_for_participant

register = template.Library()


@register.inclusion_tag("matching/_participant_matches.html", takes_context=True)
def participant_matches(context, participant):
    user = context["request"].user
    if not (user.is_unit_staff and user.has_perm("matching.view_match")):
        return {"show": False}
    matches = list(matches_for_participant(participant=participant, user=user))
    return {
        "show": True,
        "matches": matches,
        "hires": [m for m in matches if m.status in ("hired", "internship_started")],
    }
