"""Writes of the reporting app: assignments, and the rebuild of the indicator rollups from the records."""

from __future__ import annotations

import datetime
import functools
import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections, transaction
from django.db.models import Min, Subquery
from django.utils import timezone
from django.utils.translation import gettext

from jobbtorg.accounts.models import Municipality
from jobbtorg.attendance.constants import AttendanceStatus
from jobbtorg.attendance.models import AttendanceReport
from jobbtorg.audit.services import change_record, field_changes
from jobbtorg.followup.models import AssistanceMonth, Exit
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import ActionPlan, Mapping
from jobbtorg.referrals.constants import ReferralStatus
from jobbtorg.referrals.deadline import approved_in_time_expression
from jobbtorg.referrals.models import Referral
from jobbtorg.utils.db import reporting_alias

from . import kolada, perms
from .constants import AgeBand, Gender
from .models import Assignment, AttendanceMonth, Freshness, ReportedFigure
from .models import Case as CaseRow
from .sql import Dialect, literal, literals, table


def reporting_supported() -> bool:
    """The indicators are computed in SQL on PostgreSQL and on SQLite (the dialect helpers of reporting.sql);
    kept so that a backend without them could say so instead of failing."""
    return connections[reporting_alias()].vendor in ("postgresql", "sqlite")


# The bookings that count as an intervention taken up (first intervention, work training, assignments).
TAKEN_UP = literals(BookingStatus.BOOKED, BookingStatus.ENDED)


