from .constants import ConsentScope, ConsentStatus
from .models import Consent, Participant


def consent_current(
    *, participant: Participant, scope: str = ConsentScope.DISTRICT_JOBBTORG
) -> Consent | None:
    """The consent in force for a scope: the latest recorded decision, or None if none was recorded."""
    return participant.consents.filter(scope=scope).order_by("-recorded_at", "-id").first()


def consent_is_given(*, participant: Participant, scope: str = ConsentScope.DISTRICT_JOBBTORG) -> bool:
    consent = consent_current(participant=participant, scope=scope)
    return consent is not None and consent.status == ConsentStatus.GIVEN


def participant_find_by_personal_number(*, user, personal_number: str) -> Participant | None:
    """Look a person up by identity number (a POSTed value, never a URL) among those the user may see."""
    return Participant.objects.visible_to(user).filter(personal_number=personal_number).first()
