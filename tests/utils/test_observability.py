"""Logs and health for the operator: a request id in every record, the response header and the 500 page;
JSON log lines; `/metrics/` only with the operator's token; `/health/ready/` checks the database, the broker
and the migrations; the Procfile's processes."""

import io
import json
import logging
import subprocess
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from pythonjsonlogger.json import JsonFormatter

from jobbtorg.utils.logging import RedactPersonalNumbers, RequestIdFilter

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_every_response_names_its_request_id(client):
    first, second = client.get(reverse("health")), client.get(reverse("health"))
    assert len(first["X-Request-ID"]) == 12 and first["X-Request-ID"] != second["X-Request-ID"]
    assert client.get(reverse("health"), headers={"X-Request-ID": "proxy-abc-12345"})["X-Request-ID"] == (
        "proxy-abc-12345"
    )
    odd = client.get(reverse("health"), headers={"X-Request-ID": "<script>19870314-2383"})["X-Request-ID"]
    assert "script" not in odd and "2383" not in odd


@pytest.fixture
def json_log():
    """The production console handler: JSON lines with the request id, identity numbers redacted."""
    spec = django_settings.LOGGING["formatters"]["json"]
    handler = logging.StreamHandler(stream := io.StringIO())
    handler.setFormatter(
        JsonFormatter(spec["fmt"], rename_fields=spec["rename_fields"], static_fields=spec["static_fields"])
    )
    handler.addFilter(RequestIdFilter())
    handler.addFilter(RedactPersonalNumbers())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


@pytest.mark.urls("tests.utils.urls_failing")
def test_the_500_reference_is_the_request_id_of_the_json_log_line(coach, json_log):
    client = Client(raise_request_exception=False)
    client.force_login(coach)
    response = client.get("/trasig/")
    reference = response["X-Request-ID"]
    assert response.status_code == 500 and f"<code>{reference}</code>" in response.content.decode()
    lines = [json.loads(line) for line in json_log.getvalue().splitlines()]
    error = next(line for line in lines if line["logger"] == "django.request" and line["level"] == "ERROR")
    assert error["request_id"] == reference and reference in error["message"]
    assert error["service"] == "jobbtorg" and "time" in error


def test_json_log_lines_carry_no_identity_number(json_log):
    logging.getLogger("jobbtorg.test").warning("Lookup of %s failed", "19870314-2383")
    line = json.loads(json_log.getvalue().splitlines()[-1])
    assert "19870314-2383" not in json.dumps(line) and line["request_id"] == ""


def test_metrics_need_the_operators_token(client, settings, coach):
    settings.JOBBTORG_METRICS_TOKEN = ""
    assert client.get("/metrics/", headers={"Authorization": "Bearer "}).status_code == 403
    settings.JOBBTORG_METRICS_TOKEN = "s3cret-token"
    client.force_login(coach)  # a login is not enough
    assert client.get("/metrics/").status_code == 403
    assert client.get("/metrics/", headers={"Authorization": "Bearer wrong"}).status_code == 403
    client.get(reverse("health"))
    response = client.get("/metrics/", headers={"Authorization": "Bearer s3cret-token"})
    text = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    assert 'jobbtorg_http_requests_total{method="GET",status="200",view="health"}' in text
    assert "jobbtorg_http_request_duration_seconds_bucket" in text
    assert "jobbtorg_task_queue_length" in text and "jobbtorg_background_jobs" in text
    assert "jobbtorg_task_failures_total" in text or "jobbtorg_task_failures" in text


def test_the_queue_length_is_read_from_redis(settings):
    from jobbtorg.background.metrics import queue_length

    settings.CELERY_BROKER_URL = "memory://"
    assert queue_length() is None
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/15"  # nobody there: no figure, no error
    assert queue_length() is None


def test_ready_when_database_broker_and_migrations_are(client):
    response = client.get(reverse("health_ready"))
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "database": "ok", "broker": "not used", "migrations": "ok"}


def test_not_ready_without_the_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/15"
    response = client.get(reverse("health_ready"))
    assert response.status_code == 503
    assert response.json()["broker"] == "down" and response.json()["reasons"] == ["broker"]


def test_not_ready_with_unapplied_migrations(client):
    with mock.patch("jobbtorg.utils.health.MigrationExecutor") as executor:
        executor.return_value.migration_plan.return_value = [("background", "0003_new")]
        response = client.get(reverse("health_ready"))
    assert response.status_code == 503 and response.json()["migrations"] == "1 unapplied"


def test_not_ready_without_the_database(client):
    with mock.patch("jobbtorg.utils.health._database_answers", return_value=False):
        response = client.get(reverse("health_ready"))
    assert response.status_code == 503 and response.json()["database"] == "down"
    assert response.json()["migrations"] == "unknown"


def test_the_procfile_runs_web_worker_and_beat():
    procfile = (ROOT / "Procfile").read_text()
    processes = dict(
        line.split(":", 1) for line in procfile.splitlines() if line and not line.startswith("#")
    )
    assert set(processes) == {"web", "worker", "beat"}
    assert "gunicorn -c gunicorn.conf.py" in processes["web"]
    assert (
        "celery -A jobbtorg worker" in processes["worker"] and "celery -A jobbtorg beat" in processes["beat"]
    )
    result = subprocess.run(
        [str(ROOT / ".venv/bin/honcho"), "-f", "Procfile", "check"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert (
        "prod:" in (ROOT / "Makefile").read_text()
        and "honcho -f Procfile start" in (ROOT / "Makefile").read_text()
    )


def test_a_tasks_log_records_carry_the_tasks_id(json_log):
    from jobbtorg.plans.tasks import overdue_plan_reminders

    with mock.patch(
        "jobbtorg.plans.tasks.overdue_plan_reminders_send",
        side_effect=lambda **kw: logging.getLogger("jobbtorg.test").warning("in the task") or 0,
    ):
        result = overdue_plan_reminders.delay()
    line = next(json.loads(x) for x in json_log.getvalue().splitlines() if "in the task" in x)
    assert line["request_id"] == f"task-{result.id[:8]}"
