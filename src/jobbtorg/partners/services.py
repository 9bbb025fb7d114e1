"""Writes for four-party meetings and requests to partners (ADR 19). Every write is one transaction, checks
the rule (`perms`), the workflow and the optimistic lock, and leaves an audit trail. The follow-up actions
of a meeting land in the action plan through the plan's own service (`plans.services.plan_activity_add`)."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.participants.models import Participant
from jobbtorg.plans.services import plan_activity_add
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.locking import version_claim

from . import perms
from .constants import MeetingStatus, RequestStatus
from .models import PartnerMeeting, PartnerOrganisation, PartnerRequest
from .workflow import check_meeting_transition, check_request_transition


def _check_partner(*, referral: Referral, organisation: PartnerOrganisation) -> None:
    """The partner is an active organisation of the person's municipality, the referral is open, and the
    person's consent for the partner's kind is in force (without it the partner could not see the case)."""
    if organisation.municipality_id != referral.participant.municipality_id or not organisation.active:
        raise ValidationError({"organisation": _("Choose an active partner of the municipality.")})
    if referral.status == ReferralStatus.CLOSED:
        raise ValidationError({"referral": _("The referral is closed.")})
    consenting = Participant.objects.filter(pk=referral.participant_id).with_consent(
        organisation.consent_scope
    )
    if not consenting.exists():
        raise ValidationError(
            {
                "organisation": _(
                    "The person has not consented to sharing information with this partner: record the "
                    "consent first."
                )
            }
        )


@transaction.atomic
def partner_meeting_book(
    *,
    referral: Referral,
    by,
    organisation: PartnerOrganisation,
    kind: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    place: str,
    agenda: str = "",
) -> PartnerMeeting:
    """Book a four-party meeting (the person, the coach, the caseworker of the referral and the partner):
    the partner's staff see the invitation at once."""
    if not perms.can_book_partner_meeting(by, referral):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can do this."))
    _check_partner(referral=referral, organisation=organisation)
    meeting = PartnerMeeting(
        referral=referral,
        participant_id=referral.participant_id,
        organisation=organisation,
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=place,
        agenda=agenda,
        organiser=by,
        caseworker=referral.caseworker,
    )
    meeting.full_clean()
    meeting.save()
    change_record(
        action="partner_meeting_booked",
        obj=meeting,
        by=by,
        participant=referral.participant,
        changes={"organisation": organisation.name, "kind": kind, "starts_at": starts_at.isoformat()},
    )
    return meeting


@transaction.atomic
def partner_meeting_outcome(
    *,
    meeting: PartnerMeeting,
    by,
    version: int | None,
    status: str,
    outcome: str,
    follow_ups: list[dict] | None = None,
) -> PartnerMeeting:
    """Record what came of the meeting (held or cancelled) and its follow-up actions; each action becomes an
    activity of the action plan (`plan_activity_add`: an approved plan becomes a revision draft). All or
    nothing: a plan waiting for the caseworker's decision takes no activity, and then nothing is saved."""
    if not perms.can_record_meeting_outcome(by, meeting):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can do this."))
    check_meeting_transition(meeting.status, status)
    if status == MeetingStatus.HELD and not outcome.strip():
        raise ValidationError({"outcome": _("Write what the meeting came to.")})
    follow_ups = follow_ups or []
    if follow_ups and status != MeetingStatus.HELD:
        raise ValidationError({"follow_ups": _("Only a meeting that was held has follow-up actions.")})
    version_claim(meeting, version)
    meeting.status = status
    meeting.outcome = outcome
    meeting.outcome_recorded_by = by
    meeting.outcome_recorded_at = timezone.now()
    meeting.full_clean()
    meeting.save(update_fields=["status", "outcome", "outcome_recorded_by", "outcome_recorded_at"])
    for index, action in enumerate(follow_ups):
        try:
            activity = plan_activity_add(
                referral=meeting.referral,
                by=by,
                intervention_code=action.get("intervention_code") or "",
                description=action.get("description") or "",
                start_date=action.get("start_date"),
                end_date=action.get("end_date"),
                hours_per_week=action.get("hours_per_week"),
            )
        except ValidationError as exc:
            raise ValidationError(
                {f"follow_ups[{index}].{field}": messages for field, messages in exc.message_dict.items()}
            ) from exc
        if activity is None:
            raise ValidationError(
                {
                    "follow_ups": _(
                        "The action plan waits for the caseworker's decision: record the follow-up actions "
                        "after it."
                    )
                }
            )
    change_record(
        action="partner_meeting_outcome",
        obj=meeting,
        by=by,
        participant=meeting.participant,
        changes={"status": status, "follow_ups": len(follow_ups)},
    )
    return meeting


@transaction.atomic
def partner_request_send(
    *, referral: Referral, by, organisation: PartnerOrganisation, kind: str, question: str
) -> PartnerRequest:
    """Send a request to a partner (e.g. a rehabilitation assessment to Försäkringskassan, an SFI test
    booking to adult education)."""
    if not perms.can_send_partner_request(by, referral):
        raise PermissionDenied(_("Only staff of the unit the person is referred to can do this."))
    _check_partner(referral=referral, organisation=organisation)
    request = PartnerRequest(
        referral=referral,
        participant_id=referral.participant_id,
        organisation=organisation,
        kind=kind,
        question=question,
        sent_by=by,
    )
    request.full_clean()
    request.save()
    change_record(
        action="partner_request_sent",
        obj=request,
        by=by,
        participant=referral.participant,
        changes={"organisation": organisation.name, "kind": kind},
    )
    return request


@transaction.atomic
def partner_request_handle(
    *, request: PartnerRequest, by, version: int | None, status: str, answer: str = ""
) -> PartnerRequest:
    """The partner accepts the request, answers it or declines it (an answer or a reason is required for
    the last two); the coach sees the status and the answer."""
    if not perms.can_answer_partner_request(by, request):
        raise PermissionDenied(_("Only the partner the request was sent to can answer it."))
    check_request_transition(request.status, status)
    if status in (RequestStatus.ANSWERED, RequestStatus.DECLINED) and not answer.strip():
        raise ValidationError({"answer": _("Write the answer or the reason.")})
    version_claim(request, version)
    request.status = status
    if answer.strip():
        request.answer = answer
    request.handled_by = by
    request.handled_at = timezone.now()
    request.full_clean()
    request.save(update_fields=["status", "answer", "handled_by", "handled_at"])
    change_record(
        action="partner_request_handled",
        obj=request,
        by=by,
        participant=request.participant,
        changes={"status": status},
    )
    return request
