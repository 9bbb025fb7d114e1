"""Load test: the busiest pages and endpoints under a realistic role mix, against gunicorn on loopback.

    make bench-install
    createdb jobbtorg_city
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jobbtorg_city .venv/bin/python manage.py migrate
    DATABASE_URL=… .venv/bin/python manage.py generate_dataset --scale city --seed 1
    DATABASE_URL=… .venv/bin/python bench/loadtest.py [--users 50] [--duration 60]
    .venv/bin/python bench/loadtest.py --scale national [--db jobbtorg_national]   # $BENCH_PG/<db>

With --scale (and optionally --db) the database is $BENCH_PG/<db> (default server
postgres://postgres@127.0.0.1:5432, default name jobbtorg_<scale>, as `bench/generate.py` builds it);
without, DATABASE_URL names it. Locust is taken from this virtualenv (`make bench-install`) or, when it is
not there, from PATH or --locust.

Three runs against the same server (production settings, DEBUG off, gunicorn with --workers):
1. realistic: --users people (60 % coaches, 20 % caseworkers, 20 % provider staff) thinking 1–3 s between
   actions, for --duration seconds: p50/p95/p99 for reads and writes, throughput and errors — the targets
   are p95 < 200 ms for reads and < 400 ms for writes with zero errors;
2. capacity: the same mix with no think time (--capacity-users users): the most requests a second it serves;
3. baseline: the health check (one tiny query) with no think time: what the same server does with no work;
   the ratio of 2 to 1 shows how much the application itself costs.

Writes change the data set (plan drafts saved, referrals created, attendance reported): run it on a generated
database, never on real data. Exit code 1 when a target is missed.
"""

import argparse
import datetime as dt
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
BIN = Path(sys.executable).parent

SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.production",
    "DJANGO_SECRET_KEY": "load-test-only-" + "x" * 40,
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "DJANGO_SECURE_SSL_REDIRECT": "0",
    "JOBBTORG_REQUIRE_2FA": "0",
    # Required by the production settings; none of the requests measured queues a task.
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/14",
}
READ_P95_MS, WRITE_P95_MS = 200, 400


