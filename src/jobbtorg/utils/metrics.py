"""The operator's metrics at `/metrics/` (Prometheus text format), not public: only with the bearer token of
`JOBBTORG_METRICS_TOKEN` (unset: 403 for everyone). Requests by view and status, their latency; apps add what
is read at scrape time (the task queue's length, background jobs by status: `background.metrics`).

Several processes (gunicorn workers, Celery workers) add up when `PROMETHEUS_MULTIPROC_DIR` names a directory
shared by all of them, emptied before they start (`make prod` does)."""

import hmac
import os
import time

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "jobbtorg_http_requests_total",
    "HTTP requests answered, by view and status.",
    ["method", "view", "status"],
)
LATENCY = Histogram(
    "jobbtorg_http_request_duration_seconds",
    "Time to answer a request, by view.",
    ["view"],
    buckets=(0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
_scrape_collectors: list = []


def add_collector(collector) -> None:
    """A collector read at every scrape (its `collect()` yields metric families)."""
    _scrape_collectors.append(collector)
    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        REGISTRY.register(collector)


class RequestMetrics:
    """Counts each request and times it. The view is the URL name (bounded; never the path, which could hold
    anything)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unmatched"
        if view == "metrics":
            return response
        REQUESTS.labels(
            request.method if request.method in _METHODS else "other", view, response.status_code
        ).inc()
        LATENCY.labels(view).observe(time.perf_counter() - started)
        return response


_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def _authorised(request) -> bool:
    token = settings.JOBBTORG_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@never_cache
@require_safe
def metrics(request):
    if not _authorised(request):
        return HttpResponse(
            "Forbidden: the metrics need the operator's token.\n", status=403, content_type="text/plain"
        )
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        for collector in _scrape_collectors:
            registry.register(collector)
    else:
        registry = REGISTRY
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)
