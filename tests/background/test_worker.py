"""A real Celery worker against Redis: `celery -A jobbtorg worker` in a second process, on the test database,
runs a task sent through the broker, and its effect is in the database. Redis db 15 and a queue of this run's
own, so nothing else on the machine takes the task. Skipped only when no Redis answers at all (.ci/run starts
one)."""

import datetime
import os
import subprocess
import sys
import tempfile
import time
import uuid
import warnings
from pathlib import Path

import pytest
from celery.exceptions import AlwaysEagerIgnored
from django.db import connection
from django.utils import timezone

from jobbtorg.background.models import OnceMark
from jobbtorg.celery import app

from ..factories import ReferralFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]
BROKER = os.environ.get("JOBBTORG_TEST_BROKER", "redis://127.0.0.1:6379/15")

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _redis_answers() -> bool:
    try:
        import redis

        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001 — any failure: no Redis here
        return False


def _database_url() -> str:
    """The test database, as the worker process must open it (pytest-django made it)."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    user = s.get("USER") or ""
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    host = s.get("HOST") or "127.0.0.1"
    port = f":{s['PORT']}" if s.get("PORT") else ""
    return f"postgres://{user}{password}@{host}{port}/{s['NAME']}"


@pytest.fixture
def worker():
    if not _redis_answers():
        pytest.skip(f"no Redis at {BROKER}")
    queue = f"test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": BROKER,
        "PYTHONPATH": str(ROOT / "src"),
    }
    log = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "jobbtorg",
            "worker",
            "--pool=solo",
            "--queues",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    process.log = log
    try:
        yield queue, process
    finally:
        log.close()
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _send(name: str, queue: str, **kwargs) -> None:
    """Through the broker, not eagerly: this process's settings run tasks eagerly (no CELERY_BROKER_URL)."""
    with app.connection_for_write(BROKER) as conn, warnings.catch_warnings():
        warnings.simplefilter("ignore", AlwaysEagerIgnored)
        app.send_task(name, kwargs=kwargs, queue=queue, connection=conn)


def _wait_for(condition, process, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        if process.poll() is not None:
            pytest.fail(f"the worker stopped ({process.returncode}):\n{_output(process)}")
        time.sleep(0.3)
    pytest.fail(f"the task's effect did not appear in {seconds:.0f} s; worker output:\n{_output(process)}")


def _output(process) -> str:
    process.log.seek(0)
    return process.log.read()


def test_a_real_worker_runs_a_scheduled_chore_through_redis(worker):
    queue, process = worker
    coach = UserFactory(coach=True, email="coach@example.org")
    ReferralFactory(
        accepted=True,
        coach=coach,
        referral_date=timezone.localdate() - datetime.timedelta(days=30),
        plan_due_date=timezone.localdate() - datetime.timedelta(days=10),
    )
    key = f"plans-overdue:{coach.pk}:{timezone.localdate().isoformat()}"
    _send("plans.overdue_plan_reminders", queue)
    _wait_for(lambda: OnceMark.objects.filter(key=key).exists(), process)
    _send("plans.overdue_plan_reminders", queue)  # a second delivery: the mark stays one
    time.sleep(2)
    assert OnceMark.objects.filter(key__startswith="plans-overdue:").count() == 1
