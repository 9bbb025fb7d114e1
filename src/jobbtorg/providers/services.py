"""Provider writes: registration, authorisation (apply → decide → suspend/reinstate/revoke), customer
choice with a fair default rotation, changes of provider."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.utils.locking import version_claim

from . import perms
from .constants import ApplicationStatus, AssignmentSource, AuthorisationEventKind, ChoiceStatus
from .models import (
    Application,
    ApplicationAnswer,
    Assignment,
    Authorisation,
    AuthorisationEvent,
    ChoiceRequest,
    Provider,
    Requirement,
    RotationState,
    Suspension,
)
from .selectors import authorised_providers
from .validators import organisation_number_normalize


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def provider_create(*, municipality, name: str, organisation_number: str, by, **fields) -> Provider:
    _require(perms.can_add_provider(by))
    try:
        number = organisation_number_normalize(organisation_number)
    except ValidationError as exc:
        raise ValidationError({"organisation_number": exc.messages}) from exc
    provider = Provider(municipality=municipality, name=name, organisation_number=number, **fields)
    provider.full_clean()
    provider.save()
    change_record(action="provider_created", obj=provider, by=by)
    return provider


def requirements_for(*, municipality, intervention_type) -> list[Requirement]:
    """The checklist: the municipality's active requirements for this type and for every type."""
    return list(
        Requirement.objects.filter(municipality=municipality, active=True).filter(
            Q(intervention_type__isnull=True) | Q(intervention_type=intervention_type)
        )
    )


@transaction.atomic
def application_submit(
    *, provider: Provider, intervention_type, answers: dict[int, tuple[bool, str]], by
) -> Application:
    """A provider applies for authorisation for an intervention type, answering every requirement of the
    municipality's checklist (requirement id → (fulfilled, comment))."""
    if not perms.can_apply_for(by, provider):
        raise PermissionDenied(_("Only the provider's own staff can apply."))
    requirements = requirements_for(municipality=provider.municipality, intervention_type=intervention_type)
    missing = [r.text for r in requirements if r.pk not in answers]
    if missing:
        raise ValidationError(
            {"answers": _("Answer every requirement: %(list)s") % {"list": "; ".join(missing)}}
        )
    application = Application(provider=provider, intervention_type=intervention_type, submitted_by=by)
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as exc:
        raise ValidationError(
            {"intervention_type": _("The provider already has a pending application for this type.")}
        ) from exc
    ApplicationAnswer.objects.bulk_create(
        ApplicationAnswer(
            application=application, requirement=r, fulfilled=answers[r.pk][0], comment=answers[r.pk][1]
        )
        for r in requirements
    )
    change_record(
        action="authorisation_applied",
        obj=application,
        by=by,
        changes={"intervention_type": intervention_type.code},
    )
    return application


