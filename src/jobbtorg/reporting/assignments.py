"""Following an assignment (uppdrag) against its goals and budget, month by month, and what happens to its
participants when it ends. A participant of an assignment: a referral booked (booked or ended) into one of its
offerings during its period, of its target group when it has one."""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal

from django.apps import apps
from django.db import connections

from jobbtorg.followup.constants import ExitReason
from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking, Offering
from jobbtorg.utils import suppression
from jobbtorg.utils.db import reporting_alias

from .models import Assignment, Case
from .sql import Dialect, literals, table, work_or_studies

# Bookings that count as taking part (booked, or ended after taking part), and the assignments' offerings.
TAKEN_UP = literals(BookingStatus.BOOKED, BookingStatus.ENDED)
OFFERINGS = table(Assignment.offerings.through)


@functools.cache
def follow_sql(d: Dialect) -> str:
    """Per month of the assignment (up to today): started, exited, results, active — in the dialect `d`.
    PostgreSQL: DISTINCT ON and generate_series; SQLite: ROW_NUMBER() and a recursive CTE of the months."""
    i = d.int
    booked = f"""
    FROM {table(Booking)} b
    JOIN {OFFERINGS} ao ON ao.offering_id = b.offering_id AND ao.assignment_id = %(id)s
    JOIN {table(Case)} rc ON rc.referral_id = b.referral_id
    WHERE b.status IN {TAKEN_UP} AND b.start_date BETWEEN %(start)s AND %(end)s
      AND (%(target_group)s = '' OR rc.target_group = %(target_group)s)"""
    if d.pg:
        ctes = f"""WITH p AS (
    SELECT DISTINCT ON (b.referral_id) b.referral_id, b.start_date{booked}
    ORDER BY b.referral_id, b.start_date
),
months AS (
    SELECT mon::date, (mon + interval '1 month' - interval '1 day')::date AS mon_end
    FROM generate_series(date_trunc('month', %(start)s::date), LEAST(%(end)s::date, %(today)s::date),
                         interval '1 month') AS mon
)"""
    else:
        last = d.least("date(%(end)s)", "date(%(today)s)")
        ctes = f"""WITH RECURSIVE p AS (
    SELECT referral_id, start_date FROM (
        SELECT b.referral_id, b.start_date,
               ROW_NUMBER() OVER (PARTITION BY b.referral_id ORDER BY b.start_date) AS nth{booked}
    ) AS ranked WHERE nth = 1
),
series(mon) AS (
    SELECT date(%(start)s, 'start of month') WHERE date(%(start)s, 'start of month') <= {last}
    UNION ALL
    SELECT date(mon, '+1 month') FROM series WHERE date(mon, '+1 month') <= {last}
),
months AS (SELECT mon, {d.month_end("mon")} AS mon_end FROM series)"""
    return f"""
{ctes}
SELECT months.mon,
       count(p.referral_id) FILTER (WHERE p.start_date <= months.mon_end){i} AS started,
       count(p.referral_id) FILTER (WHERE rc.exit_date <= months.mon_end){i} AS exited,
       count(p.referral_id) FILTER (WHERE rc.exit_date <= months.mon_end AND {work_or_studies("rc.")}){i}
           AS results,
       count(p.referral_id) FILTER (WHERE p.start_date <= months.mon_end
                                    AND (rc.ended_on IS NULL OR rc.ended_on >= months.mon)){i} AS active
FROM months LEFT JOIN p ON true LEFT JOIN {table(Case)} rc ON rc.referral_id = p.referral_id
GROUP BY months.mon ORDER BY months.mon
"""


@functools.cache
def end_sql(d: Dialect) -> str:
    i = d.int
    work_or_study = literals(ExitReason.WORK, ExitReason.STUDIES)
    later = f"""
        SELECT 1 FROM {table(Booking)} nb WHERE nb.referral_id = rc.referral_id
        AND nb.status IN {TAKEN_UP} AND nb.start_date > %(end)s"""
    return f"""
WITH p AS (
    SELECT DISTINCT b.referral_id
    FROM {table(Booking)} b
    JOIN {OFFERINGS} ao ON ao.offering_id = b.offering_id AND ao.assignment_id = %(id)s
    JOIN {table(Case)} rc ON rc.referral_id = b.referral_id
    WHERE b.status IN {TAKEN_UP} AND b.start_date BETWEEN %(start)s AND %(end)s
      AND (%(target_group)s = '' OR rc.target_group = %(target_group)s)
)
SELECT
    count(*) FILTER (WHERE rc.exit_date <= %(end)s AND rc.exit_reason IN {work_or_study}){i} AS
        work_or_studies,
    count(*) FILTER (WHERE rc.exit_date <= %(end)s AND rc.exit_reason NOT IN {work_or_study}){i} AS
        other_exit,
    count(*) FILTER (WHERE (rc.ended_on IS NULL OR rc.ended_on > %(end)s) AND EXISTS ({later})){i}
        AS next_intervention,
    count(*) FILTER (WHERE (rc.ended_on IS NULL OR rc.ended_on > %(end)s) AND NOT EXISTS ({later})){i}
        AS no_next_step
FROM p JOIN {table(Case)} rc ON rc.referral_id = p.referral_id
"""


