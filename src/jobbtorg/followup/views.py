"""Follow-up pages: record an exit on a referral (and add late evidence), and upload a month's assistance
file with a per-line report (all or nothing)."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import read_record
from jobbtorg.background.constants import JobKind
from jobbtorg.background.jobs import job_start
from jobbtorg.documents.models import Document
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless, rule_required

from . import perms, selectors, services
from .constants import ExitReason
from .forms import AssistanceUploadForm, EvidenceForm, ExitForm, JobSupportForm, WorkFollowupForm
from .models import AssistanceImport, Exit

MAX_FILE_BYTES = 20 * 1024 * 1024


@rule_required(perms.can_record_exits)
def exit_page(request, referral_id):
    referral = get_object_or_404(
        Referral.objects.visible_to(request.user).select_related("participant", "unit"), pk=referral_id
    )
    deny_unless(perms.can_record_exit(request.user, referral))
    exit = Exit.objects.filter(referral=referral).select_related("provider", "recorded_by").first()
    form = evidence_form = followup_form = None
    documents = Document.objects.visible_to(request.user).filter(participant_id=referral.participant_id)
    if exit is None:
        if referral.status != ReferralStatus.ACCEPTED:
            messages.error(request, _("Only an accepted referral can be exited."))
            return redirect("referrals:detail", pk=referral.pk)
        form = ExitForm(
            request.POST or None,
            documents=documents,
            initial={"exit_date": timezone.localdate(), "version": referral.lock_version},
        )
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            try:
                services.exit_record(referral=referral, by=request.user, **data)
            except ConflictError as error:
                messages.error(request, error.message)
                return redirect("followup:exit", referral_id=referral.pk)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The exit was recorded and the referral closed."))
                return redirect("referrals:detail", pk=referral.pk)
    followup_post = request.method == "POST" and request.POST.get("form") == "followup"
    due = exit.one_month_due() if exit is not None else None
    if due is not None and due <= timezone.localdate():
        followup_form = WorkFollowupForm(
            request.POST if followup_post else None,
            initial={"lasted": {True: "yes", False: "no"}.get(exit.work_lasted_one_month)},
        )
        if followup_post and followup_form.is_valid():
            try:
                services.exit_work_followup(exit=exit, by=request.user, **followup_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(followup_form, error)
            else:
                messages.success(request, _("The one-month follow-up was recorded."))
                return redirect("followup:exit", referral_id=referral.pk)
    job_support = selectors.job_support_of(exit) if exit is not None else None
    support_form = None
    support_post = request.method == "POST" and request.POST.get("form") == "job_support"
    if exit is not None and exit.reason == ExitReason.WORK and job_support is None:
        support_form = JobSupportForm(
            request.POST if support_post else None, initial={"months": settings.JOBBTORG_JOB_SUPPORT_MONTHS}
        )
        if support_post and support_form.is_valid():
            try:
                services.job_support_start(exit=exit, by=request.user, **support_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(support_form, error)
            else:
                messages.success(request, _("Support in the first job was started."))
                return redirect("followup:exit", referral_id=referral.pk)
    if exit is not None and not exit.evidence.strip():
        evidence_post = request.method == "POST" and not followup_post and not support_post
        evidence_form = EvidenceForm(request.POST if evidence_post else None, documents=documents)
        if evidence_post and evidence_form.is_valid():
            try:
                services.exit_add_evidence(exit=exit, by=request.user, **evidence_form.cleaned_data)
            except ValidationError as error:
                add_service_errors(evidence_form, error)
            else:
                messages.success(request, _("The evidence was added."))
                return redirect("followup:exit", referral_id=referral.pk)
    read_record(user=request.user, participant=referral.participant, view="exit")
    return render(
        request,
        "followup/exit.html",
        {
            "referral": referral,
            "exit": exit,
            "form": form,
            "evidence_form": evidence_form,
            "followup_form": followup_form,
            "job_support": job_support,
            "support_form": support_form,
            "months_after": selectors.months_after(exit=exit) if exit is not None else [],
        },
    )


@rule_required(perms.can_import_assistance)
def assistance_upload(request):
    """The upload starts a background job (a large file takes a while) and the page follows it: queued,
    running, done with the counts, or failed with the errors per line (nothing imported)."""
    form = AssistanceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            form.add_error("file", _("The file is too large (at most 20 MB)."))
        else:
            job = job_start(
                kind=JobKind.ASSISTANCE_IMPORT,
                by=request.user,
                params={"file_name": upload.name or ""},
                input_content=upload.read(),
                input_name=upload.name or "upload",
                idempotency_key=request.POST.get("submission") or None,
            )
            return redirect("background:job", pk=job.pk)
    imports = AssistanceImport.objects.visible_to(request.user).select_related("imported_by")[:24]
    return render(
        request,
        "followup/assistance.html",
        {"form": form, "imports": imports, "submission": uuid.uuid4().hex},
    )
