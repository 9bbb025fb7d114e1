"""Generator rate: build a fresh PostgreSQL database and fill it with the synthetic data set, printing the
rows, seconds and rows per second of every table (target: at least 50,000 rows/s on PostgreSQL) — and, as
the reference in the same run, how long a raw `pg_restore` of the same rows takes (target: the generator
≤ 1.5 × the restore).

    .venv/bin/python bench/generate.py --scale city [--seed 1] [--db NAME] [--no-reference]

Uses the server of $BENCH_PG (default postgres://postgres@127.0.0.1:5432) and the database
jobbtorg_<scale> (or --db), dropped and created again. The database is kept afterwards (for the load test,
the matching, payment and indicator benchmarks): its URL is printed.

The reference: the generated database is dumped with `pg_dump -Fc` (not timed) and restored with
`pg_restore` into a fresh database `<db>_restore` (tables, rows, the same indexes and constraints); that
restore is timed, then an ANALYZE of it (printed apart: the generator analyses its tables at the end,
`pg_restore` does not), then the restore database is dropped. The ratio compares the wall time of
`manage.py generate_dataset` (a fresh process: Django set-up, planning, COPY, index rebuilds, key checks,
commit) with the wall time of `pg_restore` on an empty database (schema, COPY, index builds, constraints).
The migrations are timed apart and are in neither figure.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATIO = 1.5


def recreate(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop(server: str, name: str) -> None:
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class ServerCpu:
    """CPU seconds the PostgreSQL server processes spent on one database while the block ran: a poller reads
    each backend's utime + stime from /proc every 0.2 s (the server runs on this machine; elsewhere: None).
    On a machine shared with other work, wall times stretch with the load; CPU seconds do much less."""

    def __init__(self, server: str, database: str):
        self.server, self.database = server, database
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.readable = True

    def poll(self) -> None:
        tick = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as conn:
            while not self.stop.is_set():
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", [self.database]
                ).fetchall()
                for (pid,) in pids:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        if Path(f"/proc/{pid}").exists():  # there but not ours to read
                            self.readable = False
                        continue
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / tick
                self.stop.wait(0.2)

    def __enter__(self) -> "ServerCpu":
        self.thread = threading.Thread(target=self.poll, daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()

    @property
    def seconds(self) -> float | None:
        return sum(self.seen.values()) if self.readable and self.seen else None


def cpu_text(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds:.1f} s"


def cpu_of_children() -> float:
    usage = os.times()
    return usage.children_user + usage.children_system


def reference(server: str, name: str, jobs: int) -> dict:
    """Dump `name` with pg_dump -Fc, restore it into a fresh database and time the restore."""
    target = f"{name}_restore"
    with tempfile.TemporaryDirectory() as folder:
        dump = Path(folder) / f"{name}.dump"
        started = time.perf_counter()
        subprocess.run(["pg_dump", "-Fc", "-Z", "0", "-f", str(dump), f"{server}/{name}"], check=True)
        dumped = time.perf_counter() - started
        recreate(server, target)
        cpu_before = cpu_of_children()
        started = time.perf_counter()
        with ServerCpu(server, target) as server_cpu:
            subprocess.run(
                [
                    "pg_restore",
                    "--no-owner",
                    "--exit-on-error",
                    "-j",
                    str(jobs),
                    "-d",
                    f"{server}/{target}",
                    str(dump),
                ],
                check=True,
            )
        restored = time.perf_counter() - started
        restore_cpu = cpu_of_children() - cpu_before
        size = dump.stat().st_size
    started = time.perf_counter()
    with psycopg.connect(f"{server}/{target}", autocommit=True) as conn:
        conn.execute("ANALYZE")
    analysed = time.perf_counter() - started
    drop(server, target)
    return {
        "restore CPU": restore_cpu,
        "restore server CPU": server_cpu.seconds,
        "dump seconds": dumped,
        "restore seconds": restored,
        "analyse seconds": analysed,
        "dump bytes": size,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=["demo", "city", "national"], default="city")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--today", default=None, help="YYYY-MM-DD (default today)")
    parser.add_argument("--db", default=None, help="database name (default jobbtorg_<scale>)")
    parser.add_argument("--no-reference", action="store_true", help="skip the pg_dump/pg_restore reference")
    parser.add_argument(
        "--restore-jobs",
        type=int,
        default=1,
        help="pg_restore -j (default 1: one process, as the generator is one transaction)",
    )
    args = parser.parse_args()
    server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    name = args.db or f"jobbtorg_{args.scale}"
    recreate(server, name)
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
    cpu_before = cpu_of_children()
    started = time.perf_counter()
    with ServerCpu(server, name) as server_cpu:
        subprocess.run(command, cwd=ROOT, env=env, check=True)
    generated = time.perf_counter() - started
    generator_cpu = cpu_of_children() - cpu_before
    generator_server_cpu = server_cpu.seconds
    with psycopg.connect(url) as conn:
        size = conn.execute("SELECT pg_size_pretty(pg_database_size(current_database()))").fetchone()[0]
    print(
        f"\ngenerate_dataset: {generated:.1f} s wall (the process, from start to exit), "
        f"{generator_cpu:.1f} s CPU in the Python process, {cpu_text(generator_server_cpu)} CPU in PostgreSQL"
    )
    if not args.no_reference:
        ref = reference(server, name, args.restore_jobs)
        ratio = generated / ref["restore seconds"]
        print(
            f"reference, same rows: pg_dump -Fc {ref['dump seconds']:.1f} s "
            f"({ref['dump bytes'] / 1e6:,.0f} MB, "
            f"not counted); pg_restore -j {args.restore_jobs} into a fresh database "
            f"{ref['restore seconds']:.1f} s"
        )
        print(
            f"  CPU: {ref['restore CPU']:.1f} s in pg_restore, "
            f"{cpu_text(ref['restore server CPU'])} in PostgreSQL"
        )
        if generator_server_cpu is not None and ref["restore server CPU"] is not None:
            generator_total = generator_cpu + generator_server_cpu
            restore_total = ref["restore CPU"] + ref["restore server CPU"]
            print(
                "CPU ratio (client + server) generate_dataset / pg_restore: "
                f"{generator_total / restore_total:.2f} "
                "(on a busy machine the steadier figure; wall times stretch with the load)"
            )
        print(
            f"  then ANALYZE {ref['analyse seconds']:.1f} s (the generator ends with ANALYZE of its tables; "
            "pg_restore leaves the statistics to autovacuum)"
        )
        print(
            f"ratio generate_dataset / pg_restore: {ratio:.2f} (target ≤ {TARGET_RATIO}) → "
            f"{'MET' if ratio <= TARGET_RATIO else 'MISSED'}; "
            f"generate_dataset / (pg_restore + ANALYZE): "
            f"{generated / (ref['restore seconds'] + ref['analyse seconds']):.2f}"
        )
    print(f"database size {size}; kept for the other benchmarks: DATABASE_URL={url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
