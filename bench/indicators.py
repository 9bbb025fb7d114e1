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
    "referral": f"""SELECT id, participant_id, referral_date, plan_due_date,
        (accepted_at AT TIME ZONE '{TZ}')::date AS accepted_on, (closed_at AT TIME ZONE '{TZ}')::date AS
        closed_on
        FROM referrals_referral""",
    "plan": f"""SELECT referral_id, (first_approved_at AT TIME ZONE '{TZ}')::date AS approved_on
        FROM plans_actionplan""",
    "exit": """SELECT referral_id, participant_id, exit_date, reason, municipal_labour_market_job,
        studies_with_student_finance FROM followup_exit""",
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
               x.studies_with_student_finance, COALESCE(x.exit_date, r.closed_on) AS ended_on
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
        one(f"""SELECT count(*) FROM c WHERE exit_date BETWEEN {s} AND {e} AND (
        (reason = 'work' AND NOT municipal_labour_market_job) OR (reason = 'studies' AND
            studies_with_student_finance))
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
    print("all equal" if all_equal else "DIFFERENCES FOUND")
    return 0 if all_equal else 1


if __name__ == "__main__":
    sys.exit(main())