@transaction.atomic
def application_decide(
    *,
    application: Application,
    approve: bool,
    reason: str,
    by,
    version: int | None = None,
    valid_from: datetime.date | None = None,
    capacity: int | None = None,
) -> Authorisation | None:
    """Approve (creating the authorisation) or reject with a reason. An application whose checklist has an
    unfulfilled requirement cannot be approved."""
    _require(perms.can_decide_applications(by))
    version_claim(application, version)
    if application.status != ApplicationStatus.SUBMITTED:
        raise ValidationError(_("The application has already been decided."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the decision.")})
    if approve and application.answers.filter(fulfilled=False).exists():
        raise ValidationError(
            {"approve": _("Every requirement must be fulfilled before the application is approved.")}
        )
    application.status = ApplicationStatus.APPROVED if approve else ApplicationStatus.REJECTED
    application.decided_at = timezone.now()
    application.decided_by = by
    application.decision_reason = reason
    application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason"])
    change_record(
        action="authorisation_approved" if approve else "authorisation_rejected",
        obj=application,
        by=by,
        changes={"reason": reason},
    )
    if not approve:
        return None
    start = valid_from or timezone.localdate()
    try:
        with transaction.atomic():
            authorisation = Authorisation.objects.create(
                provider=application.provider,
                intervention_type=application.intervention_type,
                application=application,
                valid_from=start,
                capacity=capacity,
            )
    except IntegrityError as exc:
        raise ValidationError(_("The provider is already authorised for this type.")) from exc
    AuthorisationEvent.objects.create(
        authorisation=authorisation,
        kind=AuthorisationEventKind.GRANTED,
        effective_date=start,
        reason=reason,
        by=by,
    )
    return authorisation


@transaction.atomic
def authorisation_suspend(
    *,
    authorisation: Authorisation,
    start_date: datetime.date,
    end_date: datetime.date | None,
    reason: str,
    by,
    version: int | None = None,
) -> Suspension:
    _require(perms.can_decide_applications(by))
    version_claim(authorisation, version)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the suspension.")})
    if end_date and end_date < start_date:
        raise ValidationError({"end_date": _("The suspension must end after it starts.")})
    if authorisation.revoked_from:
        raise ValidationError(_("A revoked authorisation cannot be suspended."))
    suspension = Suspension.objects.create(
        authorisation=authorisation, start_date=start_date, end_date=end_date, reason=reason
    )
    AuthorisationEvent.objects.create(
        authorisation=authorisation,
        kind=AuthorisationEventKind.SUSPENDED,
        effective_date=start_date,
        reason=reason,
        by=by,
    )
    change_record(
        action="authorisation_suspended",
        obj=authorisation,
        by=by,
        changes={"from": start_date.isoformat(), "until": end_date.isoformat() if end_date else None},
    )
    return suspension


@transaction.atomic
def authorisation_reinstate(
    *, authorisation: Authorisation, on: datetime.date, reason: str, by, version: int | None = None
) -> None:
    """End the open or running suspensions the day before `on`."""
    _require(perms.can_decide_applications(by))
    version_claim(authorisation, version)
    day_before = on - datetime.timedelta(days=1)
    running = authorisation.suspensions.filter(start_date__lte=on).exclude(end_date__lt=on)
    if not running.exists():
        raise ValidationError(_("The authorisation is not suspended then."))
    running.update(end_date=day_before)
    AuthorisationEvent.objects.create(
        authorisation=authorisation,
        kind=AuthorisationEventKind.REINSTATED,
        effective_date=on,
        reason=reason,
        by=by,
    )
    change_record(
        action="authorisation_reinstated", obj=authorisation, by=by, changes={"from": on.isoformat()}
    )


@transaction.atomic
def authorisation_revoke(
    *, authorisation: Authorisation, on: datetime.date, reason: str, by, version: int | None = None
) -> Authorisation:
    _require(perms.can_decide_applications(by))
    version_claim(authorisation, version)
    if authorisation.revoked_from:
        raise ValidationError(_("The authorisation is already revoked."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for revoking the authorisation.")})
    authorisation.revoked_from = on
    authorisation.save(update_fields=["revoked_from"])
    AuthorisationEvent.objects.create(
        authorisation=authorisation,
        kind=AuthorisationEventKind.REVOKED,
        effective_date=on,
        reason=reason,
        by=by,
    )
    change_record(action="authorisation_revoked", obj=authorisation, by=by, changes={"from": on.isoformat()})
    return authorisation


def _check_choosable(provider: Provider, allowed: list[Provider]) -> None:
    match = next((p for p in allowed if p.pk == provider.pk), None)
    if match is None:
        raise ValidationError(
            {"provider": _("Only providers authorised for this intervention can be chosen.")}
        )
    if match.free_places == 0:
        raise ValidationError({"provider": _("This provider has no free place for this intervention.")})


# Customer choice -------------------------------------------------------------------------------------------


@transaction.atomic
def choice_open(*, referral, intervention_type, by, days: int | None = None) -> ChoiceRequest:
    """The person is to choose a provider for the type within `days` (the municipality's setting)."""
    from django.conf import settings

    if not perms.can_offer_choice(by, referral):
        raise PermissionDenied(
            _("Only staff of the unit the person is referred to can start a provider choice.")
        )
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError(_("A provider choice can only be started for an accepted referral."))
    days = days if days is not None else settings.JOBBTORG_CHOICE_DAYS
    choice = ChoiceRequest(
        participant_id=referral.participant_id,
        referral=referral,
        intervention_type=intervention_type,
        deadline=timezone.localdate() + datetime.timedelta(days=days),
        opened_by=by,
    )
    try:
        with transaction.atomic():
            choice.save()
    except IntegrityError as exc:
        raise ValidationError(_("The person already has an open choice for this intervention type.")) from exc
    change_record(
        action="provider_choice_opened",
        obj=choice,
        by=by,
        participant=referral.participant,
        changes={"intervention_type": intervention_type.code, "deadline": choice.deadline.isoformat()},
    )
    return choice


def _assign(
    *,
    participant_id,
    referral,
    provider,
    intervention_type,
    source,
    reason,
    by,
    choice=None,
    start: datetime.date | None = None,
) -> Assignment:
    start = start or timezone.localdate()
    current = (
        Assignment.objects.select_for_update()
        .filter(participant_id=participant_id, intervention_type=intervention_type, end_date__isnull=True)
        .first()
    )
    if current is not None:
        if current.provider_id == provider.pk:
            return current
        raise ValidationError(
            _("The person already has a provider for this intervention; change provider instead.")
        )
    assignment = Assignment.objects.create(
        participant_id=participant_id,
        referral=referral,
        provider=provider,
        intervention_type=intervention_type,
        source=source,
        reason=reason,
        start_date=start,
        choice=choice,
        created_by=by,
    )
    change_record(
        action="provider_assigned",
        obj=assignment,
        by=by,
        participant=referral.participant,
        changes={"provider": provider.name, "source": source, "reason": reason},
    )
    return assignment


@transaction.atomic
def choice_make(*, choice: ChoiceRequest, provider: Provider, by, with_coach: bool = False) -> Assignment:
    """The person (in the participant view, or with their coach) chooses an authorised provider."""
    choice = ChoiceRequest.objects.select_for_update().get(pk=choice.pk)
    if choice.status != ChoiceStatus.OPEN:
        raise ValidationError(_("This choice has already been made."))
    allowed = authorised_providers(
        municipality=choice.referral.unit.municipality,
        intervention_type=choice.intervention_type,
        on=timezone.localdate(),
    )
    _check_choosable(provider, allowed)
    staff = perms.can_offer_choice(by, choice.referral)
    if not perms.can_make_choice(by, choice):
        raise PermissionDenied(_("Only the person or their coach can make the choice."))
    assignment = _assign(
        participant_id=choice.participant_id,
        referral=choice.referral,
        provider=provider,
        intervention_type=choice.intervention_type,
        source=AssignmentSource.COACH_WITH_PARTICIPANT if staff else AssignmentSource.PARTICIPANT_CHOICE,
        reason=_("Chosen by the person"),
        by=by,
        choice=choice,
    )
    choice.status = ChoiceStatus.CHOSEN
    choice.closed_at = timezone.now()
    choice.save(update_fields=["status", "closed_at"])
    return assignment


def rotation_next(*, municipality, intervention_type, on: datetime.date) -> Provider | None:
    """The next provider in a fair rotation: authorised providers with a free place, in a fixed order
    (by id), starting after the one that got the last default assignment."""
    candidates = [
        p
        for p in authorised_providers(municipality=municipality, intervention_type=intervention_type, on=on)
        if p.free_places is None or p.free_places > 0
    ]
    if not candidates:
        return None
    candidates.sort(key=lambda p: p.pk)
    state, _created = RotationState.objects.select_for_update().get_or_create(
        municipality=municipality, intervention_type=intervention_type
    )
    last = state.last_provider_id or 0
    following = [p for p in candidates if p.pk > last]
    chosen = following[0] if following else candidates[0]
    state.last_provider = chosen
    state.save(update_fields=["last_provider", "updated_at"])
    return chosen


@transaction.atomic
def choice_assign_default(
    *, choice: ChoiceRequest, by, today: datetime.date | None = None
) -> Assignment | None:
    """No choice by the deadline: the default provider (ickevalsalternativ) by rotation, reason kept."""
    today = today or timezone.localdate()
    choice = ChoiceRequest.objects.select_for_update().get(pk=choice.pk)
    if choice.status != ChoiceStatus.OPEN or choice.deadline >= today:
        return None
    provider = rotation_next(
        municipality=choice.referral.unit.municipality, intervention_type=choice.intervention_type, on=today
    )
    if provider is None:
        return None
    assignment = _assign(
        participant_id=choice.participant_id,
        referral=choice.referral,
        provider=provider,
        intervention_type=choice.intervention_type,
        source=AssignmentSource.DEFAULT_ROTATION,
        reason=_("No choice made by %(deadline)s: default provider by rotation")
        % {"deadline": choice.deadline.isoformat()},
        by=by,
        choice=choice,
        start=today,
    )
    choice.status = ChoiceStatus.DEFAULT_ASSIGNED
    choice.closed_at = timezone.now()
    choice.save(update_fields=["status", "closed_at"])
    return assignment


@transaction.atomic
def assignment_change(
    *, assignment: Assignment, provider: Provider, reason: str, by, on: datetime.date | None = None
) -> Assignment:
    """Change of provider with a reason: the current assignment ends, a new one starts; both are kept."""
    if not perms.can_change_provider(by, assignment):
        raise PermissionDenied(_("Only the person or their coach can change provider."))
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give the reason for the change of provider.")})
    on = on or timezone.localdate()
    allowed = authorised_providers(
        municipality=assignment.provider.municipality, intervention_type=assignment.intervention_type, on=on
    )
    _check_choosable(provider, allowed)
    if provider.pk == assignment.provider_id:
        raise ValidationError({"provider": _("The person already has this provider.")})
    updated = Assignment.objects.filter(pk=assignment.pk, end_date__isnull=True).update(
        end_date=max(on - datetime.timedelta(days=1), assignment.start_date), end_reason=reason
    )
    if updated != 1:
        raise ValidationError(_("The assignment has already ended."))
    new = Assignment.objects.create(
        participant_id=assignment.participant_id,
        referral=assignment.referral,
        provider=provider,
        intervention_type=assignment.intervention_type,
        source=AssignmentSource.CHANGE,
        reason=reason,
        start_date=on,
        created_by=by,
    )
    change_record(
        action="provider_changed",
        obj=new,
        by=by,
        participant=assignment.participant,
        changes={"from": assignment.provider.name, "to": provider.name, "reason": reason},
    )
    return new


def assignment_for_booking(*, booking, by) -> Assignment:
    """A place in a provider's offering assigns the person to that provider (so its staff can report)."""
    offering = booking.offering
    current = Assignment.objects.filter(
        participant_id=booking.participant_id,
        intervention_type=offering.intervention_type,
        end_date__isnull=True,
    ).first()
    if current is not None:
        return current
    return _assign(
        participant_id=booking.participant_id,
        referral=booking.referral,
        provider=offering.provider,
        intervention_type=offering.intervention_type,
        source=AssignmentSource.PROCUREMENT,
        reason=_("Booked into %(offering)s") % {"offering": offering.name},
        by=by,
        start=booking.start_date,
    )


def referral_closed_end_provider_work(*, referral, by, on: datetime.date) -> None:
    """When a referral closes: open choices are cancelled and current provider assignments end on `on`, the
    person's last day (the exit date, even when the exit is recorded later) — never before they started.
    Payments read the end: months after it are not paid, and months already paid are clawed back."""
    ChoiceRequest.objects.filter(referral=referral, status=ChoiceStatus.OPEN).update(
        status=ChoiceStatus.CANCELLED, closed_at=timezone.now()
    )
    for assignment in Assignment.objects.filter(referral=referral, end_date__isnull=True):
        Assignment.objects.filter(pk=assignment.pk).update(
            end_date=max(on, assignment.start_date), end_reason=_("The referral was closed.")
        )
