"""Follow-up writes: recording an exit (closes the referral in the same transaction) and importing the
monthly assistance status per person."""

import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record
from jobbtorg.documents.models import Document
from jobbtorg.providers.models import Assignment
from jobbtorg.referrals.constants import CloseReason, ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.referrals.services import referral_close

from . import perms
from .constants import EVIDENCE_REQUIRED, EmploymentForm, ExitReason
from .models import Exit, JobSupport

# How an exit reason closes the referral. The referral's close reasons have no "completed"; a person who
# completed the service without work or studies goes back to the caseworker ("referred elsewhere").
CLOSE_REASON_FOR_EXIT = {
    ExitReason.WORK: CloseReason.WORK,
    ExitReason.STUDIES: CloseReason.STUDIES,
    ExitReason.OTHER_SUPPORT: CloseReason.OTHER_SUPPORT,
    ExitReason.MOVED: CloseReason.MOVED,
    ExitReason.INTERRUPTED: CloseReason.INTERRUPTED,
    ExitReason.COMPLETED: CloseReason.REFERRED_ELSEWHERE,
    ExitReason.OTHER: CloseReason.NO_LONGER_ON_ASSISTANCE,
}
EXIT_REASON_FOR_CLOSE = {
    CloseReason.WORK: ExitReason.WORK,
    CloseReason.STUDIES: ExitReason.STUDIES,
    CloseReason.OTHER_SUPPORT: ExitReason.OTHER_SUPPORT,
    CloseReason.MOVED: ExitReason.MOVED,
    CloseReason.INTERRUPTED: ExitReason.INTERRUPTED,
    CloseReason.NO_LONGER_ON_ASSISTANCE: ExitReason.OTHER,
    # Referred elsewhere: handed over to another authority or actor — Kolada's C, not D (completed).
    CloseReason.REFERRED_ELSEWHERE: ExitReason.OTHER_SUPPORT,
    CloseReason.CONSENT_WITHDRAWN: ExitReason.OTHER,  # the person left the Jobbtorg: not work or studies
}


def provider_at(*, referral: Referral, on: datetime.date):
    """The provider the person was assigned to (for this referral) on a day, or the latest one before."""
    assignment = (
        Assignment.objects.filter(referral=referral, start_date__lte=on)
        .order_by("-start_date", "-created_at")
        .select_related("provider")
        .first()
    )
    return assignment.provider if assignment else None


def _evidence_document(*, by, referral: Referral, document: Document | None) -> Document | None:
    """A document given as evidence must be on the person's case and seen by the one who records."""
    if document is None:
        return None
    seen = Document.objects.visible_to(by).filter(pk=document.pk, participant_id=referral.participant_id)
    if not seen.exists():
        raise ValidationError({"evidence_document": _("Choose a document on this person's case.")})
    return document


def _evidence_text(evidence: str, document: Document | None) -> str:
    """The evidence reference the payment rules read: what was written, else the document's type and date."""
    evidence = (evidence or "").strip()
    if evidence or document is None:
        return evidence
    return _("Document: %(kind)s, %(date)s") % {
        "kind": document.get_kind_display(),
        "date": document.document_date.isoformat(),
    }


