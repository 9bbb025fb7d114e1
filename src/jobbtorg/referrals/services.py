"""Referral writes: create (by a caseworker), an intake registered by the unit itself (ADR 0020), accept or
return (by the Jobbtorg), close, resubmit; send an accepted referral back, agree to or dispute the send-back,
decide a dispute; the responsible coach (assigned at acceptance, changed or reassigned in bulk with history)
and substitutes."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Unit
from jobbtorg.audit.services import change_record
from jobbtorg.participants.constants import ConsentScope, ConsentStatus
from jobbtorg.participants.services import consent_record, participant_get_or_create
from jobbtorg.utils.locking import version_claim

from . import perms
from .constants import (
    INTAKE_SOURCES,
    SYSTEM_CLOSE_REASONS,
    AssistanceStatus,
    CloseReason,
    CoachChangeKind,
    ReferralSource,
    ReferralStatus,
    SendBackReason,
    SendBackStatus,
)
from .deadline import plan_due_date
from .models import CoachChange, Referral, ReferralEvent, SendBack, SendBackEvent, Substitution
from .signals import referral_closed
from .workflow import check_send_back_transition, check_transition


def referral_route(*, district, chosen_unit: Unit | None = None) -> tuple[Unit, bool]:
    """The unit serving the district, unless the person chose another unit of the same municipality."""
    if chosen_unit is not None and chosen_unit.pk != district.unit_id:
        if chosen_unit.municipality_id != district.municipality_id:
            raise ValidationError({"chosen_unit": _("The chosen unit belongs to another municipality.")})
        return chosen_unit, True
    return district.unit, False


@transaction.atomic
def referral_create(
    *,
    by,
    personal_number: str,
    first_name: str,
    last_name: str,
    target_group: str,
    reason: str,
    assistance_status: str,
    consent_given: bool,
    consent_date: datetime.date | None = None,
    notes: str = "",
    chosen_unit: Unit | None = None,
    referral_date: datetime.date | None = None,
    source: str = ReferralSource.SOCIAL_SERVICES,
    **person_fields,
) -> Referral:
    """A caseworker refers a person of their own district. The person is registered if new; the consent to
    share information between the district and the Jobbtorg is recorded; the referral is routed."""
    if not perms.can_create_referral(by):
        raise PermissionDenied(_("Only a district caseworker can refer a person."))
    if source not in ReferralSource.values:
        raise ValidationError({"source": _("Choose who initiated the referral.")})
    district = by.district
    participant, _created = participant_get_or_create(
        district=district,
        personal_number=personal_number,
        by=by,
        first_name=first_name,
        last_name=last_name,
        **person_fields,
    )
    if Referral.objects.filter(participant=participant).open().exists():
        raise ValidationError(
            {
                "personal_number": _(
                    "This person already has an open referral. Close it before referring again."
                )
            }
        )
    unit, chosen = referral_route(district=district, chosen_unit=chosen_unit)
    referral_date = referral_date or timezone.localdate()
    # The consent decision comes first: the referral rests on it. A withdrawal recorded here ends the basis
    # of the person's earlier referrals (`referrals_consent_withdrawn`), never of this new one.
    consent_record(
        participant=participant,
        status=ConsentStatus.GIVEN if consent_given else ConsentStatus.WITHDRAWN,
        effective_date=consent_date or referral_date,
        by=by,
        note=_("Recorded with the referral"),
    )
    referral = Referral(
        participant=participant,
        district=district,
        unit=unit,
        unit_chosen_by_participant=chosen,
        caseworker=by,
        source=source,
        target_group=target_group,
        reason=reason,
        assistance_status=assistance_status,
        notes=notes,
        referral_date=referral_date,
        plan_due_date=plan_due_date(referral_date),
    )
    referral.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:  # a concurrent referral of the same person won the race
        raise ValidationError({"personal_number": _("This person already has an open referral.")}) from exc
    ReferralEvent.objects.create(referral=referral, from_status="", to_status=referral.status, by=by)
    change_record(
        action="referral_created",
        obj=referral,
        by=by,
        participant=participant,
        changes={"unit": unit.name, "target_group": target_group, "unit_chosen_by_participant": chosen},
    )
    return referral


# The consent an intake records, by source: the person agrees that the Jobbtorg and the actor who sent them
# share information. A person who came on their own or from another actor has no such partner.
INTAKE_CONSENT_SCOPES = {
    ReferralSource.EMPLOYMENT_SERVICE: ConsentScope.EMPLOYMENT_SERVICE,
    ReferralSource.SOCIAL_INSURANCE: ConsentScope.SOCIAL_INSURANCE,
}


@transaction.atomic
def referral_intake(
    *,
    by,
    personal_number: str,
    first_name: str,
    last_name: str,
    source: str,
    district,
    target_group: str,
    reason: str,
    source_other: str = "",
    assistance_status: str = AssistanceStatus.NONE,
    consent_given: bool = False,
    consent_date: datetime.date | None = None,
    notes: str = "",
    referral_date: datetime.date | None = None,
    coach=None,
    **person_fields,
) -> Referral:
    """Staff of a Jobbtorg unit take in a person who comes another way than through social services
    (inskrivning, ADR 0020): from Arbetsförmedlingen, Försäkringskassan, on their own or from another actor
    (`source_other` says which). The person is found by identity number in the unit's municipality — reused
    whichever district they are registered in, never registered twice — or registered in `district` (where
    they live). The referral belongs to the staff member's unit, has no caseworker, is received and accepted
    at once in two recorded steps (the registering coach, or the coach named, becomes responsible), and
    the consent to share with the sending actor is recorded (`INTAKE_CONSENT_SCOPES`). One transaction."""
    if not perms.can_register_intake(by):
        raise PermissionDenied(
            _("Only staff of a Jobbtorg unit who accept referrals can register an intake.")
        )
    unit = by.unit
    errors = {}
    source_other = (source_other or "").strip()
    if source not in dict(INTAKE_SOURCES):
        errors["source"] = _(
            "Choose who sent the person: Arbetsförmedlingen, Försäkringskassan, the person themselves or "
            "another actor. Social services refer through their caseworker."
        )
    elif source == ReferralSource.OTHER and not source_other:
        errors["source_other"] = _("Say which actor sent the person.")
    if district is None or district.municipality_id != unit.municipality_id:
        errors["district"] = _("Choose a district of the unit's municipality.")
    referral_date = referral_date or timezone.localdate()
    if referral_date > timezone.localdate():
        errors["referral_date"] = _("The date of the intake cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    participant, _created = participant_get_or_create(
        district=district,
        personal_number=personal_number,
        by=by,
        any_district=True,
        first_name=first_name,
        last_name=last_name,
        **person_fields,
    )
    if Referral.objects.filter(participant=participant).open().exists():
        raise ValidationError(
            {"personal_number": _("This person already has an open referral or intake. Close it first.")}
        )
    referral = Referral(
        participant=participant,
        district_id=participant.district_id,
        unit=unit,
        caseworker=None,
        source=source,
        source_other=source_other if source == ReferralSource.OTHER else "",
        target_group=target_group,
        reason=reason,
        assistance_status=assistance_status,
        notes=notes,
        referral_date=referral_date,
        plan_due_date=plan_due_date(referral_date),
    )
    referral.full_clean(validate_constraints=False, exclude=["caseworker"])
    try:
        with transaction.atomic():
            referral.save()
    except IntegrityError as exc:  # a concurrent referral of the same person won the race
        raise ValidationError({"personal_number": _("This person already has an open referral.")}) from exc
    ReferralEvent.objects.create(
        referral=referral, from_status="", to_status=referral.status, by=by, comment=_("Intake at the unit")
    )
    change_record(
        action="referral_created",
        obj=referral,
        by=by,
        participant=participant,
        changes={"unit": unit.name, "target_group": target_group, "intake": True, "source": source},
    )
    referral = referral_accept(referral=referral, by=by, version=referral.lock_version, coach=coach)
    scope = INTAKE_CONSENT_SCOPES.get(source)
    if scope is not None:
        consent_record(
            participant=participant,
            scope=scope,
            status=ConsentStatus.GIVEN if consent_given else ConsentStatus.WITHDRAWN,
            effective_date=consent_date or referral_date,
            by=by,
            note=_("Recorded with the intake"),
        )
    return referral


def _transition(
    *, referral: Referral, to: str, by, version: int | None, comment: str = "", **fields
) -> Referral:
    version_claim(referral, version)
    check_transition(referral.status, to)
    before = referral.status
    referral.status = to
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.save(update_fields=["status", "updated_at", *fields])
    ReferralEvent.objects.create(referral=referral, from_status=before, to_status=to, by=by, comment=comment)
    change_record(
        action=f"referral_{to}",
        obj=referral,
        by=by,
        participant=referral.participant,
        changes={"status": {"from": before, "to": to}, **({"comment": comment} if comment else {})},
    )
    return referral


def _require_receiving_staff(referral: Referral, by) -> None:
    if not perms.can_accept_referral(by, referral):
        raise PermissionDenied(_("Only staff of the receiving unit can do this."))


@transaction.atomic
def referral_accept(*, referral: Referral, by, version: int | None = None, coach=None) -> Referral:
    _require_receiving_staff(referral, by)
    """The receiving unit accepts the referral. The responsible coach is the accepting coach unless another
    coach of the unit is named; the assignment is the first row of the coach history."""
    coach = coach or (by if by.is_job_coach else None)
    if coach is not None and not perms.may_coach(coach, referral):
        raise ValidationError({"coach": _("The coach must work at the receiving unit.")})
    accepted = _transition(
        referral=referral,
        to=ReferralStatus.ACCEPTED,
        by=by,
        version=version,
        accepted_at=timezone.now(),
        coach=coach,
    )
    if coach is not None:
        CoachChange.objects.create(
            referral=accepted, kind=CoachChangeKind.ACCEPTED, from_coach=None, to_coach=coach, by=by
        )
    return accepted


@transaction.atomic
def referral_return(*, referral: Referral, by, reason: str, version: int | None = None) -> Referral:
    _require_receiving_staff(referral, by)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the referral is returned.")})
    return _transition(
        referral=referral,
        to=ReferralStatus.RETURNED,
        by=by,
        version=version,
        comment=reason,
        return_reason=reason,
    )


@transaction.atomic
def referral_resubmit(*, referral: Referral, by, comment: str = "", version: int | None = None) -> Referral:
    if not perms.can_resubmit_referral(by, referral):
        raise PermissionDenied(_("Only a caseworker of the referring district can resubmit the referral."))
    if (
        Referral.objects.filter(participant_id=referral.participant_id)
        .open()
        .exclude(pk=referral.pk)
        .exists()
    ):
        raise ValidationError({"status": _("This person already has another open referral.")})
    return _transition(referral=referral, to=ReferralStatus.RECEIVED, by=by, version=version, comment=comment)


@transaction.atomic
def referral_close(
    *,
    referral: Referral,
    by,
    reason: str,
    comment: str = "",
    version: int | None = None,
    ended_on: datetime.date | None = None,
) -> Referral:
    """Close a referral. `ended_on` is the person's last day (an exit date recorded late); without it,
    today. Assignments, bookings and the exit row end on that day (`referral_closed`)."""
    if not perms.can_close_referral(by, referral):
        raise PermissionDenied(_("You cannot close this referral."))
    if reason == CloseReason.CONSENT_WITHDRAWN:
        raise ValidationError(
            {"reason": _("Record the withdrawal of consent instead: the referral then closes by itself.")}
        )
    if reason in SYSTEM_CLOSE_REASONS:
        raise ValidationError({"reason": _("Send the referral back instead: it then closes by itself.")})
    return _close(
        referral=referral, by=by, reason=reason, comment=comment, version=version, ended_on=ended_on
    )


def _close(
    *, referral: Referral, by, reason: str, comment: str, version: int | None, ended_on: datetime.date | None
) -> Referral:
    if not reason:
        raise ValidationError({"reason": _("Choose a reason for closing.")})
    referral.close_reason = reason
    referral.full_clean(validate_constraints=False, exclude=["participant", "district", "unit", "caseworker"])
    closed = _transition(
        referral=referral,
        to=ReferralStatus.CLOSED,
        by=by,
        version=version,
        comment=comment,
        close_reason=reason,
        closed_at=timezone.now(),
    )
    referral_closed.send(sender=Referral, referral=closed, by=by, ended_on=ended_on or timezone.localdate())
    return closed


@transaction.atomic
def referrals_consent_withdrawn(*, participant_id, on: datetime.date, by) -> list[Referral]:
    """The person withdrew the consent to share information between the district and the Jobbtorg: the
    basis of their referrals ends at once. Every referral of the person is marked (`consent_withdrawn_at`;
    from then on Jobbtorg staff see only that the case existed, `ReferralQuerySet.with_basis`), and one not
    yet closed closes with the reason "consent withdrawn": assignments, bookings and the exit end on `on`
    and the caseworker gets a notice (`referral_closed`). No permission of its own — recording the
    withdrawal was the decision (`participants.services.consent_record`, the person or their caseworker).
    An intake the unit registered itself (ADR 0020) does not rest on that consent and is left as it is.
    Returns the referrals closed."""
    district_referrals = Referral.objects.filter(participant_id=participant_id, caseworker__isnull=False)
    district_referrals.filter(consent_withdrawn_at__isnull=True).update(consent_withdrawn_at=timezone.now())
    still_open = (
        district_referrals.select_for_update()
        .exclude(status=ReferralStatus.CLOSED)
        .select_related("participant")
    )
    return [
        _close(
            referral=referral,
            by=by,
            reason=CloseReason.CONSENT_WITHDRAWN,
            comment=_(
                "The person withdrew the consent to share information between the district and the Jobbtorg."
            ),
            version=None,
            ended_on=max(on, referral.referral_date),
        )
        for referral in still_open
    ]


# -- send-backs (återremittering) ------------------------------------------------------------------------


def _send_back_step(*, send_back: SendBack, to: str, by, version: int | None, comment: str, **fields) -> None:
    check_send_back_transition(send_back.status, to)
    version_claim(send_back, version)
    before = send_back.status
    send_back.status = to
    for name, value in fields.items():
        setattr(send_back, name, value)
    send_back.save(update_fields=["status", *fields])
    SendBackEvent.objects.create(
        send_back=send_back, from_status=before, to_status=to, by=by, comment=comment
    )
    change_record(
        action=f"send_back_{to}",
        obj=send_back.referral,
        by=by,
        participant=send_back.referral.participant,
        changes={"send_back": send_back.pk, "status": {"from": before, "to": to}, "comment": comment},
    )


def _send_back_close_referral(*, send_back: SendBack, by, comment: str) -> None:
    """The send-back stands: the referral closes with the reason "sent back" (assignments and bookings end
    today, the caseworker gets the usual notice)."""
    referral = Referral.objects.select_for_update().get(pk=send_back.referral_id)
    if referral.status == ReferralStatus.CLOSED:
        return  # closed meanwhile for another reason: nothing left to close
    _close(
        referral=referral, by=by, reason=CloseReason.SENT_BACK, comment=comment, version=None, ended_on=None
    )


@transaction.atomic
def referral_send_back(
    *, referral: Referral, by, reason: str, explanation: str, version: int | None = None
) -> SendBack:
    """Staff of the receiving unit send an accepted referral back to the district with a reason. The
    referral stays accepted (the person keeps their support) until the caseworker agrees or the unit heads
    uphold the send-back."""
    if not perms.can_send_back_referral(by, referral):
        raise PermissionDenied(_("Only staff of the receiving unit can send a referral back."))
    errors = {}
    if reason not in SendBackReason.values:
        errors["reason"] = _("Choose why the referral is sent back.")
    if not (explanation or "").strip():
        errors["explanation"] = _("Explain why the referral is sent back.")
    if errors:
        raise ValidationError(errors)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"status": _("Only an accepted referral can be sent back.")})
    if referral.send_backs.open().exists():
        raise ValidationError({"status": _("This referral has already been sent back.")})
    version_claim(referral, version)
    send_back = SendBack(referral=referral, reason=reason, explanation=explanation.strip(), sent_by=by)
    try:
        with transaction.atomic():
            send_back.save()
    except IntegrityError as exc:  # a concurrent send-back of the same referral won the race
        raise ValidationError({"status": _("This referral has already been sent back.")}) from exc
    SendBackEvent.objects.create(
        send_back=send_back, from_status="", to_status=send_back.status, by=by, comment=send_back.explanation
    )
    change_record(
        action="send_back_pending",
        obj=referral,
        by=by,
        participant=referral.participant,
        changes={"send_back": send_back.pk, "reason": reason},
    )
    return send_back


@transaction.atomic
def send_back_agree(*, send_back: SendBack, by, comment: str = "", version: int | None = None) -> SendBack:
    """The caseworker agrees to the send-back: the referral closes ("sent back by the Jobbtorg")."""
    if not perms.can_answer_send_back(by, send_back):
        raise PermissionDenied(_("Only a caseworker of the referring district can answer a send-back."))
    _send_back_step(
        send_back=send_back,
        to=SendBackStatus.AGREED,
        by=by,
        version=version,
        comment=comment,
        decided_at=timezone.now(),
    )
    _send_back_close_referral(send_back=send_back, by=by, comment=comment)
    return send_back


@transaction.atomic
def send_back_dispute(*, send_back: SendBack, by, comment: str, version: int | None = None) -> SendBack:
    """The caseworker disagrees: the send-back is escalated to the unit heads of both sides, who decide.
    The referral stays accepted meanwhile."""
    if not perms.can_answer_send_back(by, send_back):
        raise PermissionDenied(_("Only a caseworker of the referring district can answer a send-back."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Say why you disagree.")})
    _send_back_step(
        send_back=send_back,
        to=SendBackStatus.ESCALATED,
        by=by,
        version=version,
        comment=comment.strip(),
        escalated_at=timezone.now(),
    )
    return send_back


@transaction.atomic
def send_back_decide(
    *, send_back: SendBack, by, uphold: bool, comment: str, version: int | None = None
) -> SendBack:
    """The unit heads' decision on a disputed send-back, recorded by one of them: upheld (the referral
    closes) or overturned (the Jobbtorg keeps the person; the referral stays accepted)."""
    if not perms.can_decide_send_back(by, send_back):
        raise PermissionDenied(_("Only the unit heads of the Jobbtorg and the district decide a dispute."))
    if not (comment or "").strip():
        raise ValidationError({"comment": _("Give the grounds of the decision.")})
    _send_back_step(
        send_back=send_back,
        to=SendBackStatus.UPHELD if uphold else SendBackStatus.OVERTURNED,
        by=by,
        version=version,
        comment=comment.strip(),
        decided_at=timezone.now(),
    )
    if uphold:
        _send_back_close_referral(send_back=send_back, by=by, comment=comment.strip())
    return send_back


# --- the responsible coach and substitutes ------------------------------------------------------------------

REASSIGN_LIMIT = 200


def _coach_assign(*, referral: Referral, to_coach, by, kind: str, reason: str) -> CoachChange:
    """Make `to_coach` the referral's responsible coach and keep the step (the version is claimed by the
    caller). No row when nothing changes."""
    before = referral.coach
    referral.coach = to_coach
    referral.save(update_fields=["coach", "updated_at"])
    change = CoachChange.objects.create(
        referral=referral, kind=kind, from_coach=before, to_coach=to_coach, by=by, reason=reason
    )
    change_record(
        action="referral_coach_changed",
        obj=referral,
        by=by,
        participant=referral.participant,
        changes={
            "coach": {"from": before.pk if before else None, "to": to_coach.pk},
            "kind": kind,
            "reason": reason,
        },
    )
    return change


def _check_new_coach(*, referral: Referral, to_coach, reason: str) -> str:
    if to_coach is None or not perms.may_coach(to_coach, referral) or not to_coach.is_active:
        raise ValidationError({"coach": _("The coach must be an active job coach of the receiving unit.")})
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"coach": _("Only an accepted referral has a responsible coach.")})
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the responsible coach changes.")})
    return reason


@transaction.atomic
def referral_coach_change(
    *, referral: Referral, to_coach, by, reason: str, version: int | None = None
) -> CoachChange:
    """The unit head (or the responsible coach, handing over their own case) names another coach of the
    unit as responsible. Optimistic: a change based on an old version of the referral is a conflict."""
    if not perms.can_change_coach(by, referral):
        raise PermissionDenied(_("Only the unit head or the responsible coach can change the coach."))
    reason = _check_new_coach(referral=referral, to_coach=to_coach, reason=reason)
    if referral.coach_id == to_coach.pk:
        raise ValidationError({"coach": _("This coach is already responsible.")})
    version_claim(referral, version)
    return _coach_assign(
        referral=referral, to_coach=to_coach, by=by, kind=CoachChangeKind.CHANGED, reason=reason
    )


@transaction.atomic
def referrals_reassign(*, versions: dict, to_coach, by, reason: str) -> list[CoachChange]:
    """The unit head moves the selected people (`versions`: referral id → the lock version the head saw) to
    another coach of the unit, all or none: one transaction, and if any of them was changed meanwhile (its
    version moved) nothing is written (ConflictError). People already with that coach are left as they are.
    Returns the history rows written."""
    if not perms.can_reassign_cases(by):
        raise PermissionDenied(_("Only the unit head can reassign people."))
    if not versions:
        raise ValidationError({"referrals": _("Choose at least one person.")})
    versions = {str(pk): version for pk, version in versions.items()}
    if len(versions) > REASSIGN_LIMIT:
        raise ValidationError(
            {"referrals": _("Choose at most %(limit)s people at a time.") % {"limit": REASSIGN_LIMIT}}
        )
    referrals = list(
        Referral.objects.visible_to(by)
        .select_for_update(of=("self",))
        .filter(pk__in=list(versions))
        .select_related("participant", "coach")
        .order_by("pk")
    )
    if len(referrals) != len(versions):
        raise ValidationError({"referrals": _("Some of the chosen people are not cases of your unit.")})
    changes = []
    for referral in referrals:
        reason = _check_new_coach(referral=referral, to_coach=to_coach, reason=reason)
        version_claim(referral, versions[str(referral.pk)])
        if referral.coach_id == to_coach.pk:
            continue
        changes.append(
            _coach_assign(
                referral=referral, to_coach=to_coach, by=by, kind=CoachChangeKind.REASSIGNED, reason=reason
            )
        )
    return changes


@transaction.atomic
def substitution_create(
    *, coach, substitute, starts_on: datetime.date, ends_on: datetime.date, by, reason: str = ""
) -> Substitution:
    """A substitute stands in for a coach who is away, from `starts_on` to `ends_on`: meanwhile the
    substitute's "my cases" includes the coach's people. It ends by itself. One substitute at a time per
    coach: periods of the same coach may not overlap."""
    if not perms.can_arrange_substitution(by, coach):
        raise PermissionDenied(_("Only the unit head or the coach who is away can arrange a substitute."))
    errors = {}
    if substitute is None or not substitute.is_job_coach or substitute.unit_id != coach.unit_id:
        errors["substitute"] = _("The substitute must be a job coach of the same unit.")
    elif substitute.pk == coach.pk:
        errors["substitute"] = _("A coach cannot stand in for themselves.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("The end must not be before the start.")
    if errors:
        raise ValidationError(errors)
    overlapping = Substitution.objects.select_for_update().filter(
        coach=coach, starts_on__lte=ends_on, ends_on__gte=starts_on
    )
    if overlapping.exists():
        raise ValidationError({"starts_on": _("The coach already has a substitute during this period.")})
    substitution = Substitution.objects.create(
        coach=coach,
        substitute=substitute,
        unit_id=coach.unit_id,
        starts_on=starts_on,
        ends_on=ends_on,
        reason=(reason or "").strip(),
        created_by=by,
    )
    change_record(
        action="substitution_created",
        obj=substitution,
        by=by,
        changes={
            "coach": coach.pk,
            "substitute": substitute.pk,
            "starts_on": starts_on.isoformat(),
            "ends_on": ends_on.isoformat(),
        },
    )
    return substitution