@functools.cache
def payments_sql(d: Dialect, lines: str) -> str:
    """`lines`: the table of payment lines (named by the caller, which checks that the payments app is
    there)."""
    return f"""
WITH p AS (
    SELECT DISTINCT b.referral_id, o.provider_id
    FROM {table(Booking)} b
    JOIN {table(Offering)} o ON o.id = b.offering_id
    JOIN {OFFERINGS} ao ON ao.offering_id = b.offering_id AND ao.assignment_id = %(id)s
    WHERE b.status IN {TAKEN_UP} AND b.start_date BETWEEN %(start)s AND %(end)s
      AND o.provider_id IS NOT NULL
)
SELECT pl.period_month AS mon, COALESCE(sum(pl.amount), 0) AS paid
FROM {lines} pl JOIN p ON p.referral_id = pl.referral_id AND p.provider_id = pl.provider_id
WHERE pl.period_month BETWEEN {d.month_trunc(d.cast("%(start)s", "date"))} AND %(end)s
GROUP BY pl.period_month
"""


def provider_payments_by_month(assignment: Assignment) -> dict[datetime.date, Decimal]:
    """Provider payments for the assignment's participants, by the month they pay for: payment lines of the
    providers of its offerings for the referrals booked into them during its period. Empty when the payments
    app or its table is missing (reporting never depends on it) or nothing has been paid."""
    if not apps.is_installed("jobbtorg.payments"):
        return {}
    lines = table(apps.get_model("payments", "PaymentLine"))
    connection = connections[reporting_alias()]
    with connection.cursor() as cursor:
        if lines not in connection.introspection.table_names(cursor):
            return {}
        d = Dialect.of(connection.vendor)
        cursor.execute(
            payments_sql(d, lines),
            {"id": assignment.pk, "start": assignment.start_date, "end": assignment.end_date},
        )
        return {d.dates(month): d.decimal(paid) for month, paid in cursor.fetchall()}


def follow(assignment: Assignment, *, today: datetime.date, suppress: bool) -> dict:
    params = {
        "id": assignment.pk,
        "start": assignment.start_date,
        "end": assignment.end_date,
        "today": today,
        "target_group": assignment.target_group or "",
    }
    connection = connections[reporting_alias()]
    d = Dialect.of(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(follow_sql(d), params)
        names = [c[0] for c in cursor.description]
        months = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        for row in months:
            row["mon"] = d.dates(row["mon"])
        ending = None
        if assignment.end_date <= today:
            cursor.execute(end_sql(d), params)
            names = [c[0] for c in cursor.description]
            ending = dict(zip(names, cursor.fetchone(), strict=True))
    total_months = max(1, len(_months(assignment.start_date, assignment.end_date)))
    paid = provider_payments_by_month(assignment)
    spent = Decimal("0")
    for index, row in enumerate(months, start=1):
        row["own_cost"] = assignment.cost_per_participant * row["active"]
        row["provider_paid"] = paid.get(row["mon"], Decimal("0"))
        spent += row["own_cost"] + row["provider_paid"]
        row["spent"] = spent
        row["over_budget"] = spent > assignment.budget
        row["budget_to_date"] = (assignment.budget * index / total_months).quantize(Decimal("1"))
        row["share"] = row["results"] / row["exited"] if row["exited"] else None
        row["goal_participants_to_date"] = round(assignment.goal_participants * index / total_months)
        if suppress:
            if not suppression.share_is_shown(row["results"], row["exited"]):
                row["share"] = None
            for key in ("started", "exited", "results", "active"):
                row[key] = suppression.count(row[key])
    if ending and suppress:
        # The four outcomes share out the participants (shown as "participants so far"): protected against
        # subtraction as well as small.
        participants = months[-1]["started"] if months else None
        values = {**ending, "participants": None if suppression.is_withheld(participants) else participants}
        withheld = suppression.withhold(values, [(list(ending), "participants")])
        ending = {k: withheld.get(k, v) for k, v in ending.items()}
    last = months[-1] if months else None
    summary = {
        "spent": spent,
        "left": assignment.budget - spent,
        "provider_paid": sum(paid.values(), Decimal("0")),
        "participants": last["started"] if last else 0,
        "share": last["share"] if last else None,
    }
    return {
        "months": months,
        "ending": ending,
        "goal_share": assignment.goal_work_or_studies_percent / 100,
        "summary": summary,
    }


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    out, month = [], start.replace(day=1)
    while month <= end:
        out.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return out
