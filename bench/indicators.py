"""Key-indicator benchmark: time the whole dashboard for a year on DATABASE_URL (the national data set),
export
the raw tables it rests on (COPY to CSV) and recompute the indicators independently with DuckDB, straight from
the raw tables (not from the rollup), printing ours, the independent figure and whether they are equal.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobbtorg_national .venv/bin/python bench/indicators.py
        [--end 2026-10-31] [--skip-refresh]
"""

import argparse
import datetime
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jobbtorg.settings.dev")

import django  # noqa: E402

django.setup()

import duckdb  # noqa: E402
from django.db import connection  # noqa: E402

from jobbtorg.reporting import indicators, kolada, selectors  # noqa: E402
from jobbtorg.reporting.comparison import fair_comparisons  # noqa: E402
from jobbtorg.reporting.constants import Breakdown  # noqa: E402
from jobbtorg.reporting.services import indicators_refresh  # noqa: E402

TZ = "Europe/Stockholm"
EXPORTS = {
    "referral": f"""SELECT id, participant_id, referral_date, plan_due_date, source, status,
        (accepted_at AT TIME ZONE '{TZ}')::date AS accepted_on, (closed_at AT TIME ZONE '{TZ}')::date AS
        closed_on
        FROM referrals_referral""",
    "plan": f"""SELECT referral_id, (first_approved_at AT TIME ZONE '{TZ}')::date AS approved_on
        FROM plans_actionplan""",
    "exit": """SELECT referral_id, participant_id, exit_date, reason, municipal_labour_market_job,
        studies_with_student_finance, work_lasted_one_month, studies_eligible_for_student_finance
        FROM followup_exit""",
    "mapping": "SELECT referral_id, education_level, months_without_work FROM plans_mapping",
    "participant": "SELECT id, birth_date FROM participants_participant",
    "assistance": "SELECT participant_id, month, amount, paid FROM followup_assistancemonth WHERE is_current",
    "attendance": "SELECT booking_id, date, status, hours FROM attendance_attendancereport",
    "booking": "SELECT id, referral_id, offering_id, status, start_date FROM interventions_booking",
    "offering": "SELECT id, hours_per_week FROM interventions_offering",
}


def export(folder: Path) -> float:
    started = time.perf_counter()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        for name, sql in EXPORTS.items():
            with (
                (folder / f"{name}.csv").open("wb") as out,
                raw.copy(f"COPY ({sql}) TO STDOUT WITH CSV HEADER") as cp,
            ):
                for chunk in cp:
                    out.write(chunk)
    return time.perf_counter() - started


