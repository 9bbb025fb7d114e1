"""A participant who chose a language on the sign-in page keeps it: signing in stores it on their record, so
reminders and the printed plan use it too (`Participant.language`)."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from jobbtorg.participants.services import participant_language_set
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGES


@receiver(user_logged_in, dispatch_uid="portal_language_from_sign_in")
def language_from_sign_in(sender, request, user, **kwargs):
    if request is None or not user.is_participant:
        return
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen in PARTICIPANT_LANGUAGES and chosen != user.participant.language:
        participant_language_set(participant=user.participant, language=chosen, by=user)