def prepare(users: int, path: Path) -> dict:
    """Pick real staff with work to do; give each a session (with a CSRF secret for API writes, as the
    browser has); list their people. Staff have no API tokens (issue 13)."""
    import django

    os.environ.update(SERVER_ENV)
    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from jobbtorg.accounts.constants import Role
    from jobbtorg.accounts.models import User
    from jobbtorg.interventions.constants import BookingStatus
    from jobbtorg.interventions.models import Booking
    from jobbtorg.participants.models import Participant
    from jobbtorg.plans.constants import PlanStatus
    from jobbtorg.plans.models import ActionPlan
    from jobbtorg.referrals.constants import ReferralStatus
    from jobbtorg.referrals.models import Referral
    from jobbtorg.utils import personal_numbers
    from jobbtorg.utils.workdays import is_working_day

    backend = next(b for b in settings.AUTHENTICATION_BACKENDS if b.endswith("ModelBackend"))
    rng = random.Random(1)
    today = timezone.localdate()

    def credentials(user) -> dict:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = backend
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(32))
        return {"user": user.pk, "session": session.session_key, "csrf": csrf}

    plan = {"session_cookie": settings.SESSION_COOKIE_NAME, "language_cookie": settings.LANGUAGE_COOKIE_NAME}
    # Coaches with people whose plan is approved or a draft (plan save works on both).
    plans = (
        ActionPlan.objects.filter(
            referral__status=ReferralStatus.ACCEPTED, status__in=[PlanStatus.APPROVED, PlanStatus.DRAFT]
        )
        .values_list("referral__coach_id", "id", "referral_id", "participant_id")
        .order_by("referral__coach_id", "id")
    )
    by_coach: dict[int, list] = {}
    for coach, plan_id, referral, participant in plans:
        by_coach.setdefault(coach, []).append(
            {"plan": str(plan_id), "referral": str(referral), "participant": str(participant)}
        )
    coaches = [c for c, people in by_coach.items() if len(people) >= 3]
    plan["coaches"] = [
        {**credentials(User.objects.get(pk=c)), "people": by_coach[c][:40]} for c in coaches[:users]
    ]
    # Caseworkers, with the people they referred and fresh identity numbers for new referrals.
    existing = set(Participant.objects.values_list("personal_number", flat=True))
    plan["caseworkers"] = []
    for user in User.objects.filter(role=Role.CASEWORKER).order_by("id")[: max(1, users // 3)]:
        people = list(
            Referral.objects.filter(caseworker=user, status=ReferralStatus.ACCEPTED).values_list(
                "participant_id", flat=True
            )[:40]
        )
        numbers = []
        while len(numbers) < 400:
            born = dt.date(1960, 1, 1) + dt.timedelta(days=rng.randint(0, 40 * 365))
            number = personal_numbers.make(born, rng.randint(1, 999))
            if number not in existing:
                existing.add(number)
                numbers.append(number)
        if people:
            plan["caseworkers"].append(
                {
                    **credentials(user),
                    "people": [{"participant": str(p)} for p in people],
                    "new_numbers": numbers,
                }
            )
    # Provider staff with people booked now, and the past working days they may report.
    plan["providers"] = []
    recent = [today - dt.timedelta(days=d) for d in range(1, 15)]
    recent = [d.isoformat() for d in recent if is_working_day(d)]
    for user in User.objects.filter(role=Role.PROVIDER_STAFF).order_by("id")[: max(1, users // 3)]:
        bookings = list(
            Booking.objects.reportable_by(user)
            .filter(  # the people the provider may report for (assigned, consenting)
                status=BookingStatus.BOOKED,
                start_date__lte=today - dt.timedelta(days=15),
            )
            .values_list("id", "offering_id")[:60]
        )
        if bookings:
            plan["providers"].append(
                {
                    **credentials(user),
                    "bookings": [{"id": str(b), "days": recent} for b, _o in bookings],
                    "offerings": sorted({o for _b, o in bookings}),
                }
            )
    for role in ("coaches", "caseworkers", "providers"):
        if not plan[role]:
            sys.exit(
                f"No {role} with work in this database: generate the data set first (see the docstring)."
            )
    path.write_text(json.dumps(plan))
    return plan


def serve(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, **SERVER_ENV, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "jobbtorg.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)
            return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not start")


LOCUST = str(BIN / "locust")


def locust(
    port: int, plan: Path, users: int, seconds: int, classes: list[str], *, think: bool, tag: str
) -> dict:
    samples = Path(tempfile.gettempdir()) / f"jobbtorg-load-{tag}.json"
    env = {
        **os.environ,
        "JOBBTORG_LOAD_PLAN": str(plan),
        "JOBBTORG_LOAD_SAMPLES": str(samples),
        "JOBBTORG_LOAD_THINK": "1" if think else "0",
        "JOBBTORG_LOAD_PHASE": "0" if think else "1",
    }
    subprocess.run(
        [
            # Niced: on a small machine the load generator shares the cores with the server it measures.
            "nice",
            "-n",
            "10",
            LOCUST,
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(max(1, users // 5)),
            "-t",
            f"{seconds}s",
            "--host",
            f"http://127.0.0.1:{port}",
            "--stop-timeout",
            "5",
            "--loglevel",
            "WARNING",
            *classes,
        ],
        env=env,
        check=False,
        stdout=subprocess.DEVNULL,
    )
    rows = json.loads(samples.read_text())
    return {"rows": rows, "seconds": seconds}


def figures(rows: list, prefix: str) -> dict | None:
    picked = [(t, ok) for name, t, ok, _error in rows if name.startswith(prefix)]
    if not picked:
        return None
    times = sorted(t for t, _ok in picked)
    # One sample (a very slow run) has no quantiles: it is every percentile.
    q = statistics.quantiles(times, n=100, method="inclusive") if len(times) > 1 else times * 99
    return {
        "count": len(times),
        "errors": sum(not ok for _t, ok in picked),
        "p50": q[49],
        "p95": q[94],
        "p99": q[98],
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--duration", type=int, default=60, help="seconds of the realistic run")
    parser.add_argument("--capacity-users", type=int, default=10)
    parser.add_argument("--capacity-duration", type=int, default=20)
    # One sync worker per core plus one: more only make the workers fight for the cores (measured: 5 workers
    # on 2 cores gave reads p95 208–318 ms, 3 workers 141 ms, same throughput).
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--scale", choices=["city", "national"], default=None, help="use $BENCH_PG/jobbtorg_<scale>"
    )
    parser.add_argument("--db", default=None, help="database name on $BENCH_PG (default jobbtorg_<scale>)")
    parser.add_argument("--locust", default=None, help="the locust program (default: this venv's, or PATH)")
    args = parser.parse_args()
    if args.scale or args.db:
        server = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
        os.environ["DATABASE_URL"] = f"{server}/{args.db or f'jobbtorg_{args.scale}'}"
    if "DATABASE_URL" not in os.environ:
        sys.exit("Give --scale city|national (and --db) or set DATABASE_URL to a generated data set.")
    global LOCUST
    LOCUST = args.locust or (LOCUST if Path(LOCUST).exists() else shutil.which("locust") or LOCUST)
    if not Path(LOCUST).exists():
        sys.exit("Locust is not installed: make bench-install (or give --locust).")
    print(f"database {os.environ['DATABASE_URL'].rsplit('/', 1)[-1]}")

    plan_path = Path(tempfile.gettempdir()) / "jobbtorg-load-plan.json"
    plan = prepare(args.users, plan_path)
    print(
        f"Prepared {len(plan['coaches'])} coaches, {len(plan['caseworkers'])} caseworkers, "
        f"{len(plan['providers'])} provider staff (each simulated user works on their own people)."
    )
    server = serve(args.port, args.workers)
    staff = ["CoachUser", "CaseworkerUser", "ProviderUser"]
    try:
        print(
            f"1/3 realistic: {args.users} users, think time 1–3 s, {args.duration} s, "
            f"gunicorn {args.workers} workers"
        )
        real = locust(args.port, plan_path, args.users, args.duration, staff, think=True, tag="real")
        print(f"2/3 capacity: {args.capacity_users} users, no think time, {args.capacity_duration} s")
        cap = locust(
            args.port, plan_path, args.capacity_users, args.capacity_duration, staff, think=False, tag="cap"
        )
        print(
            f"3/3 baseline: health check, {args.capacity_users} users, no think time, "
            f"{args.capacity_duration} s"
        )
        base = locust(
            args.port,
            plan_path,
            args.capacity_users,
            args.capacity_duration,
            ["TrivialUser"],
            think=False,
            tag="base",
        )
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)

    print(f"\n{'realistic run':<34}{'requests':>9}{'errors':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    names = sorted({name for name, *_rest in real["rows"]})
    for name in names:
        f = figures(real["rows"], name)
        print(f"  {name:<32}{f['count']:>9}{f['errors']:>8}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}")
    none = {"count": 0, "errors": 0, "p50": float("inf"), "p95": float("inf"), "p99": float("inf")}
    reads = figures(real["rows"], "read:") or none  # none finished: the target is missed, not a crash
    writes = figures(real["rows"], "write:") or none
    for label, f in (("all reads", reads), ("all writes", writes)):
        print(f"  {label:<32}{f['count']:>9}{f['errors']:>8}{f['p50']:>9.0f}{f['p95']:>9.0f}{f['p99']:>9.0f}")
    total = len(real["rows"])
    errors = sum(not ok for _n, _t, ok, _e in real["rows"])
    for message in sorted({f"{n}: {e}" for n, _t, ok, e in real["rows"] if not ok})[:10]:
        print(f"  error: {message}")
    print(f"  throughput {total / real['seconds']:.1f} requests/s over {real['seconds']} s, errors {errors}")
    cap_rps = len(cap["rows"]) / cap["seconds"]
    base_rps = len(base["rows"]) / base["seconds"]
    cap_errors = sum(not ok for _n, _t, ok, _e in cap["rows"])
    print(f"\ncapacity, application mix: {cap_rps:.1f} requests/s ({cap_errors} errors)")
    for message in sorted({f"{n}: {e}" for n, _t, ok, e in cap["rows"] if not ok})[:5]:
        print(f"  error: {message}")
    print(f"capacity, health check:    {base_rps:.1f} requests/s")
    print(f"ratio application / trivial: {cap_rps / base_rps if base_rps else 0:.2f}")

    ok = reads["p95"] < READ_P95_MS and writes["p95"] < WRITE_P95_MS and errors == 0
    print(
        f"\ntargets: reads p95 {reads['p95']:.0f} < {READ_P95_MS} ms, writes p95 {writes['p95']:.0f} < "
        f"{WRITE_P95_MS} ms, errors {errors} = 0 → {'MET' if ok else 'MISSED'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
