"""Generator rate: build a fresh PostgreSQL database and fill it with the synthetic data set, printing the
rows, seconds and rows per second of every table (target: at least 50,000 rows/s on PostgreSQL).

    .venv/bin/python bench/generate.py --scale city [--seed 1] [--keep]

Uses the server of $BENCH_PG (default postgres://postgres@127.0.0.1:5432) and the database
jobbtorg_<scale>, dropped and created again. The database is kept afterwards (for the load test, the matching,
payment and indicator benchmarks): its URL is printed.
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["demo", "city", "national"], default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", default=None, help="YYYY-MM-DD (default today)")
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    name = f"jobbtorg_{args.scale}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"{server}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    started = time.perf_counter()
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    print(f"migrated an empty database in {time.perf_counter() - started:.1f} s")
    command = [
        sys.executable,
        "manage.py",
        "generate_dataset",
        "--scale",
        args.scale,
        "--seed",
        str(args.seed),
    ]
    if args.today:
        command += ["--today", args.today]
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    with psycopg.connect(url) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    print(f"database size {size}; kept for the other benchmarks: DATABASE_URL={url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
