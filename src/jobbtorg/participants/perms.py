"""Who may see and record what about a person — one function per rule, the rule in its docstring. The
services raise PermissionDenied when a function here says no; the pages, the templates (`{% can %}`) and the
API ask the same functions. Which people a user sees at all is `Participant.objects.visible_to`."""

from .models import Participant


def can_view_people(user) -> bool:
    """District caseworkers and Jobbtorg staff look people up and open their records (which people:
    `Participant.objects.visible_to`)."""
    return user.is_caseworker or user.is_unit_staff


def can_see_contact(user, participant) -> bool:
    """Address and contact details of a person with protected identity: only their own caseworker (the one
    who referred them, with `participants.view_protected_contact`) sees them — not other caseworkers of the
    district, the Jobbtorg or providers. Whoever sees an unprotected person sees their contact details."""
    if not participant.protected_identity:
        return True
    return (
        user.is_caseworker
        and user.has_perm("participants.view_protected_contact")
        and participant.referrals.filter(caseworker_id=user.pk).exists()
    )


def can_record_consent(user, participant) -> bool:
    """A consent decision is recorded by the person themself (participant view), or by a district caseworker
    or Jobbtorg staff member who sees the person (e.g. the coach records the consent to share with a
    provider). A caseworker records it for anyone living in their district — also when referring a person
    the district has not referred before, who may have come to a Jobbtorg another way (ADR 0020)."""
    if user.is_participant and user.participant_id == participant.pk:
        return True
    if user.is_caseworker:
        return user.district_id == participant.district_id
    return user.is_unit_staff and Participant.objects.visible_to(user).filter(pk=participant.pk).exists()


def can_decide_consents(user) -> bool:
    """District caseworkers record consent decisions on people's records (whose: `can_decide_consent`)."""
    return user.is_caseworker


def can_decide_consent(user, participant) -> bool:
    """On the person's record (page and API), a caseworker of the person's own district records the consent
    decisions."""
    return can_decide_consents(user) and user.district_id == participant.district_id


def can_set_language(user, participant) -> bool:
    """The language of the person's own pages and messages: the person chooses it themself, and a
    district caseworker or Jobbtorg staff member who sees the person sets it for them (at a first meeting)."""
    if user.is_participant and user.participant_id == participant.pk:
        return True
    staff = user.is_caseworker or user.is_unit_staff
    return staff and Participant.objects.visible_to(user).filter(pk=participant.pk).exists()