@functools.cache
def case_sql(d: Dialect) -> str:
    """INSERT … SELECT of the rollup reporting_case (one row per referral), in the dialect `d`."""
    age = d.age_years("r.referral_date", "p.birth_date")
    em = "ex.em"
    booking, offering = table(Booking), table(Offering)
    if d.pg:
        fb = f"""
    SELECT DISTINCT ON (b.referral_id) b.referral_id, b.start_date AS fb_start,
           o.provider_id AS fb_provider, o.intervention_type_id AS fb_type
    FROM {booking} b JOIN {offering} o ON o.id = b.offering_id
    WHERE b.status IN {TAKEN_UP} AND b.referral_id IN (SELECT id FROM rr)
    ORDER BY b.referral_id, b.start_date, b.id"""
    else:
        fb = f"""
    SELECT referral_id, fb_start, fb_provider, fb_type FROM (
        SELECT b.referral_id, b.start_date AS fb_start, o.provider_id AS fb_provider,
               o.intervention_type_id AS fb_type,
               ROW_NUMBER() OVER (PARTITION BY b.referral_id ORDER BY b.start_date, b.id) AS nth
        FROM {booking} b JOIN {offering} o ON o.id = b.offering_id
        WHERE b.status IN {TAKEN_UP} AND b.referral_id IN (SELECT id FROM rr)
    ) AS ranked WHERE nth = 1"""
    municipality = d.cast("%(municipality)s", "bigint")
    bands = "\n            ".join(
        f"WHEN {age} < {upper} THEN {literal(band)}"
        for band, upper in ((AgeBand.UNDER_25, 25), (AgeBand.FROM_25, 35), (AgeBand.FROM_35, 45))
    )
    return f"""
INSERT INTO {table(CaseRow)} (
    referral_id, participant_id, municipality_id, unit_id, district_id, provider_id, intervention_type_id,
    target_group, tier, age, age_band, gender, education_level, swedish_level, months_without_work,
    months_on_assistance, referral_date, plan_due_date, accepted_on, approved_on, ended_on,
    first_intervention_on, exit_date, exit_reason, work_hours_per_week, employment_form, subsidised,
    municipal_labour_market_job, studies_with_student_finance, kolada_result, source, returned,
    assistance_before, assistance_before_months, paid_3, paid_6, paid_12,
    paid_within_12, assistance_after, refreshed_at)
WITH rr AS (
    SELECT r.* FROM {table(Referral)} r JOIN {table(Participant)} p ON p.id = r.participant_id
    WHERE {municipality} IS NULL OR p.municipality_id = {municipality}
),
fb AS ({fb}
),
ex AS (
    SELECT e.*, {d.month_start("e.exit_date")} AS em FROM {table(Exit)} e
    WHERE e.referral_id IN (SELECT id FROM rr)
),
fu AS (
    SELECT ex.referral_id,
           sum(a.amount) FILTER (WHERE a.paid AND a.month < ex.em) AS before_sum,
           count(*) FILTER (WHERE a.paid AND a.month < ex.em) AS before_months,
           {d.bool_any(f"a.paid AND a.month = {d.add_months(em, 3)}")} AS paid3,
           {d.bool_any(f"a.paid AND a.month = {d.add_months(em, 6)}")} AS paid6,
           {d.bool_any(f"a.paid AND a.month = {d.add_months(em, 12)}")} AS paid12,
           {d.bool_any("a.paid AND a.month > ex.em")} AS paid_within12,
           sum(a.amount) FILTER (WHERE a.paid AND a.month > ex.em) AS after_sum
    FROM ex JOIN {table(AssistanceMonth)} a
         ON a.participant_id = ex.participant_id AND a.is_current
        AND a.month >= {d.add_months(em, -6)} AND a.month <= {d.add_months(em, 12)}
    GROUP BY ex.referral_id
)
SELECT r.id, r.participant_id, p.municipality_id, r.unit_id, r.district_id,
       COALESCE(ex.provider_id, fb.fb_provider), fb.fb_type, r.target_group, COALESCE(m.tier, ''),
       {age},
       CASE {bands}
            WHEN {age} < 55 THEN {literal(AgeBand.FROM_45)} ELSE {literal(AgeBand.FROM_55)} END,
       CASE WHEN {d.cast("substr(p.personal_number, 11, 1)", "int")} %% 2 = 1 THEN {literal(Gender.MALE)}
            ELSE {literal(Gender.FEMALE)} END,
       COALESCE(m.education_level, ''), COALESCE(m.swedish_level, ''), m.months_without_work,
       m.months_on_assistance,
       r.referral_date, r.plan_due_date,
       {d.local_date("r.accepted_at")},
       {d.local_date("pl.first_approved_at")},
       COALESCE(ex.exit_date, {d.local_date("r.closed_at")}),
       fb.fb_start,
       ex.exit_date, COALESCE(ex.reason, ''), ex.work_hours_per_week, COALESCE(ex.employment_form, ''),
       ex.subsidised,
       ex.municipal_labour_market_job, ex.studies_with_student_finance,
       {kolada.result_sql(d, "ex", "r")}, r.source, r.status = {literal(ReferralStatus.RETURNED)},
       fu.before_sum, COALESCE(fu.before_months, 0), COALESCE(fu.paid3, false), COALESCE(fu.paid6, false),
       COALESCE(fu.paid12, false), COALESCE(fu.paid_within12, false), COALESCE(fu.after_sum, 0), %(now)s
FROM rr AS r
JOIN {table(Participant)} p ON p.id = r.participant_id
LEFT JOIN {table(Mapping)} m ON m.referral_id = r.id
LEFT JOIN {table(ActionPlan)} pl ON pl.referral_id = r.id
LEFT JOIN ex ON ex.referral_id = r.id
LEFT JOIN fb ON fb.referral_id = r.id
LEFT JOIN fu ON fu.referral_id = r.id
"""


@functools.cache
def attendance_sql(d: Dialect) -> str:
    """INSERT … SELECT of the rollup reporting_attendancemonth, in the dialect `d`."""
    municipality = d.cast("%(municipality)s", "bigint")
    planned_day = d.divide("o.hours_per_week", "5")
    month = d.month_start("a.date")
    present = f"a.status = {literal(AttendanceStatus.PRESENT)}"
    return f"""
INSERT INTO {table(AttendanceMonth)} (
    referral_id, municipality_id, month, previous_month, days, days_present, hours_attended, hours_planned)
SELECT referral_id, municipality_id, month, lag(month) OVER (PARTITION BY referral_id ORDER BY month),
       days, days_present, hours_attended, hours_planned
FROM (
    SELECT rc.referral_id, rc.municipality_id, {month} AS month, count(*) AS days,
           count(*) FILTER (WHERE {present}) AS days_present,
           COALESCE(sum(COALESCE(a.hours, {planned_day})) FILTER (WHERE {present}), 0)
               AS hours_attended,
           COALESCE(sum(CASE WHEN {present} THEN COALESCE(a.hours, {planned_day})
                        ELSE {planned_day} END), 0) AS hours_planned
    FROM {table(AttendanceReport)} a
    JOIN {table(Booking)} b ON b.id = a.booking_id
    JOIN {table(Offering)} o ON o.id = b.offering_id
    JOIN {table(CaseRow)} rc ON rc.referral_id = b.referral_id
    WHERE {municipality} IS NULL OR rc.municipality_id = {municipality}
    GROUP BY rc.referral_id, rc.municipality_id, {month}
) AS per_month
"""


