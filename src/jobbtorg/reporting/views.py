"""The key-indicator dashboard (unit heads, analysts), its CSV/XLSX downloads, assignments and the research
extract. Aggregates only: no page here shows a person."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobbtorg.accounts.models import Unit
from jobbtorg.accounts.selectors import municipality_id_of
from jobbtorg.background.constants import JobKind
from jobbtorg.background.jobs import job_start
from jobbtorg.caseloads.perms import can_view_caseloads
from jobbtorg.caseloads.selectors import caseload_over_time
from jobbtorg.plans.selectors import plan_deadline_share
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.models import Referral
from jobbtorg.utils import suppression
from jobbtorg.utils.forms import add_service_errors
from jobbtorg.utils.numbers import percent
from jobbtorg.utils.tabular import SafeCsvWriter
from jobbtorg.utils.views import rule_required

from . import charts, indicators, kolada, research, selectors, services
from .assignments import follow
from .comparison import fair_comparisons
from .constants import Breakdown
from .exports import download
from .forms import AssignmentForm, KoladaImportForm, KoladaYearForm, PeriodForm, ReportedFiguresForm
from .models import Assignment, ReportedFigure
from .perms import (
    can_download_research_extract,
    can_manage_assignments,
    can_record_reported_figures,
    can_view_assignment,
    can_view_indicators,
    can_view_overview,
    must_suppress,
)
from .selectors import Scope
from .send_backs import send_back_header, send_back_rows, send_back_table
from .services import ASSIGNMENT_FIELDS, indicators_ensure_fresh, reporting_supported


def _require(request, check=can_view_indicators):
    if not check(request.user):
        raise PermissionDenied


def _unavailable(request):
    """On a database the reporting SQL does not cover (see services.reporting_supported): say so plainly."""
    return render(request, "reporting/unavailable.html", {})


def _context(request) -> dict:
    user = request.user
    municipality_id = municipality_id_of(user)
    freshness = indicators_ensure_fresh(municipality_id=municipality_id)
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
        municipality_id=municipality_id,
        unit_id=unit_id,
        today=timezone.localdate(),
    )
    suppress = must_suppress(user, unit_id=unit_id)
    raw = selectors.dashboard(scope, dimension)
    tables = indicators.tables(raw, dimension=dimension, suppress=suppress)
    merged = indicators.merge(raw)
    total = merged["total"]
    withheld = indicators.withheld_by_row(merged, suppress=suppress).get(("total", None), {})
    # The fair comparison spans every unit (or provider) of the municipality: always suppressed.
    municipal = Scope(start=scope.start, end=scope.end, municipality_id=municipality_id, today=scope.today)
    comparisons = {}
    for by, results in fair_comparisons(municipal).items():
        labels = indicators.group_labels(by, [r.key for r in results])
        comparisons[by] = comparison_rows(results, labels)
    kolada_counts = selectors.kolada(scope)
    figures = kolada.figures(kolada_counts, suppress=suppress)

    def n(*keys):
        if suppress and any(key in withheld for key in keys):
            return withheld[keys[0]] if len(keys) == 1 else suppression.HIDDEN
        value = sum(total.get(key) or 0 for key in keys) if total.get(keys[0]) is not None else None
        return suppression.count(value, suppress=suppress)

    funnel = [
        (_("Referred"), n("referrals")),
        (_("Accepted"), n("accepted")),
        (_("Plan approved"), n("plans")),
        (_("Intervention started"), n("started")),
        (_("Exit to work or studies"), n("work_kolada", "studies_kolada")),
        (_("No assistance 6 months later"), n("fu6_ok")),
    ]
    return {
        "form": form,
        "scope": scope,
        "dimension": dimension,
        "dimension_label": Breakdown(dimension).label,
        "suppress": suppress,
        "suppress_below": suppression.SUPPRESS_BELOW,
        "tables": tables,
        "comparisons": comparisons,
        "kolada": figures,
        "kolada_pending": kolada.pending(kolada_counts, suppress=suppress),
        "kolada_preliminary": any(f.preliminary for f in figures),
        "funnel": funnel,
        "query": request.GET.urlencode(),
        "freshness": freshness,
        "send_backs": send_back_rows(scope, suppress=suppress),
        "send_back_header": send_back_header(),
    }


def comparison_rows(results, labels: dict) -> list[dict]:
    """The fair comparison's groups as shown (utils.suppression): a group whose number of exits is withheld
    (fewer than five, or needed to protect one that is) shows nothing; a group whose share rests on fewer
    than five results or non-results shows its exits but no figures."""
    exits = {r.key: r.n for r in results}
    withheld = suppression.withhold(
        {**exits, TOTAL: sum(exits.values())}, [(list(exits), TOTAL)] if exits else []
    )
    rows = []
    for r in results:
        outcomes = None if r.observed is None else round(r.observed * r.n)
        rows.append(
            {
                **r.__dict__,
                "label": labels.get(r.key, r.key),
                "small": r.key in withheld,
                "n_shown": withheld.get(r.key, r.n),
                "withheld": not r.too_few and not suppression.share_is_shown(outcomes, r.n),
            }
        )
    return rows


TOTAL = ("total",)


def _fmt(value, kind):
    if value is None or suppression.is_withheld(value):
        return value
    if kind == "share":
        return percent(value)
    if kind in ("money", "days"):
        return round(float(value), 1)
    return value


@rule_required(can_view_overview)
def overview(request):
    """The analyst's start page: referrals per unit and status, and the share of plans approved in time —
    aggregates only, withheld by the rule of utils.suppression."""
    units = Unit.objects.all()
    municipality_id = municipality_id_of(request.user)
    if municipality_id:
        units = units.filter(municipality_id=municipality_id)
    units = list(units)
    counts = {
        (row["unit_id"], row["status"]): row["n"]
        for row in Referral.objects.filter(unit__in=units).values("unit_id", "status").annotate(n=Count("pk"))
    }
    statuses = list(ReferralStatus)
    rows = []
    for unit in units:
        deadline = plan_deadline_share(referrals=Referral.objects.filter(unit=unit))
        shown = suppression.share_is_shown(deadline["in_time"], deadline["total"])
        rows.append(
            {
                "unit": unit,
                "counts": [suppression.count(counts.get((unit.pk, status.value), 0)) for status in statuses],
                "deadline_total": suppression.count(deadline["total"]),
                "deadline_share": deadline["share"] if shown else None,
            }
        )
    return render(
        request,
        "reporting/overview.html",
        {"statuses": statuses, "rows": rows, "suppress_below": suppression.SUPPRESS_BELOW},
    )


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
    # The unit head's own unit: active people per coach, month by month (staff figures, no person named).
    if can_view_caseloads(request.user) and not request.htmx:
        context["history"] = caseload_over_time(unit_id=request.user.unit_id)
    template = "reporting/_sections.html" if request.htmx else "reporting/dashboard.html"
    return render(request, template, context)


EXPORTS = {"comparison-unit", "comparison-provider", "kolada", "funnel", "sent-back"}


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
                rows.append([str(r["label"]), r["n_shown"], None, None, None, None, None])
            elif r["too_few"]:
                rows.append([str(r["label"]), r["n"], _("too few to judge"), None, None, None, None])
            elif r["withheld"]:
                rows.append([str(r["label"]), r["n"]] + [suppression.HIDDEN] * 5)
            else:
                rows.append(
                    [str(r["label"]), r["n"]]
                    + [percent(r[k]) for k in ("observed", "expected", "difference", "low", "high")]
                )
    elif name == "kolada":
        header = ["Kolada", _("Title"), _("Value"), _("Unit"), _("Numerator"), _("Denominator"), _("Status")]
        rows = [
            [f.id, f.title, f.value, f.unit, f.numerator, f.denominator, _status(f)]
            for f in context["kolada"]
        ]
    elif name == "funnel":
        header = [_("Stage"), _("People")]
        rows = [[str(s), v] for s, v in context["funnel"]]
    elif name == "sent-back":
        header = context["send_back_header"]
        rows = send_back_table(context["send_backs"])
    else:
        raise Http404
    return download(
        name=f"nyckeltal-{name}", header=header, rows=rows, fmt=fmt, as_of=context["freshness"].refreshed_at
    )


def _status(figure) -> str:
    return str(_("preliminary")) if figure.preliminary else ""


def _assignments(user):
    qs = Assignment.objects.filter(municipality_id=municipality_id_of(user))
    if user.is_unit_head:
        qs = qs.filter(unit_id__in=[user.unit_id, None]) | qs.filter(unit__isnull=True)
    return list(qs.distinct())


@login_required
def assignment_detail(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk, municipality_id=municipality_id_of(request.user))
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
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assignment was saved."))
            return redirect("reporting:assignment", pk=assignment.pk)
    return render(request, "reporting/assignment_form.html", {"form": form, "assignment": None})


@login_required
def assignment_edit(request, pk):
    assignment = get_object_or_404(Assignment, pk=pk, municipality_id=municipality_id_of(request.user))
    if not can_manage_assignments(request.user, assignment):
        raise PermissionDenied
    form = AssignmentForm(request.POST or None, instance=assignment, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, offerings = _assignment_fields(form)
        try:
            services.assignment_update(assignment=assignment, by=request.user, offerings=offerings, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The assignment was saved."))
            return redirect("reporting:assignment", pk=assignment.pk)
    return render(request, "reporting/assignment_form.html", {"form": form, "assignment": assignment})


class _Echo:
    def write(self, value):
        return value


@require_POST
@login_required
def research_extract_job(request):
    """The research extract prepared in the background; the job's page offers the CSV when it is done."""
    _require(request, can_download_research_extract)
    if not reporting_supported():
        return _unavailable(request)
    job = job_start(kind=JobKind.RESEARCH_EXTRACT, by=request.user)
    return redirect("background:job", pk=job.pk)


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
        rows = research.extract_rows(
            municipality_id=municipality_id_of(request.user), start=start, end=today, today=today
        )
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