def independent(folder: Path, start: datetime.date, end: datetime.date) -> dict:
    db = duckdb.connect()
    for name in EXPORTS:
        db.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_csv_auto('{folder / (name + '.csv')}', header=true)"
        )
    s, e = f"DATE '{start}'", f"DATE '{end}'"
    db.execute(f"""CREATE TABLE c AS
        SELECT r.*, p.approved_on, x.exit_date, x.reason, x.municipal_labour_market_job,
               x.studies_with_student_finance, x.work_lasted_one_month,
               x.studies_eligible_for_student_finance,
               COALESCE(x.exit_date, r.closed_on) AS ended_on
        FROM referral r LEFT JOIN plan p ON p.referral_id = r.id LEFT JOIN exit x ON x.referral_id = r.id
        WHERE r.referral_date <= {e} AND (COALESCE(x.exit_date, r.closed_on) IS NULL
              OR COALESCE(x.exit_date, r.closed_on) >= {s})""")
    one = lambda sql: db.execute(sql).fetchone()[0]  # noqa: E731
    out = {
        "referrals": one(f"SELECT count(*) FROM c WHERE referral_date BETWEEN {s} AND {e}"),
        "accepted": one(f"SELECT count(*) FROM c WHERE accepted_on BETWEEN {s} AND {e}"),
        "plans": one(f"SELECT count(*) FROM c WHERE approved_on BETWEEN {s} AND {e}"),
        "exits": one(f"SELECT count(*) FROM c WHERE exit_date BETWEEN {s} AND {e}"),
        "active": one(
            f"SELECT count(*) FROM c WHERE accepted_on <= {e} AND (ended_on IS NULL OR ended_on > {e})"
        ),
    }
    due = one(f"""SELECT count(*) FROM c WHERE referral_date BETWEEN {s} AND {e} AND accepted_on IS NOT NULL
                  AND (approved_on IS NOT NULL OR plan_due_date < DATE '{datetime.date.today()}')""")
    in_time = one(f"""SELECT count(*) FROM c
                      WHERE referral_date BETWEEN {s} AND {e} AND accepted_on IS NOT NULL
                      AND approved_on <= plan_due_date""")
    out["plan_in_time"] = in_time / due if due else None
    out["median_days_to_plan"] = one(f"""SELECT quantile_cont(approved_on - referral_date, 0.5) FROM c
        WHERE referral_date BETWEEN {s} AND {e} AND accepted_on IS NOT NULL AND approved_on IS NOT NULL""")
    exits = out["exits"]
    out["work_share"] = (
        one(f"SELECT count(*) FROM c WHERE exit_date BETWEEN {s} AND {e} AND reason='work'") / exits
    )
    out["u40455"] = (
        one(f"""SELECT count(*) FROM c WHERE exit_date BETWEEN {s} AND {e} AND accepted_on IS NOT NULL AND (
        (reason = 'work' AND municipal_labour_market_job = false AND work_lasted_one_month = true)
        OR (reason = 'studies' AND studies_eligible_for_student_finance = true))
        """)
        / exits
    )
    db.execute(f"""CREATE TABLE fu AS
        WITH ex AS (SELECT *, date_trunc('month', exit_date)::DATE AS em FROM c WHERE exit_date BETWEEN {s}
            AND {e}),
        last AS (SELECT max(month) AS lm FROM assistance)
        SELECT ex.id, ex.reason, ex.em, last.lm,
            (SELECT count(*) FROM assistance a WHERE a.participant_id = ex.participant_id AND a.paid
               AND a.month >= ex.em - INTERVAL 6 MONTH AND a.month < ex.em) AS before_months,
            (SELECT sum(amount) FROM assistance a WHERE a.participant_id = ex.participant_id AND a.paid
               AND a.month >= ex.em - INTERVAL 6 MONTH AND a.month < ex.em) AS before_sum,
            EXISTS (SELECT 1 FROM assistance a WHERE a.participant_id = ex.participant_id AND a.paid
               AND a.month = ex.em + INTERVAL 3 MONTH) AS paid3,
            EXISTS (SELECT 1 FROM assistance a WHERE a.participant_id = ex.participant_id AND a.paid
               AND a.month = ex.em + INTERVAL 6 MONTH) AS paid6
        FROM ex, last""")
    for k in (3, 6):
        n = one(f"""SELECT count(*) FROM fu WHERE before_months > 0 AND reason <> 'moved'
                    AND em + INTERVAL {k} MONTH <= lm""")
        ok = one(f"""SELECT count(*) FROM fu WHERE before_months > 0 AND reason <> 'moved'
                     AND em + INTERVAL {k} MONTH <= lm AND NOT paid{k}""")
        out[f"no_assistance_{k}"] = ok / n if n else None
    followed = one("SELECT count(*) FROM fu WHERE before_months > 0 AND reason <> 'moved'")
    before = one("SELECT sum(before_sum) FROM fu WHERE before_months > 0 AND reason <> 'moved'")
    out["assistance_before"] = float(before) / (6 * followed) if followed else None
    att = db.execute(f"""SELECT
            sum(CASE WHEN a.status = 'present' THEN COALESCE(a.hours, o.hours_per_week / 5) END),
            sum(CASE WHEN a.status = 'present' THEN COALESCE(a.hours, o.hours_per_week / 5) ELSE
                o.hours_per_week / 5 END)
        FROM attendance a JOIN booking b ON b.id = a.booking_id JOIN offering o ON o.id = b.offering_id
        JOIN c ON c.id = b.referral_id
        WHERE a.date BETWEEN date_trunc('month', {s}) AND {e}""").fetchone()
    out["attendance_share"] = float(att[0]) / float(att[1]) if att[1] else None
    return out