def indicators_refresh(
    *, municipality_id: int | None = None, now: datetime.datetime | None = None
) -> dict[str, int]:
    """Rebuild the rollups (reporting_case, reporting_attendancemonth) from the records — for one
    municipality,
    or for all — in one transaction (readers see the old figures until it commits). Set-based: two
    INSERT … SELECT statements. Run nightly for all, and for a municipality whenever its figures are dirty
    (`manage.py refresh_indicators [--dirty]`, and the dashboard itself when the rebuild is cheap).

    Freshness: the "dirty" marks of the municipalities rebuilt are cleared *before* the rebuild reads the
    records, so a write committed meanwhile marks them dirty again (never lost, at worst rebuilt once more);
    the figures are "as of" the start of the rebuild."""
    if not reporting_supported():
        return {"cases": 0, "attendance_months": 0}
    started = now or timezone.now()
    clock = time.perf_counter()
    scope = (
        Freshness.objects.all() if municipality_id is None else Freshness.objects.filter(pk=municipality_id)
    )
    dirty = dict(scope.filter(dirty_since__isnull=False).values_list("pk", "dirty_since"))
    scope.update(dirty_since=None)
    params = {
        "tz": settings.TIME_ZONE,
        "now": connection.ops.adapt_datetimefield_value(started),
        "municipality": municipality_id,
    }
    dialect = Dialect.of(connection.vendor)
    where = "" if municipality_id is None else " WHERE municipality_id = %(municipality)s"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.vendor == "postgresql":  # one rebuild at a time (the nightly one and a page's)
                cursor.execute("SELECT pg_advisory_xact_lock(%s, 0)", [_LOCK_SPACE])
            cursor.execute(f"DELETE FROM {table(AttendanceMonth)}" + where, params)
            cursor.execute(f"DELETE FROM {table(CaseRow)}" + where, params)
            cursor.execute(case_sql(dialect), params)
            cases = cursor.rowcount
            _judge_plan_deadlines(municipality_id)
            cursor.execute(attendance_sql(dialect), params)
            months = cursor.rowcount
            cursor.execute(
                f"SELECT municipality_id, count(*) FROM {table(CaseRow)}"
                + where
                + " GROUP BY municipality_id",
                params,
            )
            counts = dict(cursor.fetchall())
            seconds = time.perf_counter() - clock
            ids = [municipality_id] if municipality_id is not None else _municipality_ids()
            Freshness.objects.bulk_create(
                [
                    Freshness(
                        municipality_id=pk, refreshed_at=started, seconds=seconds, cases=counts.get(pk, 0)
                    )
                    for pk in ids
                ],
                update_conflicts=True,
                unique_fields=["municipality_id"],
                update_fields=["refreshed_at", "seconds", "cases"],
            )
    except Exception:
        for pk, since in dirty.items():  # the rebuild did not happen: the figures are as stale as before
            Freshness.objects.filter(pk=pk, dirty_since__isnull=True).update(dirty_since=since)
        raise
    if connection.vendor == "postgresql":
        # Free the replaced rows for the next rebuild (the rollups stay compact, so the dashboard's scans stay
        # short) and refresh the planner's statistics. VACUUM cannot run inside a transaction (tests).
        command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
        with connection.cursor() as cursor:
            cursor.execute(f"{command} {table(CaseRow)}")
            cursor.execute(f"{command} {table(AttendanceMonth)}")
    return {"cases": cases, "attendance_months": months}


def _judge_plan_deadlines(municipality_id: int | None) -> None:
    """Store the verdict of referrals.deadline on each approved plan (reporting_case.plan_in_time), so the
    dashboard and the research extract read it instead of judging the deadline again."""
    rows = CaseRow.objects.filter(approved_on__isnull=False)
    if municipality_id is not None:
        rows = rows.filter(municipality_id=municipality_id)
    rows.update(plan_in_time=approved_in_time_expression("approved_on"))


def _municipality_ids() -> list[int]:
    return list(Municipality.objects.values_list("pk", flat=True))