def _validate_exit(exit: Exit, *, require_evidence: bool = True) -> None:
    errors = {}
    if exit.exit_date > timezone.localdate():
        errors["exit_date"] = _("The exit date cannot lie in the future.")
    if require_evidence and exit.reason in EVIDENCE_REQUIRED and not exit.evidence.strip():
        errors["evidence"] = _(
            "Work and studies need evidence: a reference to a document or an employer's confirmation."
        )
    if exit.reason == ExitReason.WORK:
        if require_evidence and exit.municipal_labour_market_job is None:
            errors["municipal_labour_market_job"] = _(
                "Say whether the job is a municipal labour-market job (it does not count as work in Kolada)."
            )
        if exit.work_hours_per_week is None:
            errors["work_hours_per_week"] = _("Give the hours of work per week.")
        elif not 1 <= exit.work_hours_per_week <= 80:
            errors["work_hours_per_week"] = _("Hours per week must be between 1 and 80.")
        if not exit.employment_form:
            errors["employment_form"] = _("Choose the form of employment.")
        if exit.work_start_date is None:
            errors["work_start_date"] = _("Give the date the work starts.")
    else:
        exit.work_hours_per_week = None
        exit.employment_form = ""
        exit.subsidised = False
        exit.municipal_labour_market_job = None
        exit.work_start_date = None
        exit.work_lasted_one_month = None
    if exit.reason == ExitReason.STUDIES:
        if require_evidence and exit.studies_eligible_for_student_finance is None:
            errors["studies_eligible_for_student_finance"] = _(
                "Say whether the studies are eligible for student finance (Komvux, folkhögskola, university "
                "or other education with the right to CSN)."
            )
    else:
        exit.studies_with_student_finance = False
        exit.studies_eligible_for_student_finance = None
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def exit_record(
    *,
    referral: Referral,
    by,
    reason: str,
    exit_date: datetime.date | None = None,
    evidence: str = "",
    work_hours_per_week: int | None = None,
    employment_form: str = "",
    subsidised: bool = False,
    municipal_labour_market_job: bool | None = None,
    work_start_date: datetime.date | None = None,
    studies_with_student_finance: bool = False,
    studies_eligible_for_student_finance: bool | None = None,
    comment: str = "",
    version: int | None = None,
    evidence_document: Document | None = None,
    job_support_months: int | None = None,
) -> Exit:
    """Record why and when a person leaves, and close the referral (same transaction). Only staff of the
    receiving unit (with `followup.record_exit`) may do it. Work must say whether it is a municipal
    labour-market job and studies whether they are eligible for student finance (Kolada asks both); whether
    the work lasted a month is asked a month after it starts (`exit_work_followup`)."""
    if not perms.can_record_exit(by, referral):
        raise PermissionDenied(_("Only staff of the receiving unit can record an exit."))
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose a reason for the exit.")})
    if employment_form and employment_form not in EmploymentForm.values:
        raise ValidationError({"employment_form": _("Unknown form of employment.")})
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != ReferralStatus.ACCEPTED:
        raise ValidationError({"reason": _("Only an accepted referral can be exited.")})
    if Exit.objects.filter(referral=referral).exists():
        raise ValidationError({"reason": _("An exit is already recorded for this referral.")})
    exit_date = exit_date or timezone.localdate()
    evidence_document = _evidence_document(by=by, referral=referral, document=evidence_document)
    exit = Exit(
        referral=referral,
        participant_id=referral.participant_id,
        exit_date=exit_date,
        reason=reason,
        evidence=_evidence_text(evidence, evidence_document),
        evidence_document=evidence_document,
        work_hours_per_week=work_hours_per_week,
        employment_form=employment_form or "",
        subsidised=subsidised,
        municipal_labour_market_job=municipal_labour_market_job,
        work_start_date=work_start_date,
        studies_with_student_finance=studies_with_student_finance,
        studies_eligible_for_student_finance=(
            True if studies_with_student_finance else studies_eligible_for_student_finance
        ),
        comment=comment,
        recorded_by=by,
        provider=provider_at(referral=referral, on=exit_date),
    )
    if exit_date < referral.referral_date:
        raise ValidationError({"exit_date": _("The exit date cannot be before the referral date.")})
    _validate_exit(exit)
    exit.save()
    change_record(
        action="exit_recorded",
        obj=exit,
        by=by,
        participant=referral.participant,
        changes={"reason": reason, "exit_date": exit_date.isoformat()},
    )
    referral_close(
        referral=referral,
        by=by,
        reason=CLOSE_REASON_FOR_EXIT[reason],
        comment=comment,
        version=version,
        ended_on=exit_date,
    )
    if job_support_months:
        job_support_start(exit=exit, by=by, months=job_support_months)
    return exit


@transaction.atomic
def job_support_start(*, exit: Exit, by, months: int | None = None, coach=None) -> JobSupport:
    """Support in the first time in a job after an exit to work: for `months` (default
    `JOBBTORG_JOB_SUPPORT_MONTHS`, 6) from the day the work starts, the coach (the referral's responsible
    coach, else the one who starts it) keeps contact — meetings and journal on the closed case — without the
    referral being reopened. Chosen at the exit or afterwards, once; it ends by itself (its state is derived
    from the dates)."""
    if not perms.can_record_exit(by, exit.referral):
        raise PermissionDenied(_("Only staff of the receiving unit can start support in the first job."))
    exit = Exit.objects.select_for_update().select_related("referral").get(pk=exit.pk)
    months = settings.JOBBTORG_JOB_SUPPORT_MONTHS if months is None else months
    errors = {}
    if exit.reason != ExitReason.WORK:
        errors["months"] = _("Support in the first job follows an exit to work.")
    elif JobSupport.objects.filter(exit=exit).exists():
        errors["months"] = _("Support in the first job is already chosen for this exit.")
    if not isinstance(months, int) or not 1 <= months <= 12:
        errors["months"] = _("Choose between 1 and 12 months.")
    if errors:
        raise ValidationError(errors)
    coach = coach or exit.referral.coach or by
    starts_on = exit.work_start_date or exit.exit_date
    support = JobSupport.objects.create(
        exit=exit,
        participant_id=exit.participant_id,
        coach=coach,
        months=months,
        starts_on=starts_on,
        ends_on=JobSupport.period(starts_on=starts_on, months=months),
        created_by=by,
    )
    change_record(
        action="job_support_started",
        obj=support,
        by=by,
        participant=exit.participant,
        changes={"months": months, "starts_on": starts_on.isoformat(), "coach": coach.pk},
    )
    return support


