"""The action plan (handlingsplan): the coach's draft editor, the proposal, the caseworker's decision and the
frozen versions. Every write goes through plans.services; a stale lock version gives a clear message and
keeps the user's input."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jobbtorg.audit.services import read_record
from jobbtorg.interventions.selectors import bookings_of_referral
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.deadline import deadline_state
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.views import deny_unless

from .. import perms, services
from ..constants import PlanStatus, VersionStatus
from ..forms import ACTIVITY, DecisionForm, PlanEditor, form_error_summary, make_row, new_row_key
from ..models import ActionPlan, Mapping
from ..pdf import plan_pdf, week_text
from ..selectors import (
    agreement_lines,
    content_for_display,
    content_week_load,
    plan_agreement_state,
    plan_comments,
    plan_document,
    plan_week_load,
    week_load,
)
from .common import referral_in_scope


def _can_edit(user, referral) -> bool:
    """The plan's editor is shown to those who may edit the plan, once the referral is accepted."""
    return perms.can_edit_plan(user, referral) and referral.status == ReferralStatus.ACCEPTED


def _plan_of(referral) -> ActionPlan | None:
    return ActionPlan.objects.filter(referral=referral).select_related("current_version", "referral").first()


def _work_capacity(referral) -> int:
    mapping = Mapping.objects.filter(referral=referral).only("work_capacity").first()
    if mapping is not None:
        return mapping.work_capacity
    return referral.participant.work_capacity or 100


def _editor_week(editor: PlanEditor, referral):
    """The load of the first planned week of the rows in the form (not saved)."""
    activities = editor.week_activities()
    first = min((a["start_date"] for a in activities), default=timezone.localdate())
    week_start = first - datetime.timedelta(days=first.weekday())
    return week_load(activities=activities, work_capacity=_work_capacity(referral), week_start=week_start)


def _render_plan(
    request, referral, plan, *, editor=None, decide_form=None, conflict=None, errors=(), status=200
):
    user = request.user
    editable = _can_edit(user, referral) and plan is not None and plan.status != PlanStatus.PROPOSED
    if editable and editor is None:
        editor = PlanEditor(plan=plan)
    can_decide = plan is not None and perms.can_approve_plan(user, plan)
    versions = list(plan.versions.select_related("proposed_by", "decided_by")) if plan else []
    proposed = next((v for v in versions if v.status == VersionStatus.PROPOSED), None)
    latest = versions[0] if versions else None
    if editor is not None and editor.form.is_bound:
        week = _editor_week(editor, referral)
    elif plan is not None:
        week = plan_week_load(plan)
    else:
        week = None
    proposed_content = content_for_display(proposed.content) if proposed else None
    over = bool(proposed_content and proposed_content["week_load"] and proposed_content["week_load"].is_over)
    if can_decide and proposed is not None and decide_form is None:
        decide_form = DecisionForm(initial={"version": plan.lock_version}, over_capacity=over)
    summary = [("main", message) for message in errors]
    if editor is not None and editor.form.is_bound:
        summary += editor.error_summary()
    if can_decide and decide_form is not None:
        summary += form_error_summary(decide_form)
    read_record(user=user, participant=referral.participant, view="plan")
    return render(
        request,
        "plans/plan.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "plan": plan,
            "deadline": deadline_state(
                due=referral.plan_due_date, approved_at=getattr(plan, "first_approved_at", None)
            ),
            "versions": versions,
            "proposed": proposed,
            "proposed_content": proposed_content,
            "over_capacity": over,
            "agreement": plan_agreement_state(plan),
            "comments": plan_comments(plan),
            "in_force_content": content_for_display(plan.current_version.content)
            if plan is not None and plan.current_version_id
            else None,
            "returned": latest if latest and latest.status == VersionStatus.RETURNED else None,
            "editable": editable,
            "editor": editor,
            "can_propose": editable and plan.status in (PlanStatus.DRAFT, PlanStatus.RETURNED),
            "show_draft": user.is_unit_staff and plan is not None and not editable,
            "activities": list(plan.activities.select_related("intervention_type")) if plan else [],
            "other_plans": list(plan.other_plans.all()) if plan else [],
            "plan_bookings": bookings_of_referral(referral),
            "decide_form": decide_form if can_decide else None,
            "week": week,
            "conflict": conflict,
            "summary": summary,
            "accepted": referral.status == ReferralStatus.ACCEPTED,
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@login_required
def plan(request, referral_pk):
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_plan(request.user))
    current = _plan_of(referral)
    if request.method == "GET":
        if current is None and _can_edit(request.user, referral):
            current = services.plan_for_referral(referral=referral, by=request.user)
        return _render_plan(request, referral, current)

    deny_unless(perms.can_edit_plan(request.user, referral))
    try:
        current = current or services.plan_for_referral(referral=referral, by=request.user)
    except ValidationError as exc:
        return _render_plan(request, referral, None, errors=exc.messages, status=400)
    editor = PlanEditor(data=request.POST)
    if "add_row" in request.POST or "remove_row" in request.POST:
        return _render_plan(request, referral, current, editor=editor)
    conflict, status = None, 200
    if editor.is_valid():
        try:
            services.plan_save_draft(plan=current, by=request.user, **editor.service_values())
        except ConflictError as exc:
            conflict, status = exc.message, 409
        except ValidationError as exc:
            add_service_errors(editor.form, exc, rows=editor.service_rows(), unplaced=editor.errors)
        else:
            messages.success(request, _("The draft is saved."))
            return redirect("plans:plan", referral_pk=referral.pk)
    return _render_plan(request, referral, current, editor=editor, conflict=conflict, status=status)