def _survey_year(request) -> int:
    form = KoladaYearForm(request.GET or None)
    if form.is_valid() and form.cleaned_data.get("year"):
        return form.cleaned_data["year"]
    return timezone.localdate().year - 1


def _survey(request, year: int) -> tuple[list, bool]:
    """The Kolada figures of the municipality for a calendar year (suppressed as the dashboard is)."""
    scope = Scope(
        start=datetime.date(year, 1, 1),
        end=datetime.date(year, 12, 31),
        municipality_id=municipality_id_of(request.user),
        today=timezone.localdate(),
    )
    suppress = must_suppress(request.user, unit_id=None)
    return kolada.figures(selectors.kolada(scope), suppress=suppress), suppress


@login_required
def kolada_survey(request, fmt: str):
    """The annual survey's layout: one row per KPI id with value, numerator and denominator, for a year."""
    _require(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    year = _survey_year(request)
    freshness = indicators_ensure_fresh(municipality_id=municipality_id_of(request.user))
    figures, _suppress = _survey(request, year)
    header = [_("KPI"), _("Year"), _("Value"), _("Numerator"), _("Denominator"), _("Status")]
    rows = [[f.id, year, f.value, f.numerator, f.denominator, _status(f)] for f in figures]
    return download(name=f"kolada-{year}", header=header, rows=rows, fmt=fmt, as_of=freshness.refreshed_at)


@login_required
def kolada_compare(request):
    """The product's figures of a year beside the figures the municipality reported to Kolada the year before
    (entered or imported), and the product's own figures for that year to reconcile them."""
    _require(request)
    if not reporting_supported():
        return _unavailable(request)
    year = _survey_year(request)
    municipality_id = municipality_id_of(request.user)
    freshness = indicators_ensure_fresh(municipality_id=municipality_id)
    reported = {
        (r.kpi, r.year): r
        for r in ReportedFigure.objects.filter(municipality_id=municipality_id, year__in=[year - 1, year])
    }
    can_record = can_record_reported_figures(request.user)
    entry_form = import_form = None
    if can_record:
        initial = {
            kpi.id: reported[(kpi.id, year - 1)].value
            for kpi in kolada.KPIS
            if (kpi.id, year - 1) in reported
        }
        posted = request.method == "POST"
        entry_form = ReportedFiguresForm(
            request.POST if posted and request.POST.get("form") == "entry" else None,
            kpis=kolada.KPIS,
            initial_values=initial,
        )
        import_form = KoladaImportForm(
            request.POST if posted and request.POST.get("form") == "import" else None,
            request.FILES if posted and request.POST.get("form") == "import" else None,
        )
        if posted and request.POST.get("form") == "entry" and entry_form.is_valid():
            services.reported_figures_record(by=request.user, year=year - 1, values=entry_form.cleaned_data)
            messages.success(request, _("The reported figures were saved."))
            return redirect(f"{request.path}?year={year}")
        if posted and request.POST.get("form") == "import" and import_form.is_valid():
            upload = import_form.cleaned_data["file"]
            if upload.size > 5 * 1024 * 1024:
                import_form.add_error("file", _("The file is too large (at most 5 MB)."))
            else:
                try:
                    counts = services.reported_figures_import(by=request.user, content=upload.read())
                except ValidationError as error:
                    add_service_errors(import_form, error)
                else:
                    messages.success(
                        request,
                        _("Imported: %(n)s figures.") % {"n": sum(counts.values())},
                    )
                    return redirect(f"{request.path}?year={year}")
    elif request.method == "POST":
        raise PermissionDenied
    figures, suppress = _survey(request, year)
    previous, _suppress = _survey(request, year - 1)
    previous = {f.id: f for f in previous}
    rows = [
        {
            "figure": f,
            "previous": previous[f.id],
            "reported": reported.get((f.id, year - 1)),
        }
        for f in figures
    ]
    return render(
        request,
        "reporting/kolada.html",
        {
            "year": year,
            "rows": rows,
            "suppress": suppress,
            "freshness": freshness,
            "entry_form": entry_form,
            "import_form": import_form,
        },
    )
