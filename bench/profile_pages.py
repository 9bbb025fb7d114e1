"""Where a request's CPU goes: the load test's pages and endpoints, run in this process through Django's test
client with the production settings (DEBUG off, cached templates) on a generated database, under cProfile.

    DATABASE_URL=postgres://…/jobbtorg_national .venv/bin/python bench/profile_pages.py [--repeat 20]
        [--top 25] [--only "person page"]

For each request of `bench/locustfile.py` (same users, prepared by `bench/loadtest.py`'s `prepare`) it prints
the mean wall and CPU milliseconds per request and the number of SQL statements, then, for the pages chosen
with --only (default: the three heaviest), the functions with the most cumulative time. The writes change the
data set: use a generated database only.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import loadtest  # noqa: E402  (the same users and environment as the load test)

ACTIVITY_KEYS = ("intervention_type", "description", "start_date", "end_date", "hours_per_week")


def requests_of(plan: dict) -> list[tuple]:
    """(name, method, path, body) of each request kind in the load test, for one user of each role."""
    coach, provider = plan["coaches"][0], plan["providers"][0]
    person = coach["people"][0]
    booking = provider["bookings"][0]
    offering = provider["offerings"][0]
    return [
        ("read: coach worklist", "coaches", "GET", "/planer/arbetslista/", None),
        ("read: person page", "coaches", "GET", f"/personer/{person['participant']}/", None),
        ("read: plan page", "coaches", "GET", f"/planer/{person['referral']}/handlingsplan/", None),
        ("read: API worklist", "coaches", "GET", "/api/worklist/", None),
        ("read: API plan", "coaches", "GET", f"/api/plans/{person['plan']}/", None),
        ("write: plan save", "coaches", "PUT", f"/api/plans/{person['plan']}/", "plan"),
        ("read: referral list", "caseworkers", "GET", "/remisser/", None),
        ("read: plan inbox", "caseworkers", "GET", "/planer/inkorg/", None),
        ("read: provider start page", "providers", "GET", "/narvaro/anordnare/", None),
        ("read: attendance week", "providers", "GET", f"/narvaro/insats/{offering}/vecka/", None),
        (
            "write: attendance report",
            "providers",
            "POST",
            "/api/attendance/",
            {"booking": booking["id"], "date": booking["days"][0], "status": "present"},
        ),
        ("trivial: health", None, "GET", "/health/", None),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--only", action="append", default=[], help="print the profile of this request")
    parser.add_argument("--slow", type=int, default=3, help="print this many slowest statements per request")
    parser.add_argument("--sort", default="cumulative", help="pstats sort key (cumulative, tottime)")
    args = parser.parse_args()
    if "DATABASE_URL" not in os.environ:
        sys.exit("Set DATABASE_URL to a PostgreSQL database holding a generated data set.")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "")
    loadtest.SERVER_ENV["DJANGO_ALLOWED_HOSTS"] += ",testserver"
    plan = loadtest.prepare(1, Path(tempfile.gettempdir()) / "jobbtorg-profile-plan.json")

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    call_command("collectstatic", "--noinput", verbosity=0)  # the manifest the production storage reads

    users = {role: plan[role][0] for role in ("coaches", "caseworkers", "providers")}
    clients = {}
    for role, me in users.items():
        client = Client(HTTP_X_CSRFTOKEN=me["csrf"], HTTP_ACCEPT="application/json")
        client.cookies[plan["session_cookie"]] = me["session"]
        client.cookies[plan["language_cookie"]] = "sv"
        client.cookies["csrftoken"] = me["csrf"]
        clients[role] = client
    clients[None] = Client()

    def call(role, method, path, body):
        client = clients[role]
        if body == "plan":
            got = client.get(path).json()
            body = {
                "version": got["lock_version"],
                "goals": f"Arbete inom vald yrkesinriktning. {time.time()}",
                "activities": [
                    {
                        k: a[k]
                        for k in (
                            "intervention_type",
                            "description",
                            "start_date",
                            "end_date",
                            "hours_per_week",
                        )
                    }
                    for a in got["activities"]
                ],
                "other_plans": [
                    {k: o[k] for k in ("kind", "reference", "start_date", "end_date")}
                    for o in got.get("other_plans", [])
                ],
            }
        if method == "GET":
            response = client.get(path)
        else:
            response = getattr(client, method.lower())(path, body, content_type="application/json")
        if response.status_code not in (200, 201):
            raise SystemExit(f"{method} {path}: HTTP {response.status_code} {response.content[:300]!r}")
        return response

    results = []
    profiles = {}
    slow = {}
    for name, role, method, path, body in requests_of(plan):
        call(role, method, path, body)  # warm: first-use imports, template compilation, connection
        queries = []

        def timed(execute, sql, params, many, context, queries=queries):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - started, sql))

        with connection.execute_wrapper(timed):
            call(role, method, path, body)
        slow[name] = sorted(queries, key=lambda q: -q[0])[: args.slow]
        profile = cProfile.Profile()
        wall = cpu = 0.0
        for _ in range(args.repeat):
            w, c = time.perf_counter(), time.process_time()
            profile.enable()
            call(role, method, path, body)
            profile.disable()
            wall += time.perf_counter() - w
            cpu += time.process_time() - c
        profiles[name] = profile
        results.append((name, 1000 * wall / args.repeat, 1000 * cpu / args.repeat, len(queries)))

    print(f"\n{'request':<32}{'wall ms':>9}{'CPU ms':>9}{'queries':>9}")
    for name, wall, cpu, count in results:
        print(f"  {name:<30}{wall:>9.1f}{cpu:>9.1f}{count:>9}")
    for name, statements in slow.items():
        for seconds, sql in statements:
            print(f"  slowest of {name}: {1000 * seconds:.1f} ms  {sql[:400]}")
    chosen = args.only or [r[0] for r in sorted(results, key=lambda r: -r[2])[:3]]
    for name in chosen:
        out = io.StringIO()
        pstats.Stats(profiles[name], stream=out).sort_stats(args.sort).print_stats(args.top)
        print(f"\n==== {name} ({args.repeat} requests, cProfile adds overhead) ====")
        print("\n".join(line for line in out.getvalue().splitlines() if line.strip())[:12000])
    return 0


if __name__ == "__main__":
    sys.exit(main())