def _posted_version(request) -> int | None:
    try:
        return int(request.POST["version"])
    except (KeyError, ValueError):
        return None


@require_POST
@login_required
def plan_propose(request, referral_pk):
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_edit_plan(request.user, referral))
    current = get_object_or_404(ActionPlan, referral=referral)
    version = _posted_version(request)
    if version is None:
        return HttpResponseBadRequest()
    try:
        services.plan_propose(plan=current, by=request.user, version=version)
    except ConflictError as exc:
        return _render_plan(request, referral, _plan_of(referral), conflict=exc.message, status=409)
    except ValidationError as exc:
        return _render_plan(request, referral, _plan_of(referral), errors=exc.messages, status=400)
    messages.success(request, _("The plan is proposed to the caseworker."))
    return redirect("plans:plan", referral_pk=referral.pk)


@require_POST
@login_required
def plan_decide(request, referral_pk):
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_decide_plans(request.user))
    current = get_object_or_404(ActionPlan, referral=referral)
    proposed = current.versions.filter(status=VersionStatus.PROPOSED).order_by("-number").first()
    load = content_week_load(proposed.content) if proposed else None
    form = DecisionForm(request.POST, over_capacity=bool(load and load.is_over))
    conflict, status = None, 400
    if form.is_valid():
        approve = form.cleaned_data["action"] == "approve"
        decide = services.plan_approve if approve else services.plan_return
        try:
            decide(
                plan=current,
                version=form.cleaned_data["version"],
                by=request.user,
                comment=form.cleaned_data["comment"],
            )
        except ConflictError as exc:
            conflict, status = exc.message, 409
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The plan is approved.") if approve else _("The plan is returned to the coach.")
            )
            return redirect("plans:plan", referral_pk=referral.pk)
    return _render_plan(
        request, referral, _plan_of(referral), decide_form=form, conflict=conflict, status=status
    )


@require_GET
@login_required
def plan_version(request, referral_pk, number):
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_plan(request.user))
    current = get_object_or_404(ActionPlan, referral=referral)
    version = get_object_or_404(current.versions.select_related("proposed_by", "decided_by"), number=number)
    read_record(user=request.user, participant=referral.participant, view="plan_version")
    return render(
        request,
        "plans/version.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "plan": current,
            "version": version,
            "content": content_for_display(version.content),
            "in_force": current.current_version_id == version.pk,
        },
    )


@require_GET
@login_required
def new_row(request, referral_pk, kind):
    """An empty activity or other-plan row for the editor (HTMX "Add")."""
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_edit_plan(request.user, referral))
    try:
        number = max(int(request.GET.get("number", "1")), 1)
    except ValueError:
        number = 1
    row = make_row(kind, new_row_key())
    next(iter(row.fields.values())).widget.attrs["autofocus"] = True
    template = "plans/_activity_row.html" if kind == ACTIVITY else "plans/_other_plan_row.html"
    return render(request, template, {"row": row, "number": number, "referral": referral})


@require_POST
@login_required
def plan_week_load_preview(request, referral_pk):
    """The week load of the rows in the editor, without saving (HTMX fragment)."""
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_plan(request.user))
    editor = PlanEditor(data=request.POST)
    return render(request, "plans/_week_load.html", {"week": _editor_week(editor, referral)})


def _document_or_404(request, referral):
    current = get_object_or_404(
        ActionPlan.objects.select_related("participant", "referral__unit"), referral=referral
    )
    number = request.GET.get("version")
    try:
        document = plan_document(current, int(number) if number else None)
    except ValueError:
        document = None
    if document is None:
        raise Http404
    return document


@require_GET
@login_required
def plan_print(request, referral_pk):
    """The plan to print (print CSS): the version in force, else the proposed one, with who agreed when."""
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_plan(request.user))
    document = _document_or_404(request, referral)
    read_record(user=request.user, participant=referral.participant, view="plan_print")
    return render(
        request,
        "plans/plan_print.html",
        {
            "referral": referral,
            "participant": referral.participant,
            "document": document,
            "week_text": week_text(document.week) if document.week else "",
            "lines": agreement_lines(document),
        },
    )


def pdf_language(request, default: str | None = None) -> str | None:
    """The language `?lang=` asks for (else `default`, else Swedish); None when it is not one of ours."""
    language = request.GET.get("lang") or default or "sv"
    return language if language in dict(settings.LANGUAGES) else None


def plan_pdf_response(document, language: str) -> HttpResponse:
    response = HttpResponse(plan_pdf(document, language=language), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="handlingsplan-version-{document.version.number}-{language}.pdf"'
    )
    return response


@require_GET
@login_required
def plan_pdf_download(request, referral_pk):
    """The plan as a PDF, in Swedish unless `?lang=` names another language of the product."""
    referral = referral_in_scope(request.user, referral_pk)
    deny_unless(perms.can_view_plan(request.user))
    language = pdf_language(request)
    if language is None:
        return HttpResponseBadRequest(_("Unknown language."))
    document = _document_or_404(request, referral)
    read_record(user=request.user, participant=referral.participant, view="plan_pdf")
    return plan_pdf_response(document, language)
