"""What the operator's `/metrics/` reads about background work: the queue's length in Redis and the background
jobs by status (at scrape time), and failed tasks (counted by the worker when a task fails)."""

import logging

from django.conf import settings
from django.db.models import Count
from prometheus_client import Counter
from prometheus_client.core import GaugeMetricFamily

from .models import BackgroundJob

logger = logging.getLogger(__name__)

TASK_FAILURES = Counter(
    "jobbtorg_task_failures_total", "Celery tasks that failed (after their retries).", ["task"]
)
TASK_RETRIES = Counter(
    "jobbtorg_task_retries_total", "Celery task retries (database or broker away).", ["task"]
)
# kombu's Redis transport keeps a queue as a list, one per priority step.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")


def queue_length(queue: str = "celery") -> int | None:
    """Tasks waiting in the broker (None without a Redis broker, or when it does not answer)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return None
    try:
        import redis  # the broker's client, only when there is one

        client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
        return sum(client.llen(queue + suffix) for suffix in _PRIORITY_SUFFIXES)
    except Exception:  # noqa: BLE001 — the broker being away is a reading, not an error of the scrape
        logger.warning("The task queue's length could not be read from the broker")
        return None


class BackgroundCollector:
    def describe(self):
        """The families without reading them (registering must not query the database or the broker)."""
        yield GaugeMetricFamily(
            "jobbtorg_task_queue_length", "Tasks waiting in the broker.", labels=["queue"]
        )
        yield GaugeMetricFamily("jobbtorg_background_jobs", "Background jobs.", labels=["kind", "status"])

    def collect(self):
        length = queue_length()
        queue = GaugeMetricFamily(
            "jobbtorg_task_queue_length", "Tasks waiting in the broker.", labels=["queue"]
        )
        if length is not None:
            queue.add_metric(["celery"], length)
        yield queue
        jobs = GaugeMetricFamily(
            "jobbtorg_background_jobs", "Background jobs by kind and status.", labels=["kind", "status"]
        )
        try:
            for row in BackgroundJob.objects.values("kind", "status").annotate(n=Count("pk")).order_by():
                jobs.add_metric([row["kind"], row["status"]], row["n"])
        except Exception:  # noqa: BLE001 — no database: the readiness check says so
            logger.warning("Background jobs could not be counted")
        yield jobs


def count_failure(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", "unknown")).inc()


def count_retry(sender=None, **kwargs) -> None:
    TASK_RETRIES.labels(getattr(sender, "name", "unknown")).inc()
