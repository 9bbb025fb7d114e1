"""Key indicators, computed set-based in PostgreSQL from the records (never typed in).

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

from django.conf import settings
from django.db import connections, transaction

from jobbtorg.utils.db import reporting_alias

from .constants import Breakdown

# SQL for each breakdown over the rollup `reporting_case` (services.indicators_refresh). Only these strings
# are
# ever put into SQL: the user's choice is a key of this mapping.
DIMENSIONS: dict[str, str] = {
    Breakdown.UNIT: "unit_id::text",
    Breakdown.DISTRICT: "district_id::text",
    Breakdown.PROVIDER: "provider_id::text",
    Breakdown.TARGET_GROUP: "target_group",
    Breakdown.INTERVENTION_TYPE: "intervention_type_id::text",
    Breakdown.TIER: "NULLIF(tier, '')",
    Breakdown.AGE_BAND: "age_band",
    Breakdown.GENDER: "gender",
}
NO_DIMENSION = "NULL::text"


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


def cases_cte(dimension: str | None) -> str:
    """`c`: one row per referral touching the period (referred by its end and not ended before its start),
    from
    the rollup, with the breakdown value `dim`."""
    dim = DIMENSIONS[dimension] if dimension else NO_DIMENSION
    return f"""
    c AS (
        SELECT rc.*, rc.exit_reason AS reason, rc.first_intervention_on AS fb_start, {dim} AS dim
        FROM reporting_case rc
        WHERE rc.referral_date <= %(end)s AND (rc.ended_on IS NULL OR rc.ended_on >= %(start)s)
          AND (%(municipality)s::bigint IS NULL OR rc.municipality_id = %(municipality)s::bigint)
          AND (%(unit)s::bigint IS NULL OR rc.unit_id = %(unit)s::bigint)
    )"""


GROUPS = "GROUP BY GROUPING SETS ((), (mon), (dim))"


# Memory for the sorts and hashes of one dashboard query (the default 4 MB spills the join of the rollups to
# disk); set for the query's own transaction only.
WORK_MEM = "64MB"


def _run(sql: str, params: dict) -> list[dict]:
    with transaction.atomic(using=reporting_alias()), connections[reporting_alias()].cursor() as cursor:
        cursor.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        cursor.execute(sql, params)
        names = [col.name for col in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
    sql = f"""
    WITH {cases_cte(dimension)},
    x AS (
        SELECT dim, referral_date, accepted_on, approved_on, exit_date, ended_on,
               date_trunc('month', referral_date)::date AS rm, date_trunc('month', accepted_on)::date AS am,
               date_trunc('month', approved_on)::date AS pm, date_trunc('month', exit_date)::date AS xm,
               CASE WHEN accepted_on <= %(end)s THEN GREATEST(date_trunc('month', accepted_on),
                                                              date_trunc('month', %(start)s::date))::date END
                                                              AS sm,
               CASE WHEN accepted_on <= %(end)s AND ended_on <= %(end)s
                    THEN date_trunc('month', ended_on)::date END AS endm
        FROM c
    )
    SELECT GROUPING(rm) AS g_rm, GROUPING(am) AS g_am, GROUPING(pm) AS g_pm, GROUPING(xm) AS g_xm,
           GROUPING(sm) AS g_sm, GROUPING(endm) AS g_endm, GROUPING(dim) AS g_dim,
           rm, am, pm, xm, sm, endm, dim,
           count(*) FILTER (WHERE referral_date BETWEEN %(start)s AND %(end)s)::int AS referrals,
           count(*) FILTER (WHERE accepted_on BETWEEN %(start)s AND %(end)s)::int AS accepted,
           count(*) FILTER (WHERE approved_on BETWEEN %(start)s AND %(end)s)::int AS plans,
           count(*) FILTER (WHERE exit_date BETWEEN %(start)s AND %(end)s)::int AS exits,
           count(*)::int AS n
    FROM x
    GROUP BY GROUPING SETS ((), (dim), (rm), (am), (pm), (xm), (sm, dim), (endm, dim))"""
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
    sql = f"""
    WITH {cases_cte(dimension)}
    SELECT GROUPING(mon) AS g_mon, GROUPING(dim) AS g_dim, mon, dim,
           count(*) FILTER (WHERE approved_on IS NOT NULL OR plan_due_date < %(today)s)::int AS due,
           count(*) FILTER (WHERE approved_on <= plan_due_date)::int AS in_time,
           count(approved_on)::int AS approved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY approved_on - referral_date) AS median_days_to_plan,
           count(fb_start)::int AS started,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY fb_start - referral_date) AS
           median_days_to_intervention
    FROM (SELECT *, date_trunc('month', referral_date)::date AS mon FROM c
          WHERE referral_date BETWEEN %(start)s AND %(end)s AND accepted_on IS NOT NULL) AS cohort
    {GROUPS}"""
    return _split(_run(sql, scope.params()))


def results(scope: Scope, dimension: str | None = None) -> dict:
    """Exits of the period by reason and kind of work; assistance 3, 6 and 12 months after; money before and
    after; time in the programme at exit (Kolada U40820–U40823)."""
    sql = f"""
    WITH {cases_cte(dimension)},
    last AS (SELECT max(month) AS last_month FROM followup_assistancemonth WHERE is_current),
    ex AS (SELECT c.*, date_trunc('month', c.exit_date)::date AS em FROM c
           WHERE c.exit_date BETWEEN %(start)s AND %(end)s),
    x AS (
        SELECT ex.*, ex.assistance_before AS before_sum, ex.paid_3 AS paid3, ex.paid_6 AS paid6,
               ex.paid_12 AS paid12, ex.paid_within_12 AS paid_within12, ex.assistance_after AS after_sum,
               (ex.assistance_before_months > 0 AND ex.reason <> 'moved') AS followed,
               LEAST(12, GREATEST(0, (date_part('year', age(last.last_month, ex.em)) * 12
                                      + date_part('month', age(last.last_month, ex.em)))::int)) AS observed
        FROM ex CROSS JOIN last
    )
    SELECT GROUPING(mon) AS g_mon, GROUPING(dim) AS g_dim, mon, dim,
           count(*)::int AS exits,
           count(*) FILTER (WHERE reason = 'work')::int AS work,
           count(*) FILTER (WHERE reason = 'work' AND NOT municipal_labour_market_job)::int AS work_kolada,
           count(*) FILTER (WHERE reason = 'work' AND municipal_labour_market_job)::int AS work_municipal_job,
           count(*) FILTER (WHERE reason = 'work' AND work_hours_per_week >= 40)::int AS work_full_time,
           count(*) FILTER (WHERE reason = 'work' AND subsidised)::int AS work_subsidised,
           count(*) FILTER (WHERE reason = 'work' AND employment_form = 'permanent')::int AS work_permanent,
           count(*) FILTER (WHERE reason = 'work' AND employment_form = 'fixed_term')::int AS work_fixed_term,
           count(*) FILTER (WHERE reason = 'work' AND employment_form = 'hourly')::int AS work_hourly,
           count(*) FILTER (WHERE reason = 'work' AND employment_form = 'self_employed')::int AS
               work_self_employed,
           count(*) FILTER (WHERE reason = 'studies')::int AS studies,
           count(*) FILTER (WHERE reason = 'studies' AND studies_with_student_finance)::int AS studies_kolada,
           count(*) FILTER (WHERE reason = 'other_support')::int AS other_support,
           count(*) FILTER (WHERE reason = 'completed')::int AS completed,
           count(*) FILTER (WHERE reason = 'moved')::int AS moved,
           count(*) FILTER (WHERE reason = 'interrupted')::int AS interrupted,
           count(*) FILTER (WHERE reason = 'other')::int AS other,
           count(*) FILTER (WHERE followed AND observed >= 3)::int AS fu3_n,
           count(*) FILTER (WHERE followed AND observed >= 3 AND NOT COALESCE(paid3, false))::int AS fu3_ok,
           count(*) FILTER (WHERE followed AND observed >= 6)::int AS fu6_n,
           count(*) FILTER (WHERE followed AND observed >= 6 AND NOT COALESCE(paid6, false))::int AS fu6_ok,
           count(*) FILTER (WHERE followed AND observed >= 12)::int AS fu12_n,
           count(*) FILTER (WHERE followed AND observed >= 12 AND NOT COALESCE(paid12, false))::int AS
               fu12_ok,
           count(*) FILTER (WHERE followed AND observed >= 12 AND NOT COALESCE(paid_within12, false))::int
               AS not_back_12,
           count(*) FILTER (WHERE followed)::int AS on_assistance,
           COALESCE(sum(before_sum) FILTER (WHERE followed), 0) AS assistance_before,
           COALESCE(sum(after_sum) FILTER (WHERE followed), 0) AS assistance_after,
           COALESCE(sum(observed) FILTER (WHERE followed), 0)::int AS months_after,
           COALESCE(sum(before_sum / 6 * observed - after_sum) FILTER (WHERE followed), 0) AS saved,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY exit_date - accepted_on) AS median_days_to_exit,
           count(*) FILTER (WHERE exit_date < (accepted_on + interval '3 months')::date)::int AS dur_lt3,
           count(*) FILTER (WHERE exit_date >= (accepted_on + interval '3 months')::date
                            AND exit_date < (accepted_on + interval '6 months')::date)::int AS dur_3_6,
           count(*) FILTER (WHERE exit_date >= (accepted_on + interval '6 months')::date
                            AND exit_date < (accepted_on + interval '24 months')::date)::int AS dur_6_24,
           count(*) FILTER (WHERE exit_date >= (accepted_on + interval '24 months')::date)::int AS dur_gt24
    FROM (SELECT *, em AS mon FROM x) AS x2
    {GROUPS}"""
    return _split(_run(sql, scope.params()))


def people(scope: Scope, dimension: str | None = None) -> dict:
    """Who took part in the period (accepted by its end, not ended before its start), their mix (Kolada
    U40800, U40811–U40819, U40827), time in the programme, and lock-in in internal work training."""
    sql = f"""
    WITH {cases_cte(dimension)},
    wt AS (
        SELECT b.referral_id, min(b.start_date) AS wt_start
        FROM interventions_booking b
        JOIN interventions_offering o ON o.id = b.offering_id
        JOIN interventions_interventiontype t ON t.id = o.intervention_type_id
        WHERE t.is_work_training AND o.delivered_by IN ('jobbtorg', 'city') AND b.status IN ('booked',
            'ended')
          AND b.start_date <= %(end)s AND (b.end_date IS NULL OR b.end_date >= %(end)s)
          AND NOT EXISTS (
              SELECT 1 FROM interventions_booking nxt
              WHERE nxt.referral_id = b.referral_id AND nxt.status IN ('booked', 'ended')
                AND nxt.start_date > b.start_date AND nxt.start_date <= %(end)s AND nxt.offering_id <>
                    b.offering_id)
        GROUP BY b.referral_id
    ),
    s AS (
        SELECT c.*, wt.wt_start, (c.ended_on IS NULL OR c.ended_on > %(end)s) AS active_at_end
        FROM c LEFT JOIN wt ON wt.referral_id = c.referral_id
        WHERE c.accepted_on <= %(end)s
    )
    SELECT 1 AS g_mon, GROUPING(dim) AS g_dim, NULL::date AS mon, dim,
           count(*)::int AS served,
           count(DISTINCT participant_id)::int AS served_people,
           count(*) FILTER (WHERE referral_date BETWEEN %(start)s AND %(end)s)::int AS referred,
           count(*) FILTER (WHERE age <= 24)::int AS age_le24,
           count(*) FILTER (WHERE age >= 25)::int AS age_ge25,
           count(*) FILTER (WHERE education_level IN ('post_secondary', 'university'))::int AS
               edu_post_secondary,
           count(*) FILTER (WHERE education_level = 'upper_secondary')::int AS edu_upper_secondary,
           count(*) FILTER (WHERE education_level = 'compulsory')::int AS edu_compulsory,
           count(*) FILTER (WHERE education_level = 'none')::int AS edu_none,
           count(*) FILTER (WHERE education_level IN ('', 'unknown'))::int AS edu_unknown,
           count(*) FILTER (WHERE months_without_work < 6)::int AS nowork_lt6,
           count(*) FILTER (WHERE months_without_work BETWEEN 6 AND 24)::int AS nowork_6_24,
           count(*) FILTER (WHERE months_without_work > 24 OR months_without_work IS NULL)::int AS
               nowork_gt24,
           percentile_cont(0.5) WITHIN GROUP (ORDER BY LEAST(COALESCE(ended_on, %(end)s), %(end)s) -
           accepted_on)
               AS median_days_in_programme,
           count(*) FILTER (WHERE active_at_end)::int AS active_at_end,
           count(*) FILTER (WHERE active_at_end AND wt_start IS NOT NULL)::int AS in_work_training,
           count(*) FILTER (WHERE active_at_end AND wt_start <= (%(end)s::date - interval '6
               months')::date)::int
               AS locked_6,
           count(*) FILTER (WHERE active_at_end AND wt_start <= (%(end)s::date - interval '12
               months')::date)::int
               AS locked_12
    FROM s WHERE ended_on IS NULL OR ended_on >= %(start)s
    GROUP BY GROUPING SETS ((), (dim))"""
    return _split(_run(sql, scope.params()))


def attendance(scope: Scope, dimension: str | None = None) -> dict:
    """Share of planned hours attended (from the rollup reporting_attendancemonth), in one pass. A present day
    counts its reported hours (or a planned day when none were given); an absent day counts a planned day: the
    offering's hours per week / 5. People: a referral counts once, in the row of its first month with
    attendance in the period (`previous_month` before the period)."""
    sql = f"""
    WITH {cases_cte(dimension)}
    SELECT GROUPING(month) AS g_mon, GROUPING(dim) AS g_dim, month AS mon, dim,
           count(*) FILTER (WHERE previous_month IS NULL OR previous_month < %(start_month)s)::int AS people,
           count(*)::int AS people_in_month,
           sum(days)::int AS days, sum(days_present)::int AS days_present,
           COALESCE(sum(hours_attended), 0) AS hours_attended, COALESCE(sum(hours_planned), 0) AS
               hours_planned
    FROM reporting_attendancemonth am JOIN c ON c.referral_id = am.referral_id
    WHERE am.month BETWEEN %(start_month)s AND %(end)s
      AND (%(municipality)s::bigint IS NULL OR am.municipality_id = %(municipality)s::bigint)
    {GROUPS}"""
    out = _split(_run(sql, {**scope.params(), "start_month": month_start(scope.start)}))
    for row in out["months"].values():
        row["people"] = row["people_in_month"]
    return out


def payments(scope: Scope, dimension: str | None = None) -> dict:
    """Provider payments of the period (payment lines by the month they pay for). Empty when the payments app
    or its tables are missing, so reporting never depends on it."""
    empty = {"total": {"paid": Decimal("0"), "paid_people": 0}, "months": {}, "groups": {}}
    from django.apps import apps

    if not apps.is_installed("jobbtorg.payments"):
        return empty
    connection = connections[reporting_alias()]
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
    if "payments_paymentline" not in tables:
        return empty
    dim = "pl.provider_id::text" if dimension == Breakdown.PROVIDER else "c.dim"
    sql = f"""
    WITH {cases_cte(dimension)}
    SELECT GROUPING(mon) AS g_mon, GROUPING(dim) AS g_dim, mon, dim,
           COALESCE(sum(amount), 0) AS paid, count(DISTINCT participant_id)::int AS paid_people
    FROM (SELECT pl.amount, pl.participant_id, pl.period_month AS mon, {dim} AS dim
          FROM payments_paymentline pl
          JOIN c ON c.referral_id = pl.referral_id
          WHERE pl.period_month BETWEEN date_trunc('month', %(start)s::date) AND %(end)s) AS lines
    {GROUPS}"""
    out = _split(_run(sql, scope.params()))
    out["total"] = out["total"] or empty["total"]
    return out


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
