"""`/health/` (liveness): for load balancers, monitoring and the load test's baseline. Answers without logging
in, tells nothing about people, and checks that the database answers.

`/health/ready/` (readiness): may this instance take traffic? The database answers, the broker answers (when
there is one: without a broker tasks run eagerly), and no migration is waiting. 503 with the reasons when
not; the reasons name components, never data."""

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any database failure means "not healthy", never a 500 page
        connection.close()  # a connection lost since the request's health check: the retry gets a new one
        return False
    return True


@never_cache
@require_GET
def health(request):
    if not (_database_answers() or _database_answers()):
        return JsonResponse({"status": "unavailable", "database": "down"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _broker_answers() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "not used"
    from kombu import Connection  # only where a broker is configured

    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1, timeout=2)
    except Exception:  # noqa: BLE001 — any failure: the broker is not there
        return "down"
    return "ok"


def _unapplied_migrations() -> int | None:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        return len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    except Exception:  # noqa: BLE001 — reported by the database check
        return None


@never_cache
@require_GET
def ready(request):
    checks = {"database": "ok" if (_database_answers() or _database_answers()) else "down"}
    checks["broker"] = _broker_answers()
    pending = _unapplied_migrations() if checks["database"] == "ok" else None
    checks["migrations"] = (
        "ok" if pending == 0 else ("unknown" if pending is None else f"{pending} unapplied")
    )
    problems = [name for name, state in checks.items() if state not in ("ok", "not used")]
    if problems:
        return JsonResponse({"status": "not ready", **checks, "reasons": problems}, status=503)
    return JsonResponse({"status": "ready", **checks})