def indicators_mark_dirty(*, municipality_id: int | None = None, participant_id=None) -> None:
    """A write that feeds the rollups has been committed: mark the municipality's figures dirty (since now),
    unless they already are. One UPDATE that usually changes nothing; called on commit (receivers.py)."""
    scope = Freshness.objects.filter(dirty_since__isnull=True)
    if municipality_id is not None:
        scope = scope.filter(pk=municipality_id)
    elif participant_id is not None:
        scope = scope.filter(
            pk=Subquery(Participant.objects.filter(pk=participant_id).values("municipality_id")[:1])
        )
    else:
        return
    scope.update(dirty_since=timezone.now())


def indicators_ensure_fresh(*, municipality_id: int, max_seconds: float | None = None) -> Freshness:
    """Before the figures are shown: rebuild the municipality's rollups when they are dirty (or were never
    built)
    and the rebuild is cheap (its last one took under `max_seconds`, setting
    JOBBTORG_INDICATORS_INLINE_SECONDS),
    and only if no other request is rebuilding them right now. Returns the freshness to show beside the
    figures."""
    if municipality_id is None:  # a user of no municipality: only what is there, never a rebuild of all
        return Freshness(
            municipality_id=0,
            refreshed_at=Freshness.objects.aggregate(at=Min("refreshed_at"))["at"],
            dirty_since=Freshness.objects.aggregate(since=Min("dirty_since"))["since"],
        )
    limit = settings.JOBBTORG_INDICATORS_INLINE_SECONDS if max_seconds is None else max_seconds
    state = Freshness.objects.filter(pk=municipality_id).first() or Freshness(municipality_id=municipality_id)
    if not state.is_stale:
        return state
    cheap = state.seconds is not None and state.seconds <= limit
    if state.seconds is None:  # never built: cheap if the municipality is small
        cheap = (
            Referral.objects.filter(participant__municipality_id=municipality_id).count() <= INLINE_MAX_CASES
        )
    if cheap and _try_lock():
        try:
            indicators_refresh(municipality_id=municipality_id)
        finally:
            _unlock()
        state = Freshness.objects.get(pk=municipality_id)
    return state


# A municipality never rebuilt is rebuilt on the page when it has at most this many referrals.
INLINE_MAX_CASES = 5_000
_LOCK_SPACE = 0x6A6F6274  # "jobt": advisory locks of the indicator rebuilds


def _try_lock() -> bool:
    """The page does not wait for a rebuild that is already running (it shows the note instead)."""
    if connection.vendor != "postgresql":
        return True
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, 0)", [_LOCK_SPACE])
        return cursor.fetchone()[0]


def _unlock() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, 0)", [_LOCK_SPACE])


ASSIGNMENT_FIELDS = (
    "name",
    "unit",
    "funder",
    "funder_reference",
    "start_date",
    "end_date",
    "budget",
    "cost_per_participant",
    "target_group",
    "goal_participants",
    "goal_work_or_studies_percent",
    "description",
)


def _assignment_snapshot(assignment: Assignment) -> dict:
    snapshot = {name: getattr(assignment, name) for name in ASSIGNMENT_FIELDS}
    snapshot["unit"] = assignment.unit_id
    return snapshot


@transaction.atomic
def assignment_create(*, by, offerings=(), **fields) -> Assignment:
    """Record an assignment of the user's municipality (validated; audited)."""
    assignment = Assignment(municipality_id=by.municipality_id, **fields)
    assignment.full_clean()
    assignment.save()
    assignment.offerings.set(offerings)
    change_record(action="assignment_created", obj=assignment, by=by, changes={"name": assignment.name})
    return assignment


@transaction.atomic
def assignment_update(*, assignment: Assignment, by, offerings=None, **fields) -> Assignment:
    """Change an assignment's terms (funder, period, budget, goals, offerings). The figures that follow it are
    computed, never stored, so nothing else changes."""
    locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
    before = _assignment_snapshot(locked)
    before_offerings = sorted(locked.offerings.values_list("pk", flat=True))
    for name, value in fields.items():
        if name not in ASSIGNMENT_FIELDS:
            raise ValueError(f"Not a field of an assignment: {name}")
        setattr(locked, name, value)
    locked.full_clean()
    locked.save()
    changes = field_changes(before, _assignment_snapshot(locked))
    if offerings is not None:
        locked.offerings.set(offerings)
        after_offerings = sorted(locked.offerings.values_list("pk", flat=True))
        if after_offerings != before_offerings:
            changes["offerings"] = {"from": before_offerings, "to": after_offerings}
    change_record(action="assignment_changed", obj=locked, by=by, changes=changes)
    return locked