def independent_kolada(folder: Path, start: datetime.date, end: datetime.date) -> dict[str, int]:
    """The counts of the Kolada figures (numerators and denominators of kolada.KPIS), recomputed with DuckDB
    from the raw tables as docs/indicators.md words them: people, the last programme exit of each (accepted
    referrals only), the latest referral of each person served, referrals by source, and the first end of
    assistance of each adult."""
    db = duckdb.connect()
    for name in EXPORTS:
        db.execute(
            f"CREATE VIEW {name} AS SELECT * FROM read_csv_auto('{folder / (name + '.csv')}', header=true)"
        )
    s, e = f"DATE '{start}'", f"DATE '{end}'"
    row = lambda sql: dict(zip([d[0] for d in db.execute(sql).description], db.fetchone(), strict=True))  # noqa: E731
    out = row(f"""
        WITH k AS (
            SELECT r.participant_id, r.accepted_on, x.exit_date, x.reason,
                CASE
                    WHEN x.reason = 'work' AND (x.municipal_labour_market_job IS TRUE
                                                OR x.work_lasted_one_month IS FALSE) THEN 'E'
                    WHEN x.reason = 'work' AND (x.municipal_labour_market_job IS NULL
                                                OR x.work_lasted_one_month IS NULL) THEN 'pending'
                    WHEN x.reason = 'work' THEN 'A'
                    WHEN x.reason = 'studies' AND x.studies_eligible_for_student_finance IS NULL
                        THEN 'pending'
                    WHEN x.reason = 'studies' AND x.studies_eligible_for_student_finance THEN 'B'
                    WHEN x.reason = 'other_support' THEN 'C'
                    WHEN x.reason = 'completed' THEN 'D'
                    ELSE 'E'
                END AS result
            FROM referral r JOIN exit x ON x.referral_id = r.id
            WHERE r.accepted_on IS NOT NULL AND x.exit_date BETWEEN {s} AND {e}
            QUALIFY row_number() OVER (PARTITION BY r.participant_id
                                       ORDER BY x.exit_date DESC, CAST(r.id AS VARCHAR) DESC) = 1
        )
        SELECT count(*) AS exits, count(*) FILTER (result = 'A') AS work,
            count(*) FILTER (result = 'B') AS studies,
            count(*) FILTER (result = 'C') AS other_authority, count(*) FILTER (result = 'D') AS completed,
            count(*) FILTER (result = 'E') AS other, count(*) FILTER (result = 'pending') AS pending,
            count(*) FILTER (exit_date < accepted_on + INTERVAL 3 MONTH) AS dur_lt3,
            count(*) FILTER (exit_date >= accepted_on + INTERVAL 3 MONTH
                             AND exit_date < accepted_on + INTERVAL 6 MONTH) AS dur_3_6,
            count(*) FILTER (exit_date >= accepted_on + INTERVAL 6 MONTH
                             AND exit_date < accepted_on + INTERVAL 24 MONTH) AS dur_6_24,
            count(*) FILTER (exit_date >= accepted_on + INTERVAL 24 MONTH) AS dur_gt24
        FROM k""")
    out |= row(f"""
        WITH p AS (
            SELECT r.*, date_sub('year', pp.birth_date, r.referral_date) AS age, m.education_level,
                   m.months_without_work
            FROM referral r JOIN participant pp ON pp.id = r.participant_id
            LEFT JOIN exit x ON x.referral_id = r.id LEFT JOIN mapping m ON m.referral_id = r.id
            WHERE r.accepted_on <= {e} AND r.referral_date <= {e}
              AND (COALESCE(x.exit_date, r.closed_on) IS NULL OR COALESCE(x.exit_date, r.closed_on) >= {s})
            QUALIFY row_number() OVER (PARTITION BY r.participant_id
                                       ORDER BY r.referral_date DESC, CAST(r.id AS VARCHAR) DESC) = 1
        )
        SELECT count(*) AS served, count(*) FILTER (age <= 24) AS age_le24,
            count(*) FILTER (age >= 25) AS age_ge25,
            count(*) FILTER (education_level IN ('post_secondary', 'university')) AS edu_post_secondary,
            count(*) FILTER (education_level = 'upper_secondary') AS edu_upper_secondary,
            count(*) FILTER (education_level = 'compulsory') AS edu_compulsory,
            count(*) FILTER (education_level = 'none') AS edu_none,
            count(*) FILTER (education_level IS NULL OR education_level NOT IN
                ('post_secondary', 'university', 'upper_secondary', 'compulsory', 'none')) AS edu_unknown,
            count(months_without_work) AS nowork_known,
            count(*) FILTER (months_without_work < 6) AS nowork_lt6,
            count(*) FILTER (months_without_work BETWEEN 6 AND 24) AS nowork_6_24,
            count(*) FILTER (months_without_work > 24) AS nowork_gt24
        FROM p""")
    out |= row(f"""
        SELECT count(*) AS referrals, count(DISTINCT participant_id) AS referred_people,
            count(*) FILTER (source = 'social_services') AS source_social_services,
            count(*) FILTER (source = 'employment_service') AS source_employment_service,
            count(*) FILTER (source = 'social_insurance') AS source_social_insurance,
            count(*) FILTER (source = 'self') AS source_self,
            count(*) FILTER (source = 'other') AS source_other
        FROM referral WHERE referral_date BETWEEN {s} AND {e} AND status <> 'returned'""")
    out |= row(f"""
        WITH last AS (SELECT max(month) AS lm FROM assistance),
        paid AS (SELECT DISTINCT participant_id, month FROM assistance
                 WHERE paid AND participant_id IN (SELECT participant_id FROM referral)),
        ends AS (
            SELECT p.participant_id, p.month AS last_paid FROM paid p, last
            WHERE p.month BETWEEN date_trunc('month', {s}) AND {e} AND p.month + INTERVAL 1 MONTH <= last.lm
              AND NOT EXISTS (SELECT 1 FROM paid n WHERE n.participant_id = p.participant_id
                              AND n.month = p.month + INTERVAL 1 MONTH)
            QUALIFY row_number() OVER (PARTITION BY p.participant_id ORDER BY p.month) = 1
        ),
        adults AS (
            SELECT ends.*, ends.last_paid + INTERVAL 12 MONTH <= last.lm AS known,
                   EXISTS (SELECT 1 FROM paid n WHERE n.participant_id = ends.participant_id
                           AND n.month > ends.last_paid
                           AND n.month <= ends.last_paid + INTERVAL 12 MONTH) AS back
            FROM ends JOIN participant pp ON pp.id = ends.participant_id, last
            WHERE date_sub('year', pp.birth_date, ends.last_paid) >= 18
        )
        SELECT count(*) FILTER (known) AS assistance_ended_known,
               count(*) FILTER (NOT known) AS assistance_ended_pending,
               count(*) FILTER (known AND NOT back) AS assistance_not_back
        FROM adults""")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--end",
        type=datetime.date.fromisoformat,
        default=None,
        help="last day of the year measured (default: end of the last imported assistance month)",
    )
    parser.add_argument("--skip-refresh", action="store_true")
    args = parser.parse_args()
    if not args.skip_refresh:
        started = time.perf_counter()
        counts = indicators_refresh()
        print(f"rollup rebuilt (nightly job): {counts} in {time.perf_counter() - started:.2f} s")
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT municipality_id, count(*) FROM reporting_case GROUP BY 1 ORDER BY 2 DESC, 1"
            )
            sizes = cursor.fetchall()
        for municipality_id, n in (sizes[0], sizes[-1]):
            started = time.perf_counter()
            indicators_refresh(municipality_id=municipality_id)
            print(
                f"rollup rebuilt for one municipality ({n:,} cases, as the dashboard or --dirty does): "
                f"{time.perf_counter() - started:.2f} s"
            )
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(month) FROM followup_assistancemonth WHERE is_current")
        last = cursor.fetchone()[0]
    end = args.end or ((last + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1))
    m = end.year * 12 + end.month - 1 - 11
    start = datetime.date(m // 12, m % 12 + 1, 1)
    scope = selectors.Scope(start=start, end=end, today=datetime.date.today())
    print(f"period {start} – {end}, all municipalities")
    timings = []
    for _run in range(3):
        started = time.perf_counter()
        raw = selectors.dashboard(scope, Breakdown.UNIT)
        tables = indicators.tables(raw, dimension=Breakdown.UNIT, suppress=True)
        total = indicators.merge(raw)["total"]
        figures = kolada.figures(total)
        comparisons = fair_comparisons(scope)
        timings.append(time.perf_counter() - started)
    print(
        "whole dashboard for a year (6 sections by unit, Kolada, fair comparison of "
        f"{len(comparisons[Breakdown.UNIT])} units and {len(comparisons[Breakdown.PROVIDER])} providers): "
        f"{min(timings):.2f} s best of 3 ({', '.join(f'{t:.2f}' for t in timings)})"
    )
    _ = (tables, figures)
    ours = indicators.evaluate(total, suppress=False)
    with tempfile.TemporaryDirectory() as tmp:
        seconds = export(Path(tmp))
        size = sum(f.stat().st_size for f in Path(tmp).iterdir())
        print(f"exported raw tables with COPY: {size / 1e6:.0f} MB in {seconds:.1f} s")
        started = time.perf_counter()
        theirs = independent(Path(tmp), start, end)
        theirs_kolada = independent_kolada(Path(tmp), start, end)
        print(
            f"independent recomputation with DuckDB {duckdb.__version__}: "
            f"{time.perf_counter() - started:.1f} s"
        )
    all_equal = True
    print(f"{'indicator':<32}{'ours':>18}{'independent':>18}  equal")
    for key, value in theirs.items():
        mine = ours.get(key)
        equal = (mine is None and value is None) or (
            mine is not None
            and value is not None
            and abs(float(mine) - float(value)) < 1e-9 * max(1, abs(float(value)))
        )
        all_equal &= equal
        print(f"{key:<32}{mine!s:>18.16}{value!s:>18.16}  {'yes' if equal else 'NO'}")
    ours_kolada = selectors.kolada(scope)
    ours_kolada["pending"] = ours_kolada["work_pending"] + ours_kolada["studies_pending"]
    print(f"{'Kolada count':<32}{'ours':>18}{'independent':>18}  equal")
    for key, value in theirs_kolada.items():
        equal = ours_kolada.get(key) == value
        all_equal &= equal
        print(f"{key:<32}{ours_kolada.get(key)!s:>18}{value!s:>18}  {'yes' if equal else 'NO'}")
    figures = {f.id: f for f in kolada.figures(ours_kolada)}
    print(
        f"Kolada figures: U40455 {figures['U40455'].value} % ({figures['U40455'].numerator} of "
        f"{figures['U40455'].denominator} people; preliminary: {figures['U40455'].preliminary}), "
        f"U40800 {figures['U40800'].value}, U40809 {figures['U40809'].value} %, "
        f"U31462 {figures['U31462'].value} %"
    )
    print("all equal" if all_equal else "DIFFERENCES FOUND")
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
