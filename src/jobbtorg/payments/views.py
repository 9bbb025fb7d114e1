"""Payment pages: the finance overview per month, one provider's payment basis (CSV and PDF too), the
provider's own view with disputes, and approval."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.audit.services import read_records
from jobbtorg.background.constants import JobKind
from jobbtorg.background.jobs import job_start
from jobbtorg.followup.assistance_import import parse_month
from jobbtorg.providers.models import Provider
from jobbtorg.utils.errors import ConflictError
from jobbtorg.utils.views import deny_unless

from . import services
from .constants import TIERS, ReviewDecision
from .creaming import FLAG_LABELS, default_period, report_as_dict
from .creaming import creaming_check as run_creaming_check
from .creaming import trend as creaming_trend
from .exports import write_payment_basis_csv
from .forms import CreamingPeriodForm
from .models import CreamingReview, Dispute, PaymentLine, PaymentRun
from .pdf import payment_basis_pdf
from .perms import (
    can_approve_payments,
    can_decide_creaming_review,
    can_dispute_lines,
    can_open_creaming_reviews,
    can_run_payments,
    can_see_provider_lines,
    can_view_creaming_check,
    can_view_creaming_reviews,
    can_view_payment_basis,
)
from .querysets import PAID
from .selectors import add_months


def _month(request) -> datetime.date:
    try:
        return parse_month(request.GET.get("month") or "")
    except ValidationError:
        return add_months(timezone.localdate().replace(day=1), -1)


@login_required
def overview(request):
    user = request.user
    if user.is_provider_staff:
        return redirect(f"{_provider_url(user.provider_id)}?month={_month(request):%Y-%m}")
    deny_unless(can_view_payment_basis(user))
    month = _month(request)
    run = PaymentRun.objects.visible_to(user).filter(month=month).first()
    providers = []
    if run:
        providers = (
            PaymentLine.objects.filter(run=run)
            .values("provider_id", "provider__name")
            .annotate(lines=Count("id"), total=Sum("amount", filter=PAID), held=Count("id", filter=~PAID))
            .order_by("provider__name")
        )
    runs = PaymentRun.objects.visible_to(user).order_by("-month")[:24]
    return render(
        request,
        "payments/overview.html",
        {
            "month": month,
            "run": run,
            "providers": providers,
            "runs": runs,
            "can_run": can_run_payments(user),
            "can_approve": can_approve_payments(user),
        },
    )


def _provider_url(provider_id):
    from django.urls import reverse

    return reverse("payments:provider", args=[provider_id])


def _lines(request, provider_id):
    provider = get_object_or_404(Provider, pk=provider_id)
    if not can_see_provider_lines(request.user, provider):
        raise Http404
    month = _month(request)
    run = PaymentRun.objects.filter(municipality_id=provider.municipality_id, month=month).first()
    lines = []
    if run:
        lines = list(
            PaymentLine.objects.filter(run=run, provider=provider)
            .with_person_shown(request.user)
            .select_related("participant", "rule", "provider")
            .prefetch_related("disputes")
            .order_by("participant__last_name", "period_month", "rule__order")
        )
    return provider, month, run, lines


def _paid_total(lines):
    """What the lines pay: those held for a creaming review are left out."""
    return sum((line.amount for line in lines if not line.held_by_id), 0)


def _people_shown(lines):
    """The people named on the lines (a read of each is logged): those the user may still see."""
    return {line.participant_id: line.participant for line in lines if line.person_shown}.values()


@login_required
def provider_month(request, provider_id):
    provider, month, run, lines = _lines(request, provider_id)
    read_records(
        user=request.user,
        participants=_people_shown(lines),
        view="payment_basis",
    )
    return render(
        request,
        "payments/provider_month.html",
        {
            "provider": provider,
            "month": month,
            "run": run,
            "lines": lines,
            "total": _paid_total(lines),
            "held_total": sum((line.amount for line in lines if line.held_by_id), 0),
            "can_dispute": can_dispute_lines(request.user, provider),
            "previous": add_months(month, -1),
            "next": add_months(month, 1),
        },
    )


@login_required
def provider_month_csv(request, provider_id):
    provider, month, run, lines = _lines(request, provider_id)
    read_records(
        user=request.user,
        participants=_people_shown(lines),
        view="payment_basis_csv",
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="betalningsunderlag-{month:%Y-%m}-{provider.pk}.csv"'
    )
    write_payment_basis_csv(response, lines)
    return response


@login_required
def provider_month_pdf(request, provider_id):
    provider, month, run, lines = _lines(request, provider_id)
    if run is None:
        raise Http404
    read_records(
        user=request.user,
        participants=_people_shown(lines),
        view="payment_basis_pdf",
    )
    total = _paid_total(lines)
    response = HttpResponse(
        payment_basis_pdf(provider=provider, run=run, lines=lines, total=total),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="betalningsunderlag-{month:%Y-%m}-{provider.pk}.pdf"'
    )
    return response


@require_POST
@login_required
def dispute(request, line_id):
    line = get_object_or_404(PaymentLine.objects.select_related("run", "provider"), pk=line_id)
    if not can_see_provider_lines(request.user, line.provider):
        raise Http404
    try:
        services.dispute_create(line=line, by=request.user, comment=request.POST.get("comment", ""))
        messages.success(request, _("Your dispute was sent to the finance department."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, "; ".join(getattr(exc, "messages", [str(exc) or _("Not allowed.")])))
    return redirect(f"{_provider_url(line.provider_id)}?month={line.run.month:%Y-%m}")


@require_POST
@login_required
def run_month(request):
    """Compute (again) a month's payment basis: a background job whose page follows it."""
    deny_unless(can_run_payments(request.user))
    try:
        month = _month(request) if request.GET.get("month") else parse_month(request.POST.get("month", ""))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
        return redirect(_overview_url())
    job = job_start(kind=JobKind.PAYMENT_RECALCULATION, by=request.user, params={"month": month.isoformat()})
    return redirect("background:job", pk=job.pk)


