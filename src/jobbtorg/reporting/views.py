"""The key-indicator dashboard (unit heads, analysts), its CSV/XLSX downloads, assignments and the research
extract. Aggregates only: no page here shows a person."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.utils.tabular import SafeCsvWriter

from . import charts, indicators, kolada, research, selectors, services
from .assignments import follow
from .comparison import fair_comparisons
from .constants import SUPPRESS_BELOW, Breakdown
from .exports import download
from .forms import AssignmentForm, PeriodForm
from .models import Assignment
from .perms import (
    can_download_research_extract,
    can_manage_assignments,
    can_view_assignment,
    can_view_indicators,
    must_suppress,
)
from .selectors import Scope
from .services import ASSIGNMENT_FIELDS, indicators_ensure_fresh, reporting_supported


def _require(request, check=can_view_indicators):
    if not check(request.user):
        raise PermissionDenied


def _unavailable(request):
    """On a database the reporting SQL does not cover (see services.reporting_supported): say so plainly."""
    return render(request, "reporting/unavailable.html", {})


def _context(request) -> dict:
    user = request.user
    freshness = indicators_ensure_fresh(municipality_id=user.municipality_id)
    form = PeriodForm(request.GET or None, user=user)
    form.is_valid()
    data = getattr(form, "cleaned_data", None) or {}
    if not data.get("start"):
        form = PeriodForm({}, user=user)
        form.is_valid()
        data = form.cleaned_data
    unit_id = user.unit_id if user.is_unit_head else (data.get("unit").pk if data.get("unit") else None)
    dimension = data["breakdown"]
    scope = Scope(
        start=data["start"],
        end=data["end"],
        municipality_id=user.municipality_id,
        unit_id=unit_id,
        today=timezone.localdate(),
    )
    suppress = must_suppress(user, unit_id=unit_id)
    raw = selectors.dashboard(scope, dimension)
    tables = indicators.tables(raw, dimension=dimension, suppress=suppress)
    total = indicators.merge(raw)["total"]
    # The fair comparison spans every unit (or provider) of the municipality: always suppressed.
    municipal = Scope(
        start=scope.start, end=scope.end, municipality_id=user.municipality_id, today=scope.today
    )
    comparisons = {}
    for by, results in fair_comparisons(municipal).items():
        labels = indicators.group_labels(by, [r.key for r in results])
        comparisons[by] = [
            {**r.__dict__, "label": labels.get(r.key, r.key), "small": r.n < SUPPRESS_BELOW} for r in results
        ]
    figures = [
        f
        if not (indicators.is_small(f.base)) or not suppress
        else kolada.Figure(f.id, f.title, None, f.unit, f.base)
        for f in kolada.figures(total)
    ]

    def n(key):
        value = total.get(key)
        return None if suppress and indicators.is_small(value) else value

    funnel = [
        (_("Referred"), n("referrals")),
        (_("Accepted"), n("accepted")),
        (_("Plan approved"), n("plans")),
        (_("Intervention started"), n("started")),
        (
            _("Exit to work or studies"),
            None
            if total.get("exits") is None
            else (total.get("work_kolada") or 0) + (total.get("studies_kolada") or 0),
        ),
        (_("No assistance 6 months later"), n("fu6_ok")),
    ]
    return {
        "form": form,
        "scope": scope,
        "dimension": dimension,
        "dimension_label": Breakdown(dimension).label,
        "suppress": suppress,
        "suppress_below": SUPPRESS_BELOW,
        "tables": tables,
        "comparisons": comparisons,
        "kolada": figures,
        "funnel": funnel,
        "query": request.GET.urlencode(),
        "freshness": freshness,
    }


def _fmt(value, kind):
    if value is None:
        return None
    if kind == "share":
        return round(100 * value, 1)
    if kind in ("money", "days"):
        return round(float(value), 1)
    return value


@login_required
def dashboard(request):
    _require(request)
    if not reporting_supported():
        return _unavailable(request)
    context = _context(request)
    for table in context["tables"]:
        table.trend_id, table.bars_id = f"chart-{table.key}-trend", f"chart-{table.key}-bars"
        table.trend_chart = charts.trend(table)
        first = next((c for c in table.columns if c.kind in ("share", "count")), table.columns[0])
        table.bar_chart = charts.bars(table, first.key) if table.groups else None
        table.month_rows = [
            (m, [_fmt(row.get(c.key), c.kind) for c in table.columns]) for m, row in table.months
        ]
        table.group_rows = [
            (g, [_fmt(row.get(c.key), c.kind) for c in table.columns]) for g, row in table.groups
        ]
        table.total_row = [_fmt(table.total.get(c.key), c.kind) for c in table.columns]
    context["funnel_chart"] = charts.funnel([(str(s), v) for s, v in context["funnel"]])
    context["comparison_charts"] = {
        by: charts.comparison(rows, str(Breakdown(by).label)) for by, rows in context["comparisons"].items()
    }
    context["comparison_unit"] = context["comparisons"][Breakdown.UNIT]
    context["comparison_provider"] = context["comparisons"][Breakdown.PROVIDER]
    context["assignments"] = _assignments(request.user)
    context["can_extract"] = can_download_research_extract(request.user)
    context["can_add_assignment"] = can_manage_assignments(request.user)
    template = "reporting/_sections.html" if request.htmx else "reporting/dashboard.html"
    return render(request, template, context)


EXPORTS = {"comparison-unit", "comparison-provider", "kolada", "funnel"}


@login_required
def export(request, name: str, fmt: str):
    _require(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    if not reporting_supported():
        raise Http404  # no figures to export on SQLite (the dashboard page says why)
    context = _context(request)
    tables = {t.key: t for t in context["tables"]}
    if name in tables:
        table = tables[name]
        header = [_("Month / group")] + [str(c.label) for c in table.columns]
        rows = [
            [m.strftime("%Y-%m")] + [_fmt(row.get(c.key), c.kind) for c in table.columns]
            for m, row in table.months
        ]
        rows += [[str(g)] + [_fmt(row.get(c.key), c.kind) for c in table.columns] for g, row in table.groups]
        rows.append([_("Total")] + [_fmt(table.total.get(c.key), c.kind) for c in table.columns])
    elif name in ("comparison-unit", "comparison-provider"):
        by = Breakdown.UNIT if name.endswith("unit") else Breakdown.PROVIDER
        header = [
            _("Group"),
            _("Exits"),
            _("Actual (%)"),
            _("Expected (%)"),
            _("Difference (pp)"),
            _("Interval low (pp)"),
            _("Interval high (pp)"),
        ]
        rows = []
        for r in context["comparisons"][by]:
            if r["small"]:
                rows.append([str(r["label"]), None, None, None, None, None, None])
            elif r["too_few"]:
                rows.append([str(r["label"]), r["n"], _("too few to judge"), None, None, None, None])
            else:
                rows.append(
                    [str(r["label"]), r["n"]]
                    + [round(100 * r[k], 1) for k in ("observed", "expected", "difference", "low", "high")]
                )
    elif name == "kolada":
        header = ["Kolada", _("Title"), _("Value"), _("Unit")]
        rows = [[f.id, f.title, f.value, f.unit] for f in context["kolada"]]
    elif name == "funnel":
        header = [_("Stage"), _("People")]
        rows = [[str(s), v] for s, v in context["funnel"]]
    else:
        raise Http404
    return download(
        name=f"nyckeltal-{name}", header=header, rows=rows, fmt=fmt, as_of=context["freshness"].refreshed_at
    )


def _assignments(user):
    qs = Assignment.objects.filter(municipality_id=user.municipality_id)
    if user.is_unit_head:
        qs = qs.filter(unit_id__in=[user.unit_id, None]) | qs.filter(unit__isnull=True)
    return list(qs.distinct())


@login_required
def assignment_detail(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk, municipality_id=request.user.municipality_id)
    if not can_view_assignment(request.user, assignment):
        raise Http404
    if not reporting_supported():
        return _unavailable(request)
    report = follow(assignment, today=timezone.localdate(), suppress=not request.user.is_unit_head)
    return render(
        request,
        "reporting/assignment.html",
        {
            "assignment": assignment,
            "offerings": assignment.offerings.order_by("name"),
            "can_edit": can_manage_assignments(request.user, assignment),
            **report,
        },
    )


def _assignment_fields(form) -> tuple[dict, list]:
    data = {name: form.cleaned_data[name] for name in ASSIGNMENT_FIELDS}
    data["target_group"] = data["target_group"] or ""
    return data, list(form.cleaned_data["offerings"])


@login_required
def assignment_create(request):
    if not can_manage_assignments(request.user):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, offerings = _assignment_fields(form)
        try:
            assignment = services.assignment_create(by=request.user, offerings=offerings, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The assignment was saved."))
            return redirect("reporting:assignment", pk=assignment.pk)
    return render(request, "reporting/assignment_form.html", {"form": form, "assignment": None})


@login_required
def assignment_edit(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk, municipality_id=request.user.municipality_id)
    if not can_manage_assignments(request.user, assignment):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, instance=assignment, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, offerings = _assignment_fields(form)
        try:
            services.assignment_update(assignment=assignment, by=request.user, offerings=offerings, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("The assignment was saved."))
            return redirect("reporting:assignment", pk=assignment.pk)
    return render(request, "reporting/assignment_form.html", {"form": form, "assignment": assignment})


class _Echo:
    def write(self, value):
        return value


@login_required
def research_extract(request):
    _require(request, can_download_research_extract)
    today = timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    if not reporting_supported():
        return _unavailable(request)
    if request.GET.get("download") != "csv":
        return render(
            request, "reporting/research.html", {"codebook": research.CODEBOOK, "start": start, "end": today}
        )
    try:
        rows = research.extract_rows(municipality_id=request.user.municipality_id, start=start, end=today)
        first = next(rows)
    except ImproperlyConfigured as exc:
        raise PermissionDenied(str(exc)) from exc
    writer = SafeCsvWriter(_Echo(), delimiter=";")

    def stream():
        yield writer.writerow(first)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="jobbtorg-forskningsextrakt.csv"'
    return response
