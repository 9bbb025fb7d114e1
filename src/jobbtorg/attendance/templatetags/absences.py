"""{% participant_absences participant %}: the absence the person reported for today and coming days, for the
person page (the page itself logs the read of the record)."""

from django import template

from ..perms import can_view_reported_absences
from ..selectors import reported_absences_for

register = template.Library()


@register.inclusion_tag("attendance/_participant_absences.html", takes_context=True)
def participant_absences(context, participant):
    user = context["request"].user
    if user.is_participant or not can_view_reported_absences(user):
        return {"show": False}
    return {"show": True, "absences": list(reported_absences_for(user).filter(participant=participant))}
