from django.urls import reverse

from jobbtorg.utils.languages import LOCAL_NAMES, PARTICIPANT_LANGUAGES, STAFF_LANGUAGES


def navigation(request):
    user = getattr(request, "user", None)
    return {"current_role": getattr(user, "role", "") if user and user.is_authenticated else ""}


def language_switch(request):
    """The header's language switch: staff choose Swedish or English (Django's set_language); a participant
    chooses among the participant languages and the choice is stored on their record (the portal's own
    view); visitors who are not signed in may choose every participant language. Names are each language's
    own name, never a code."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    if signed_in and user.is_participant:
        codes, action = PARTICIPANT_LANGUAGES, reverse("portal:language")
    elif signed_in:
        codes, action = STAFF_LANGUAGES, reverse("set_language")
    else:
        codes, action = PARTICIPANT_LANGUAGES, reverse("set_language")
    return {
        "language_choices": [(code, LOCAL_NAMES[code]) for code in codes],
        "language_switch_url": action,
    }