@transaction.atomic
def exit_add_evidence(
    *,
    exit: Exit,
    by,
    evidence: str,
    work_hours_per_week: int | None = None,
    employment_form: str = "",
    subsidised: bool | None = None,
    work_start_date: datetime.date | None = None,
    studies_with_student_finance: bool | None = None,
    municipal_labour_market_job: bool | None = None,
    studies_eligible_for_student_finance: bool | None = None,
    evidence_document: Document | None = None,
) -> Exit:
    """Complete an exit that was recorded without evidence (e.g. the referral was closed directly). Late
    evidence is picked up by the next payment run as an adjustment."""
    referral = exit.referral
    if not perms.can_record_exit(by, referral):
        raise PermissionDenied(_("Only staff of the receiving unit can change an exit."))
    exit = Exit.objects.select_for_update().get(pk=exit.pk)
    evidence_document = _evidence_document(by=by, referral=referral, document=evidence_document)
    exit.evidence = _evidence_text(evidence, evidence_document)
    if evidence_document is not None:
        exit.evidence_document = evidence_document
    if work_hours_per_week is not None:
        exit.work_hours_per_week = work_hours_per_week
    if employment_form:
        exit.employment_form = employment_form
    if subsidised is not None:
        exit.subsidised = subsidised
    if work_start_date is not None:
        exit.work_start_date = work_start_date
    if studies_with_student_finance is not None:
        exit.studies_with_student_finance = studies_with_student_finance
        if studies_with_student_finance:
            exit.studies_eligible_for_student_finance = True
    if municipal_labour_market_job is not None:
        exit.municipal_labour_market_job = municipal_labour_market_job
    if studies_eligible_for_student_finance is not None:
        exit.studies_eligible_for_student_finance = studies_eligible_for_student_finance
    _validate_exit(exit)
    exit.save()
    change_record(action="exit_evidence_added", obj=exit, by=by, participant=referral.participant, changes={})
    return exit


@transaction.atomic
def exit_work_followup(*, exit: Exit, by, lasted: bool, on: datetime.date | None = None) -> Exit:
    """The one-month follow-up of an exit to work: has the work lasted at least one continuous month (Kolada's
    condition for "started work")? Asked of the coach once a month has passed since the work started
    (`Exit.one_month_due`); until it is answered the Kolada result figures are preliminary. Staff of the
    receiving unit answer it; an answer can be corrected (audited)."""
    if not perms.can_record_exit(by, exit.referral):
        raise PermissionDenied(_("Only staff of the receiving unit can follow up an exit."))
    exit = Exit.objects.select_for_update().get(pk=exit.pk)
    due = exit.one_month_due()
    if due is None:
        raise ValidationError({"lasted": _("Only an exit to work with a start date is followed up.")})
    if (on or timezone.localdate()) < due:
        raise ValidationError(
            {
                "lasted": _("The follow-up can be answered from %(date)s, a month after the work started.")
                % {"date": due.isoformat()}
            }
        )
    before = exit.work_lasted_one_month
    exit.work_lasted_one_month = bool(lasted)
    exit.work_followed_up_at = timezone.now()
    exit.save(update_fields=["work_lasted_one_month", "work_followed_up_at"])
    change_record(
        action="exit_work_followed_up",
        obj=exit,
        by=by,
        participant=exit.referral.participant,
        changes={"work_lasted_one_month": {"from": before, "to": exit.work_lasted_one_month}},
    )
    return exit


def exit_from_closed_referral(*, referral: Referral, by, on: datetime.date) -> Exit | None:
    """Called when a referral is closed without `exit_record` (e.g. from the referral page): every closed
    referral that was accepted gets an exit row, so follow-up and payments see it. Work and studies closed
    this way have no evidence yet; they pay nothing until `exit_add_evidence`."""
    reason = EXIT_REASON_FOR_CLOSE.get(referral.close_reason, ExitReason.OTHER)
    if Exit.objects.filter(referral_id=referral.pk).exists():
        return None
    if referral.accepted_at is None and reason not in EVIDENCE_REQUIRED:
        return None  # never started: nothing to follow up
    return Exit.objects.create(
        referral=referral,
        participant_id=referral.participant_id,
        exit_date=on,
        reason=reason,
        work_start_date=on if reason == ExitReason.WORK else None,
        recorded_by=by,
        provider=provider_at(referral=referral, on=on),
    )