# -- figures reported to Kolada (the comparison page) ---------------------------------------------------

KOLADA_COLUMNS = {
    "kpi": ("kpi", "kpi_id", "nyckeltal", "id"),
    "year": ("period", "year", "år", "ar"),
    "value": ("value", "värde", "varde"),
    "gender": ("gender", "kön", "kon"),
}
TOTAL_GENDERS = {"", "t", "totalt", "total", "alla"}


def _decimal(text) -> Decimal | None:
    text = str(text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except ArithmeticError:
        raise ValueError(text) from None
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ValueError(text)
    return value.quantize(Decimal("0.01"))


@transaction.atomic
def reported_figures_record(
    *, by, year: int, values: dict[str, Decimal | None], origin: str = ReportedFigure.Origin.ENTERED
) -> int:
    """Record the figures the municipality reported to Kolada for `year` (KPI id → value; None removes it).
    Only KPIs the product computes are kept. Audited. Returns how many changed."""
    if not perms.can_record_reported_figures(by):
        raise PermissionDenied(gettext("Only analysts can record the figures reported to Kolada."))
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": gettext("Give a year between 2000 and 2100.")})
    known = {kpi.id for kpi in kolada.KPIS}
    changed = 0
    for kpi, value in values.items():
        if kpi not in known:
            continue
        current = ReportedFigure.objects.filter(
            municipality_id=by.municipality_id, kpi=kpi, year=year
        ).first()
        if value is None:
            if current is not None:
                current.delete()
                changed += 1
            continue
        if current is not None and current.value == value:
            continue
        ReportedFigure.objects.update_or_create(
            municipality_id=by.municipality_id,
            kpi=kpi,
            year=year,
            defaults={"value": value, "origin": origin, "recorded_by": by},
        )
        changed += 1
    if changed:
        change_record(
            action="kolada_reported_figures_recorded",
            obj=by.municipality,
            by=by,
            changes={"year": year, "origin": origin, "changed": changed},
        )
    return changed


def reported_figures_import(*, by, content: bytes) -> dict[int, int]:
    """Import figures from a Kolada CSV export (columns kpi / period / value, optionally gender — only the
    total is taken; `;` or `,` separated, decimal comma or point, UTF-8 or Windows-1252). Rows of KPIs the
    product does not compute are skipped. The whole file is refused when a row is unreadable. Returns
    {year: figures changed}."""
    import csv
    import io

    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252")
    first = text.splitlines()[0] if text.strip() else ""
    reader = csv.reader(io.StringIO(text), delimiter=";" if first.count(";") >= first.count(",") else ",")
    rows = list(reader)
    if not rows:
        raise ValidationError({"file": gettext("The file is empty.")})
    header = [h.strip().strip('"').lower() for h in rows[0]]
    where = {}
    for name, aliases in KOLADA_COLUMNS.items():
        where[name] = next((header.index(a) for a in aliases if a in header), None)
    if None in (where["kpi"], where["year"], where["value"]):
        raise ValidationError(
            {"file": gettext("The file needs the columns kpi, period and value (as Kolada exports them).")}
        )
    by_year: dict[int, dict] = {}
    errors = []
    known = {kpi.id for kpi in kolada.KPIS}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        try:
            kpi = row[where["kpi"]].strip().upper()
            if kpi not in known:
                continue
            if where["gender"] is not None and row[where["gender"]].strip().lower() not in TOTAL_GENDERS:
                continue
            year = int(row[where["year"]].strip()[:4])
            value = _decimal(row[where["value"]])
        except (IndexError, ValueError):
            errors.append(number)
            continue
        by_year.setdefault(year, {})[kpi] = value
    if errors:
        raise ValidationError(
            {"file": gettext("Unreadable rows: %(rows)s.") % {"rows": ", ".join(map(str, errors[:20]))}}
        )
    with transaction.atomic():
        return {
            year: reported_figures_record(
                by=by, year=year, values=values, origin=ReportedFigure.Origin.IMPORTED
            )
            for year, values in sorted(by_year.items())
        }
