"""Database connections terminated under load: how many requests does the user see fail?

Serves the app with gunicorn (gunicorn.conf.py, persistent connections: DB_CONN_MAX_AGE=60) on loopback
against a PostgreSQL database of its own, sends requests from several threads for a while, and meanwhile
terminates every connection the server holds (`pg_terminate_backend`) at a fixed interval — what a database
restart, a failover or an administrator does. Prints the count per status and the number of 5xx answers.
Target: 0 × 5xx (CONN_HEALTH_CHECKS replaces a dead connection at the start of a request; a GET whose
connection dies mid-request is retried once, `utils.middleware.RetryGetOnLostConnection`).

    .venv/bin/python bench/lost_connections.py [--seconds 30] [--threads 8] [--interval 0.5]
    # as before: DB_CONN_HEALTH_CHECKS=0 JOBBTORG_RETRY_LOST_CONNECTION=0 in front of the same command

Bounded: it stops by itself after --seconds, and only talks to 127.0.0.1.
"""

import argparse
import collections
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
NAME = "jobbtorg_lost_connections"
PATHS = ["/api/participants/", "/api/referrals/", "/health/"]


def prepare(url: str, env: dict) -> str:
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{NAME}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    script = (
        "from tests.factories import DistrictFactory, ReferralFactory, UserFactory\n"
        "from django.test import Client\n"
        "user = UserFactory(coach=True, username='bench-coach')\n"
        "district = DistrictFactory(unit=user.unit)\n"
        "for _ in range(20): ReferralFactory(accepted=True, coach=user, district=district, "
        "participant__district=district)\n"
        "client = Client()\n"
        "client.force_login(user)\n"
        "print(client.cookies['sessionid'].value)\n"
    )
    out = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    return out.stdout.decode().strip().splitlines()[-1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between terminations")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8471)
    args = parser.parse_args()

    url = f"{SERVER}/{NAME}"
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.dev",
        "DJANGO_DEBUG": "0",
        "DB_CONN_MAX_AGE": "60",
        "PYTHONPATH": f"{ROOT / 'src'}:{ROOT}",
        "LOG_LEVEL": "CRITICAL",
    }
    token = prepare(url, env)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            "/dev/null",
            "--log-level",
            "critical",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/health/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            sys.exit("gunicorn did not start")
        return run(base, token, url, args)
    finally:
        server.terminate()
        server.wait(timeout=20)


def run(base: str, token: str, url: str, args) -> int:
    statuses: collections.Counter = collections.Counter()
    lock = threading.Lock()
    stop = time.monotonic() + args.seconds
    terminated = [0]

    def client(n: int):
        i = n
        while time.monotonic() < stop:
            path = PATHS[i % len(PATHS)]
            i += 1
            request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={token}"})
            try:
                with urllib.request.urlopen(request, timeout=30) as response:
                    status = response.status
            except urllib.error.HTTPError as exc:
                status = exc.code
            except OSError:
                status = "connection error"
            with lock:
                statuses[status] += 1

    def killer():
        with psycopg.connect(url, autocommit=True) as conn:
            while time.monotonic() < stop:
                time.sleep(args.interval)
                rows = conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
                terminated[0] += len(rows)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(args.threads)]
    threads.append(threading.Thread(target=killer))
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    total = sum(statuses.values())
    errors = sum(n for s, n in statuses.items() if not isinstance(s, int) or s >= 500)
    print(
        json.dumps(
            {
                "seconds": round(elapsed, 1),
                "requests": total,
                "connections_terminated": terminated[0],
                "statuses": {str(k): v for k, v in sorted(statuses.items(), key=str)},
                "server_errors": errors,
                "CONN_HEALTH_CHECKS": os.environ.get("DB_CONN_HEALTH_CHECKS", "1") == "1",
                "retry_get": os.environ.get("JOBBTORG_RETRY_LOST_CONNECTION", "1") == "1",
            },
            indent=2,
        )
    )
    print(f"{errors} user-visible 5xx of {total} requests while {terminated[0]} connections were terminated")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
