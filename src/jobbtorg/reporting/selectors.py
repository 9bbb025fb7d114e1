"""Key indicators, computed set-based in SQL (PostgreSQL or SQLite, see reporting.sql) from the records.

A handful of aggregate queries, each built on the same `c` CTE (one row per referral that touches the period,
with the breakdown value `dim` and the facts the indicators need), grouped with GROUPING SETS so that one
query
returns the total, each month and each group of the chosen breakdown. Reads go through
`utils.db.reporting_alias()` (a read replica when configured). The definitions are in docs/indicators.md.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps
from django.conf import settings
from django.db import connections, transaction

from jobbtorg.followup.constants import EmploymentForm, ExitReason
from jobbtorg.followup.models import AssistanceMonth
from jobbtorg.interventions.constants import BookingStatus, DeliveredBy
from jobbtorg.interventions.models import Booking, InterventionType, Offering
from jobbtorg.participants.models import Participant
from jobbtorg.plans.constants import EducationLevel
from jobbtorg.utils.db import reporting_alias

from . import kolada as kolada_definitions
from .constants import Breakdown, KoladaResult
from .models import AttendanceMonth, Case
from .sql import Dialect, literal, literals, table


# SQL for each breakdown over the rollup `reporting_case` (services.indicators_refresh). Only these strings
# are
# ever put into SQL: the user's choice is a key of this mapping.
def dimensions(d: Dialect) -> dict[str, str]:
    return {
        Breakdown.UNIT: d.cast("unit_id", "text"),
        Breakdown.DISTRICT: d.cast("district_id", "text"),
        Breakdown.PROVIDER: d.cast("provider_id", "text"),
        Breakdown.TARGET_GROUP: "target_group",
        Breakdown.INTERVENTION_TYPE: d.cast("intervention_type_id", "text"),
        Breakdown.TIER: "NULLIF(tier, '')",
        Breakdown.AGE_BAND: "age_band",
        Breakdown.GENDER: "gender",
    }


DIMENSIONS: dict[str, str] = dimensions(Dialect.of("postgresql"))
NO_DIMENSION = "NULL::text"


def _dialect() -> Dialect:
    return Dialect.of(connections[reporting_alias()].vendor)


@dataclass(frozen=True)
class Scope:
    """What is counted: a period (whole days, inclusive), a municipality (None: all) and a unit (None:
    all)."""

    start: datetime.date
    end: datetime.date
    municipality_id: int | None = None
    unit_id: int | None = None
    today: datetime.date = field(default_factory=datetime.date.today)

    def params(self) -> dict:
        return {
            "start": self.start,
            "end": self.end,
            "today": self.today,
            "tz": settings.TIME_ZONE,
            "municipality": self.municipality_id,
            "unit": self.unit_id,
        }


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def months_in(scope: Scope) -> list[datetime.date]:
    months, month = [], month_start(scope.start)
    while month <= scope.end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


# -- the shared CTE ------------------------------------------------------------------------------------------


def cases_cte(dimension: str | None, d: Dialect | None = None) -> str:
    """`c`: one row per referral touching the period (referred by its end and not ended before its start),
    from
    the rollup, with the breakdown value `dim`."""
    d = d or _dialect()
    dim = dimensions(d)[dimension] if dimension else d.null("text")
    municipality, unit = d.cast("%(municipality)s", "bigint"), d.cast("%(unit)s", "bigint")
    return f"""
    c AS (
        SELECT rc.*, rc.exit_reason AS reason, rc.first_intervention_on AS fb_start, {dim} AS dim
        FROM {table(Case)} rc
        WHERE rc.referral_date <= %(end)s AND (rc.ended_on IS NULL OR rc.ended_on >= %(start)s)
          AND ({municipality} IS NULL OR rc.municipality_id = {municipality})
          AND ({unit} IS NULL OR rc.unit_id = {unit})
    )"""


GROUPS = "GROUP BY GROUPING SETS ((), (mon), (dim))"
SETS = [(), ("mon",), ("dim",)]
MON_DIM = {"mon": "mon", "dim": "dim"}

# Columns read back as dates, and as decimals (SQLite returns text and numbers for them).
DATE_COLUMNS = {"mon", "rm", "am", "pm", "xm", "sm", "endm"}
DECIMAL_COLUMNS = {
    "hours_attended",
    "hours_planned",
    "assistance_before",
    "assistance_after",
    "saved",
    "paid",
}


# Memory for the sorts and hashes of one dashboard query (the default 4 MB spills the join of the rollups to
# disk); set for the query's own transaction only.
WORK_MEM = "64MB"


def _run(sql: str, params: dict) -> list[dict]:
    connection = connections[reporting_alias()]
    with transaction.atomic(using=reporting_alias()), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(sql, params)
        names = [col[0] for col in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if connection.vendor != "postgresql":
        d = Dialect.of(connection.vendor)
        for row in rows:
            for name in DATE_COLUMNS.intersection(row):
                row[name] = d.dates(row[name])
            for name in DECIMAL_COLUMNS.intersection(row):
                row[name] = d.decimal(row[name])
    return rows


def _split(rows: list[dict]) -> dict:
    """Rows of a GROUPING SETS query into {"total": {...}, "months": {month: {...}}, "groups": {key:
    {...}}}."""
    out: dict = {"total": {}, "months": {}, "groups": {}}
    for row in rows:
        g_mon, g_dim = row.pop("g_mon"), row.pop("g_dim")
        mon, dim = row.pop("mon"), row.pop("dim")
        if g_mon and g_dim:
            out["total"] = row
        elif not g_mon:
            out["months"][mon] = row
        else:
            out["groups"][dim] = row
    return out


# -- the sections --------------------------------------------------------------------------------------------


def flow(scope: Scope, dimension: str | None = None) -> dict:
    """Referrals, accepted, plans (first approved) and exits per month; people active at each month end. One
    pass: each event counts in the grouping set of its own month; "active" is the running sum of starts
    (acceptance, or the period start for people accepted before it) and ends per month, summed in Python."""
    d = _dialect()
    i = d.int
    start_month = d.month_trunc(d.cast("%(start)s", "date"))
    first_month = d.cast(d.greatest(d.month_trunc("accepted_on"), start_month), "date")
    select = f"""
           count(*) FILTER (WHERE referral_date BETWEEN %(start)s AND %(end)s){i} AS referrals,
           count(*) FILTER (WHERE accepted_on BETWEEN %(start)s AND %(end)s){i} AS accepted,
           count(*) FILTER (WHERE approved_on BETWEEN %(start)s AND %(end)s){i} AS plans,
           count(*) FILTER (WHERE exit_date BETWEEN %(start)s AND %(end)s){i} AS exits,
           count(*){i} AS n"""
    keys = {k: k for k in ("rm", "am", "pm", "xm", "sm", "endm", "dim")}
    sets = [(), ("dim",), ("rm",), ("am",), ("pm",), ("xm",), ("sm", "dim"), ("endm", "dim")]
    sql = f"""
    WITH {cases_cte(dimension, d)},
    x AS (
        SELECT dim, referral_date, accepted_on, approved_on, exit_date, ended_on,
               {d.month_start("referral_date")} AS rm, {d.month_start("accepted_on")} AS am,
               {d.month_start("approved_on")} AS pm, {d.month_start("exit_date")} AS xm,
               CASE WHEN accepted_on <= %(end)s THEN {first_month} END AS sm,
               CASE WHEN accepted_on <= %(end)s AND ended_on <= %(end)s
                    THEN {d.month_start("ended_on")} END AS endm
        FROM c
    )
    {d.grouping_sets(keys, sets, select, "FROM x")}"""
    result: dict = {"total": {}, "months": {}, "groups": {}}
    months = months_in(scope)
    period = set(months)
    deltas: dict = {}
    own = {"rm": "referrals", "am": "accepted", "pm": "plans", "xm": "exits"}
    for row in _run(sql, scope.params()):
        counts = {key: row[key] for key in ("referrals", "accepted", "plans", "exits")}
        if row["g_dim"] == 0 and row["g_sm"] == 0:
            if row["sm"] is not None:
                deltas.setdefault(row["dim"], {}).setdefault(row["sm"], 0)
                deltas[row["dim"]][row["sm"]] += row["n"]
        elif row["g_dim"] == 0 and row["g_endm"] == 0:
            if row["endm"] is not None:
                deltas.setdefault(row["dim"], {}).setdefault(row["endm"], 0)
                deltas[row["dim"]][row["endm"]] -= row["n"]
        elif row["g_dim"] == 0:
            result["groups"][row["dim"]] = counts
        elif all(row[f"g_{key}"] for key in own):
            result["total"] = counts
        else:
            key = next(k for k in own if row[f"g_{k}"] == 0)
            if row[key] in period:
                result["months"].setdefault(row[key], {})[own[key]] = counts[own[key]]
    for month in months:
        row = result["months"].setdefault(month, {})
        for name in own.values():
            row.setdefault(name, 0)
    totals = dict.fromkeys(months, 0)
    for dim, by_month in deltas.items():
        running = 0
        for month in months:
            running += by_month.get(month, 0)
            totals[month] += running
        if dimension:
            result["groups"].setdefault(dim, {})["active"] = running
    for month in months:
        result["months"][month]["active"] = totals[month]
    result["total"]["active"] = totals[months[-1]] if months else 0
    return result


def guarantee(scope: Scope, dimension: str | None = None) -> dict:
    """The five-day guarantee, for the referrals of the period (by referral month)."""
    d = _dialect()
    i = d.int
    select = f"""
           count(*) FILTER (WHERE plan_in_time IS NOT NULL OR plan_due_date < %(today)s){i} AS due,
           count(*) FILTER (WHERE plan_in_time){i} AS in_time,
           count(approved_on){i} AS approved,
           {d.median(d.days("approved_on", "referral_date"))} AS median_days_to_plan,
           count(fb_start){i} AS started,
           {d.median(d.days("fb_start", "referral_date"))} AS median_days_to_intervention"""
    source = f"""    FROM (SELECT *, {d.month_start("referral_date")} AS mon FROM c
          WHERE referral_date BETWEEN %(start)s AND %(end)s AND accepted_on IS NOT NULL) AS cohort"""
    sql = f"""
    WITH {cases_cte(dimension, d)}
    {d.grouping_sets(MON_DIM, SETS, select, source)}"""
    return _split(_run(sql, scope.params()))


def results(scope: Scope, dimension: str | None = None) -> dict:
    """Exits of the period by reason and kind of work; assistance 3, 6 and 12 months after; money before and
    after; time in the programme at exit (Kolada U40820–U40823)."""
    d = _dialect()
    i = d.int
    observed = d.least("12", d.greatest("0", d.age_months("last.last_month", "ex.em")))
    work, studies = literal(ExitReason.WORK), literal(ExitReason.STUDIES)
    permanent, fixed_term = literal(EmploymentForm.PERMANENT), literal(EmploymentForm.FIXED_TERM)
    hourly, self_employed = literal(EmploymentForm.HOURLY), literal(EmploymentForm.SELF_EMPLOYED)
    select = f"""count(*){i} AS exits,
           count(*) FILTER (WHERE reason = {work}){i} AS work,
           count(*) FILTER (WHERE kolada_result = {literal(KoladaResult.WORK)}){i} AS work_kolada,
           count(*) FILTER (WHERE reason = {work} AND municipal_labour_market_job){i} AS work_municipal_job,
           count(*) FILTER (WHERE reason = {work} AND work_hours_per_week >= 40){i} AS work_full_time,
           count(*) FILTER (WHERE reason = {work} AND subsidised){i} AS work_subsidised,
           count(*) FILTER (WHERE reason = {work} AND employment_form = {permanent}){i} AS work_permanent,
           count(*) FILTER (WHERE reason = {work} AND employment_form = {fixed_term}){i} AS work_fixed_term,
           count(*) FILTER (WHERE reason = {work} AND employment_form = {hourly}){i} AS work_hourly,
           count(*) FILTER (WHERE reason = {work} AND employment_form = {self_employed}){i} AS
               work_self_employed,
           count(*) FILTER (WHERE reason = {studies}){i} AS studies,
           count(*) FILTER (WHERE kolada_result = {literal(KoladaResult.STUDIES)}){i} AS studies_kolada,
           count(*) FILTER (WHERE reason = {literal(ExitReason.OTHER_SUPPORT)}){i} AS other_support,
           count(*) FILTER (WHERE reason = {literal(ExitReason.COMPLETED)}){i} AS completed,
           count(*) FILTER (WHERE reason = {literal(ExitReason.MOVED)}){i} AS moved,
           count(*) FILTER (WHERE reason = {literal(ExitReason.INTERRUPTED)}){i} AS interrupted,
           count(*) FILTER (WHERE reason = {literal(ExitReason.OTHER)}){i} AS other,
           count(*) FILTER (WHERE followed AND observed >= 3){i} AS fu3_n,
           count(*) FILTER (WHERE followed AND observed >= 3 AND NOT COALESCE(paid3, false)){i} AS fu3_ok,
           count(*) FILTER (WHERE followed AND observed >= 6){i} AS fu6_n,
           count(*) FILTER (WHERE followed AND observed >= 6 AND NOT COALESCE(paid6, false)){i} AS fu6_ok,
           count(*) FILTER (WHERE followed AND observed >= 12){i} AS fu12_n,
           count(*) FILTER (WHERE followed AND observed >= 12 AND NOT COALESCE(paid12, false)){i} AS
               fu12_ok,
           count(*) FILTER (WHERE followed AND observed >= 12 AND NOT COALESCE(paid_within12, false)){i}
               AS not_back_12,
           count(*) FILTER (WHERE followed){i} AS on_assistance,
           COALESCE(sum(before_sum) FILTER (WHERE followed), 0) AS assistance_before,
           COALESCE(sum(after_sum) FILTER (WHERE followed), 0) AS assistance_after,
           COALESCE(sum(observed) FILTER (WHERE followed), 0){i} AS months_after,
           COALESCE(sum({d.divide("before_sum", "6")} * observed - after_sum) FILTER (WHERE followed), 0)
               AS saved,
           {d.median(d.days("exit_date", "accepted_on"))} AS median_days_to_exit,
           count(*) FILTER (WHERE exit_date < {d.add_months("accepted_on", 3)}){i} AS dur_lt3,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 3)}
                            AND exit_date < {d.add_months("accepted_on", 6)}){i} AS dur_3_6,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 6)}
                            AND exit_date < {d.add_months("accepted_on", 24)}){i} AS dur_6_24,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 24)}){i} AS dur_gt24"""
    sql = f"""
    WITH {cases_cte(dimension, d)},
    last AS (SELECT max(month) AS last_month FROM {table(AssistanceMonth)} WHERE is_current),
    ex AS (SELECT c.*, {d.month_start("c.exit_date")} AS em FROM c
           WHERE c.exit_date BETWEEN %(start)s AND %(end)s),
    x AS (
        SELECT ex.*, ex.assistance_before AS before_sum, ex.paid_3 AS paid3, ex.paid_6 AS paid6,
               ex.paid_12 AS paid12, ex.paid_within_12 AS paid_within12, ex.assistance_after AS after_sum,
               (ex.assistance_before_months > 0 AND ex.reason <> {literal(ExitReason.MOVED)}) AS followed,
               {observed} AS observed
        FROM ex CROSS JOIN last
    )
    {d.grouping_sets(MON_DIM, SETS, select, "    FROM (SELECT *, em AS mon FROM x) AS x2")}"""
    return _split(_run(sql, scope.params()))


def people(scope: Scope, dimension: str | None = None) -> dict:
    """Who took part in the period (accepted by its end, not ended before its start), their mix (Kolada
    U40800, U40811–U40819, U40827), time in the programme, and lock-in in internal work training."""
    d = _dialect()
    i = d.int
    end = d.cast("%(end)s", "date")
    internal = literals(DeliveredBy.JOBBTORG, DeliveredBy.CITY)
    taken_up = literals(BookingStatus.BOOKED, BookingStatus.ENDED)
    post_secondary = literals(EducationLevel.POST_SECONDARY, EducationLevel.UNIVERSITY)
    upper_secondary, compulsory = literal(EducationLevel.UPPER_SECONDARY), literal(EducationLevel.COMPULSORY)
    no_school, unknown = literal(EducationLevel.NONE), literal(EducationLevel.UNKNOWN)
    source = "    FROM s WHERE ended_on IS NULL OR ended_on >= %(start)s"
    select = f"""           1 AS g_mon, {d.null("date")} AS mon,
           count(*){i} AS served,
           count(DISTINCT participant_id){i} AS served_people,
           count(*) FILTER (WHERE referral_date BETWEEN %(start)s AND %(end)s){i} AS referred,
           count(*) FILTER (WHERE age <= 24){i} AS age_le24,
           count(*) FILTER (WHERE age >= 25){i} AS age_ge25,
           count(*) FILTER (WHERE education_level IN {post_secondary}){i} AS
               edu_post_secondary,
           count(*) FILTER (WHERE education_level = {upper_secondary}){i} AS edu_upper_secondary,
           count(*) FILTER (WHERE education_level = {compulsory}){i} AS edu_compulsory,
           count(*) FILTER (WHERE education_level = {no_school}){i} AS edu_none,
           count(*) FILTER (WHERE education_level IN ('', {unknown})){i} AS edu_unknown,
           count(*) FILTER (WHERE months_without_work < 6){i} AS nowork_lt6,
           count(*) FILTER (WHERE months_without_work BETWEEN 6 AND 24){i} AS nowork_6_24,
           count(*) FILTER (WHERE months_without_work > 24 OR months_without_work IS NULL){i} AS
               nowork_gt24,
           {d.median(d.days(d.least("COALESCE(ended_on, %(end)s)", "%(end)s"), "accepted_on"))}
               AS median_days_in_programme,
           count(*) FILTER (WHERE active_at_end){i} AS active_at_end,
           count(*) FILTER (WHERE active_at_end AND wt_start IS NOT NULL){i} AS in_work_training,
           count(*) FILTER (WHERE active_at_end AND wt_start <= {d.add_months(end, -6)}){i}
               AS locked_6,
           count(*) FILTER (WHERE active_at_end AND wt_start <= {d.add_months(end, -12)}){i}
               AS locked_12"""
    sql = f"""
    WITH {cases_cte(dimension, d)},
    wt AS (
        SELECT b.referral_id, min(b.start_date) AS wt_start
        FROM {table(Booking)} b
        JOIN {table(Offering)} o ON o.id = b.offering_id
        JOIN {table(InterventionType)} t ON t.id = o.intervention_type_id
        WHERE t.is_work_training AND o.delivered_by IN {internal} AND b.status IN {taken_up}
          AND b.start_date <= %(end)s AND (b.end_date IS NULL OR b.end_date >= %(end)s)
          AND NOT EXISTS (
              SELECT 1 FROM {table(Booking)} nxt
              WHERE nxt.referral_id = b.referral_id AND nxt.status IN {taken_up}
                AND nxt.start_date > b.start_date AND nxt.start_date <= %(end)s AND nxt.offering_id <>
                    b.offering_id)
        GROUP BY b.referral_id
    ),
    s AS (
        SELECT c.*, wt.wt_start, (c.ended_on IS NULL OR c.ended_on > %(end)s) AS active_at_end
        FROM c LEFT JOIN wt ON wt.referral_id = c.referral_id
        WHERE c.accepted_on <= %(end)s
    )
    {d.grouping_sets({"dim": "dim"}, [(), ("dim",)], select, source)}"""
    return _split(_run(sql, scope.params()))


def attendance(scope: Scope, dimension: str | None = None) -> dict:
    """Share of planned hours attended (from the rollup reporting_attendancemonth), in one pass. A present day
    counts its reported hours (or a planned day when none were given); an absent day counts a planned day: the
    offering's hours per week / 5. People: a referral counts once, in the row of its first month with
    attendance in the period (`previous_month` before the period)."""
    d = _dialect()
    i = d.int
    municipality = d.cast("%(municipality)s", "bigint")
    select = f"""
           count(*) FILTER (WHERE previous_month IS NULL OR previous_month < %(start_month)s){i} AS people,
           count(*){i} AS people_in_month,
           sum(days){i} AS days, sum(days_present){i} AS days_present,
           COALESCE(sum(hours_attended), 0) AS hours_attended, COALESCE(sum(hours_planned), 0) AS
               hours_planned"""
    source = f"""    FROM {table(AttendanceMonth)} am JOIN c ON c.referral_id = am.referral_id
    WHERE am.month BETWEEN %(start_month)s AND %(end)s
      AND ({municipality} IS NULL OR am.municipality_id = {municipality})"""
    sql = f"""
    WITH {cases_cte(dimension, d)}
    {d.grouping_sets({"mon": "month", "dim": "dim"}, SETS, select, source)}"""
    out = _split(_run(sql, {**scope.params(), "start_month": month_start(scope.start)}))
    for row in out["months"].values():
        row["people"] = row["people_in_month"]
    return out


def payments(scope: Scope, dimension: str | None = None) -> dict:
    """Provider payments of the period (payment lines by the month they pay for). Empty when the payments app
    or its tables are missing, so reporting never depends on it."""
    empty = {"total": {"paid": Decimal("0"), "paid_people": 0}, "months": {}, "groups": {}}
    if not apps.is_installed("jobbtorg.payments"):
        return empty
    lines = table(apps.get_model("payments", "PaymentLine"))
    connection = connections[reporting_alias()]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if lines not in tables:
        return empty
    d = Dialect.of(connection.vendor)
    dim = d.cast("pl.provider_id", "text") if dimension == Breakdown.PROVIDER else "c.dim"
    select = f"""
           COALESCE(sum(amount), 0) AS paid, count(DISTINCT participant_id){d.int} AS paid_people"""
    source = f"""    FROM (SELECT pl.amount, pl.participant_id, pl.period_month AS mon, {dim} AS dim
          FROM {lines} pl
          JOIN c ON c.referral_id = pl.referral_id
          WHERE pl.period_month BETWEEN {d.month_trunc(d.cast("%(start)s", "date"))} AND %(end)s) AS lines"""
    sql = f"""
    WITH {cases_cte(dimension, d)}
    {d.grouping_sets(MON_DIM, SETS, select, source)}"""
    out = _split(_run(sql, scope.params()))
    out["total"] = out["total"] or empty["total"]
    return out


def kolada(scope: Scope) -> dict[str, int]:
    """The counts the Kolada figures rest on (kolada.KPIS), for the scope's total, counting people: the
    programme exits of the period (one per person: the last), the people served (one per person: the latest
    referral), the referrals of the period by source, and the ends of assistance of the period (U31462)."""
    d = _dialect()
    i = d.int
    params = scope.params()
    results = ",\n           ".join(
        f"count(*) FILTER (WHERE kolada_result = {literal(result)}){i} AS {name}"
        for result, name in kolada_definitions.RESULT_COUNTS.items()
    )
    sql = f"""
    WITH {cases_cte(None, d)},
    k AS (
        SELECT c.*, ROW_NUMBER() OVER (PARTITION BY participant_id ORDER BY exit_date DESC, referral_id DESC)
               AS nth
        FROM c WHERE kolada_result <> {literal(KoladaResult.NONE)} AND exit_date BETWEEN %(start)s AND %(end)s
    )
    SELECT count(*){i} AS exits,
           {results},
           count(*) FILTER (WHERE exit_date < {d.add_months("accepted_on", 3)}){i} AS dur_lt3,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 3)}
                            AND exit_date < {d.add_months("accepted_on", 6)}){i} AS dur_3_6,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 6)}
                            AND exit_date < {d.add_months("accepted_on", 24)}){i} AS dur_6_24,
           count(*) FILTER (WHERE exit_date >= {d.add_months("accepted_on", 24)}){i} AS dur_gt24
    FROM k WHERE nth = 1"""
    out = _run(sql, params)[0]
    post_secondary = literals(EducationLevel.POST_SECONDARY, EducationLevel.UNIVERSITY)
    known_levels = literals(*(level for level in EducationLevel if level != EducationLevel.UNKNOWN))
    sql = f"""
    WITH {cases_cte(None, d)},
    p AS (
        SELECT c.*,
               ROW_NUMBER() OVER (PARTITION BY participant_id ORDER BY referral_date DESC, referral_id DESC)
               AS nth
        FROM c WHERE accepted_on <= %(end)s
    )
    SELECT count(*){i} AS served,
           count(*) FILTER (WHERE age <= 24){i} AS age_le24,
           count(*) FILTER (WHERE age >= 25){i} AS age_ge25,
           count(*) FILTER (WHERE education_level IN {post_secondary}){i} AS edu_post_secondary,
           count(*) FILTER (WHERE education_level = {literal(EducationLevel.UPPER_SECONDARY)}){i}
               AS edu_upper_secondary,
           count(*) FILTER (WHERE education_level = {literal(EducationLevel.COMPULSORY)}){i}
               AS edu_compulsory,
           count(*) FILTER (WHERE education_level = {literal(EducationLevel.NONE)}){i} AS edu_none,
           count(*) FILTER (WHERE education_level NOT IN {known_levels}){i} AS edu_unknown,
           count(months_without_work){i} AS nowork_known,
           count(*) FILTER (WHERE months_without_work < 6){i} AS nowork_lt6,
           count(*) FILTER (WHERE months_without_work BETWEEN 6 AND 24){i} AS nowork_6_24,
           count(*) FILTER (WHERE months_without_work > 24){i} AS nowork_gt24
    FROM p WHERE nth = 1"""
    out.update(_run(sql, params)[0])
    sources = ",\n           ".join(
        f"count(*) FILTER (WHERE source = {literal(source)}){i} AS {name}"
        for source, name in kolada_definitions.SOURCE_COUNTS.items()
    )
    sql = f"""
    WITH {cases_cte(None, d)}
    SELECT count(*){i} AS referrals, count(DISTINCT participant_id){i} AS referred_people,
           {sources}
    FROM c WHERE referral_date BETWEEN %(start)s AND %(end)s AND NOT returned"""
    out.update(_run(sql, params)[0])
    out.update(assistance_ends(scope))
    return {key: value or 0 for key, value in out.items()}


def assistance_ends(scope: Scope) -> dict[str, int]:
    """Kolada U31462 (kolada.KPIS): the adults (18+) among the people of the municipality's (or the unit's)
    referrals whose social assistance ended in the period — a paid month in the period followed by an
    imported month without payment — counted once (their first end); of those whose 12 following months are
    imported, how many were not paid assistance in any of them. Ends whose year is not yet imported make the
    figure preliminary."""
    d = _dialect()
    i = d.int
    municipality, unit = d.cast("%(municipality)s", "bigint"), d.cast("%(unit)s", "bigint")
    assistance = table(AssistanceMonth)
    sql = f"""
    WITH last AS (SELECT max(month) AS last_month FROM {assistance} WHERE is_current),
    paid AS (
        SELECT a.participant_id, a.month FROM {assistance} a
        WHERE a.is_current AND a.paid AND EXISTS (
            SELECT 1 FROM {table(Case)} rc WHERE rc.participant_id = a.participant_id
              AND ({municipality} IS NULL OR rc.municipality_id = {municipality})
              AND ({unit} IS NULL OR rc.unit_id = {unit}))
    ),
    ends AS (
        SELECT p.participant_id, p.month AS last_paid,
               ROW_NUMBER() OVER (PARTITION BY p.participant_id ORDER BY p.month) AS nth
        FROM paid p CROSS JOIN last
        WHERE p.month BETWEEN {d.month_trunc(d.cast("%(start)s", "date"))} AND %(end)s
          AND {d.add_months("p.month", 1)} <= last.last_month
          AND NOT EXISTS (SELECT 1 FROM paid n WHERE n.participant_id = p.participant_id
                          AND n.month = {d.add_months("p.month", 1)})
    ),
    e AS (
        SELECT ends.*, {d.add_months("ends.last_paid", 12)} <= last.last_month AS known,
               EXISTS (SELECT 1 FROM paid n WHERE n.participant_id = ends.participant_id
                       AND n.month > ends.last_paid AND n.month <= {d.add_months("ends.last_paid", 12)})
                   AS back
        FROM ends CROSS JOIN last
        JOIN {table(Participant)} pp ON pp.id = ends.participant_id
        WHERE ends.nth = 1 AND {d.age_years("ends.last_paid", "pp.birth_date")} >= {ADULT_AGE}
    )
    SELECT count(*) FILTER (WHERE known){i} AS assistance_ended_known,
           count(*) FILTER (WHERE NOT known){i} AS assistance_ended_pending,
           count(*) FILTER (WHERE known AND NOT back){i} AS assistance_not_back
    FROM e"""
    return _run(sql, scope.params())[0]


# "Vuxna" in Kolada's U31462: people aged 18 or over.
ADULT_AGE = 18


def dashboard(scope: Scope, dimension: str | None = None) -> dict:
    """Every section of the dashboard for one scope and breakdown."""
    return {
        "flow": flow(scope, dimension),
        "guarantee": guarantee(scope, dimension),
        "results": results(scope, dimension),
        "people": people(scope, dimension),
        "attendance": attendance(scope, dimension),
        "payments": payments(scope, dimension),
    }
