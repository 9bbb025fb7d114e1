import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.languages import PARTICIPANT_LANGUAGES

from . import perms
from .constants import ConsentScope, ConsentStatus
from .models import Consent, Participant
from .signals import consent_withdrawn

PERSON_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "address",
    "postal_code",
    "city",
    "languages",
    "protected_identity",
    "target_groups",
    "work_capacity",
)


@transaction.atomic
def participant_get_or_create(
    *, district, personal_number: str, by, any_district: bool = False, **fields
) -> tuple[Participant, bool]:
    """Find the person by identity number in the district's municipality or register them (in `district`).

    Raises ValidationError when the number is invalid or the person lives in another district (a
    caseworker refers only people of their own district). With `any_district` (a Jobbtorg unit's intake,
    ADR 0020) a person already registered in another district of the municipality is reused as they are.
    """
    try:
        canonical = personal_numbers.normalize(personal_number)
    except ValidationError as exc:
        raise ValidationError({"personal_number": exc.messages}) from exc
    existing = (
        Participant.objects.select_for_update()
        .filter(municipality_id=district.municipality_id, personal_number=canonical)
        .first()
    )
    if existing is not None:
        if existing.district_id != district.pk and not any_district:
            raise ValidationError(
                {
                    "personal_number": _(
                        "This person is registered in another district and cannot be referred from yours."
                    )
                }
            )
        changed = {}
        for name in PERSON_FIELDS:
            if name in fields and fields[name] not in (None, "") and getattr(existing, name) != fields[name]:
                changed[name] = fields[name]
                setattr(existing, name, fields[name])
        if changed:
            existing.full_clean()
            existing.save()
            change_record(
                action="participant_updated",
                obj=existing,
                participant=existing,
                by=by,
                changes=sorted(changed),
            )
        return existing, False
    participant = Participant(
        municipality_id=district.municipality_id,
        district=district,
        personal_number=canonical,
        **{k: v for k, v in fields.items() if k in PERSON_FIELDS and v is not None},
    )
    participant.birth_date = personal_numbers.birth_date(canonical)
    participant.full_clean()
    participant.save()
    change_record(action="participant_created", obj=participant, participant=participant, by=by)
    return participant, True


@transaction.atomic
def consent_record(
    *,
    participant: Participant,
    status: str,
    by,
    scope: str = ConsentScope.DISTRICT_JOBBTORG,
    effective_date: datetime.date | None = None,
    note: str = "",
) -> Consent:
    """Record a consent decision. The caseworker of the person's district records it; Jobbtorg staff may
    record it for the people referred to them; a person may withdraw (or give) their own in the
    participant view. Withdrawing the consent district ↔ Jobbtorg ends the basis of the person's referrals
    at once (`consent_withdrawn`: the open referral closes, the caseworker is told, the Jobbtorg and the
    providers lose access)."""
    if not perms.can_record_consent(by, participant):
        raise PermissionDenied(_("You cannot record consent for this person."))
    consent = Consent(
        participant=participant,
        scope=scope,
        status=status,
        effective_date=effective_date or datetime.date.today(),
        recorded_by=by,
        note=note,
    )
    consent.full_clean()
    consent.save()
    action = "consent_given" if status == ConsentStatus.GIVEN else "consent_withdrawn"
    change_record(action=action, obj=consent, participant=participant, by=by, changes={"scope": scope})
    if scope == ConsentScope.DISTRICT_JOBBTORG and status == ConsentStatus.WITHDRAWN:
        consent_withdrawn.send(sender=Consent, consent=consent, by=by)
    return consent


@transaction.atomic
def participant_language_set(*, participant: Participant, language: str, by) -> Participant:
    """The language of the person's portal, reminders, notices and printed plan (the person or staff who
    see them; `perms.can_set_language`)."""
    if not perms.can_set_language(by, participant):
        raise PermissionDenied(_("You cannot change this person's language."))
    if language not in PARTICIPANT_LANGUAGES:
        raise ValidationError({"language": _("Choose one of the languages in the list.")})
    if participant.language != language:
        before = participant.language
        Participant.objects.filter(pk=participant.pk).update(language=language)
        participant.language = language
        change_record(
            action="participant_language_set",
            obj=participant,
            participant=participant,
            by=by,
            changes={"language": {"from": before, "to": language}},
        )
    return participant