@require_POST
@login_required
def provider_month_pdf_job(request, provider_id):
    """The payment basis of one provider and month as a PDF, made in the background (a large provider has
    thousands of lines); the job's page offers the file."""
    provider, month, run, _lines_shown = _lines(request, provider_id)
    if run is None:
        raise Http404
    job = job_start(
        kind=JobKind.PAYMENT_BASIS_PDF,
        by=request.user,
        params={"provider_id": provider.pk, "month": month.isoformat()},
    )
    return redirect("background:job", pk=job.pk)


@require_POST
@login_required
def approve(request, run_id):
    run = get_object_or_404(PaymentRun, pk=run_id, municipality_id=municipality_id_of(request.user))
    try:
        services.payment_run_approve(run=run, by=request.user)
        messages.success(request, _("The payment basis is approved and locked."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect(f"{_overview_url()}?month={run.month:%Y-%m}")


def _overview_url():
    from django.urls import reverse

    return reverse("payments:overview")


# --- disputes (finance answers) --------------------------------------------------------------------------


@login_required
def disputes(request):
    """Finance: the disputes of the municipality, open ones first, each with an answer form."""
    deny_unless(can_approve_payments(request.user))
    items = list(
        Dispute.objects.visible_to(request.user)
        .select_related("line__run", "line__provider", "line__participant", "line__rule", "created_by")
        .order_by("status", "-created_at")[:200]
    )
    read_records(
        user=request.user,
        participants={d.line.participant_id: d.line.participant for d in items}.values(),
        view="payment_disputes",
    )
    return render(request, "payments/disputes.html", {"disputes": items, "errors": {}})


@require_POST
@login_required
def dispute_answer(request, dispute_id):
    deny_unless(can_approve_payments(request.user))
    dispute = get_object_or_404(
        Dispute.objects.visible_to(request.user).select_related("line__run"), pk=dispute_id
    )
    decision = request.POST.get("decision")
    try:
        if decision not in ("accept", "reject"):
            raise ValidationError({"decision": _("Choose to accept or reject the dispute.")})
        services.dispute_answer(
            dispute=dispute,
            by=request.user,
            accept=decision == "accept",
            answer=request.POST.get("answer", ""),
        )
        messages.success(request, _("The dispute was answered."))
    except ValidationError as exc:
        messages.error(request, "; ".join(exc.messages))
    return redirect(_disputes_url())


def _disputes_url():
    from django.urls import reverse

    return reverse("payments:disputes")


# --- creaming and parking check --------------------------------------------------------------------------


@login_required
def creaming_check(request):
    """Finance, unit heads and analysts (aggregates only; analysts see counts under 5 suppressed)."""
    user = request.user
    deny_unless(can_view_creaming_check(user))
    default_start, default_end = default_period(timezone.localdate())
    form = CreamingPeriodForm(request.GET or None, initial={"start": default_start, "end": default_end})
    start, end = default_start, default_end
    if form.is_bound and form.is_valid():
        start = form.cleaned_data.get("start") or default_start
        end = form.cleaned_data.get("end") or default_end
    report = None
    municipality_id = municipality_id_of(user)
    if municipality_id and not (form.is_bound and form.errors):
        report = report_as_dict(
            run_creaming_check(municipality_id=municipality_id, start=start, end=end),
            suppress=not user.has_perm("payments.view_payment_basis"),
        )
    return render(
        request,
        "payments/creaming.html",
        {
            "form": form,
            "report": report,
            "tiers": TIERS,
            "start": start,
            "end": end,
            "can_open_reviews": can_open_creaming_reviews(user),
            "trend": _trend(report, municipality_id, end),
        },
    )


def _trend(report, municipality_id, end):
    """Per provider of the report, its flags in each of the last four quarters ending with `end`."""
    if not report:
        return None
    periods = creaming_trend(municipality_id=municipality_id, end=end)
    labels = {code: str(label) for code, label in FLAG_LABELS.items()}
    rows = [
        {
            "name": check["name"],
            "cells": [[labels[f] for f in p["flags"].get(check["provider"], [])] for p in periods],
        }
        for check in report["providers"]
    ]
    return {"periods": periods, "rows": rows}


# --- creaming reviews ------------------------------------------------------------------------------------


@require_POST
@login_required
def creaming_reviews_open(request):
    """The contract manager puts the flags of the check (for the period shown) under review."""
    deny_unless(can_open_creaming_reviews(request.user))
    form = CreamingPeriodForm(request.POST)
    if not form.is_valid() or not request.user.municipality_id:
        messages.error(request, "; ".join(m for ms in form.errors.values() for m in ms) or _("Not allowed."))
        return redirect(reverse("payments:creaming"))
    default_start, default_end = default_period(timezone.localdate())
    opened = services.creaming_reviews_open(
        municipality=request.user.municipality,
        start=form.cleaned_data.get("start") or default_start,
        end=form.cleaned_data.get("end") or default_end,
        by=request.user,
    )
    messages.success(
        request,
        _("%(n)s reviews opened; their payment lines are held until a decision.") % {"n": len(opened)},
    )
    return redirect(reverse("payments:reviews"))


@login_required
def creaming_reviews(request):
    """Finance: the creaming reviews of the municipality, open ones first, with the lines they hold."""
    deny_unless(can_view_creaming_reviews(request.user))
    reviews = (
        CreamingReview.objects.visible_to(request.user)
        .with_held_figures()
        .select_related("provider", "decided_by")
        .order_by("status", "-opened_at", "-id")[:200]
    )
    return render(request, "payments/reviews.html", {"reviews": reviews})


@login_required
def creaming_review(request, review_id):
    """One review: the figures behind the flag, the people and the lines held; the contract manager decides
    (POST) with a reason."""
    deny_unless(can_view_creaming_reviews(request.user))
    review = get_object_or_404(
        CreamingReview.objects.visible_to(request.user).with_held_figures().select_related("provider"),
        pk=review_id,
    )
    errors = {}
    if request.method == "POST":
        deny_unless(can_decide_creaming_review(request.user, review))
        decision = request.POST.get("decision")
        try:
            if decision not in ReviewDecision.values:
                raise ValidationError({"decision": _("Choose to release or reject the held lines.")})
            services.creaming_review_decide(
                review=review,
                by=request.user,
                release=decision == ReviewDecision.RELEASE,
                reason=request.POST.get("reason", ""),
                version=_int_or_none(request.POST.get("version")),
            )
            messages.success(request, _("The review was decided."))
            return redirect(reverse("payments:review", args=[review.pk]))
        except ValidationError as exc:
            errors = exc.message_dict
        except ConflictError as exc:
            errors = {"decision": [str(exc)]}
    people = list(review.participants.order_by("last_name", "first_name"))
    read_records(user=request.user, participants=people, view="creaming_review")
    lines = review.held_lines.select_related("run", "participant", "rule").order_by(
        "participant__last_name", "period_month", "rule_code"
    )
    return render(
        request,
        "payments/review.html",
        {
            "review": review,
            "people": people,
            "lines": lines,
            "errors": errors,
            "can_decide": can_decide_creaming_review(request.user, review),
            "decisions": ReviewDecision.choices,
        },
    )


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
