"""`@task`: Celery's `shared_task` with the project's retry rule.

Tasks take ids (never objects), are idempotent (`background.once`) and are retried with exponential
back-off (5 s, 10 s, 20 s … at most 10 min, with jitter; 5 tries) when the database or the broker is briefly
away. A domain error (ValidationError, PermissionDenied) is not retried: it would fail the same way again."""

from celery import shared_task
from django.db import InterfaceError, OperationalError

RETRY_ON = (OperationalError, InterfaceError, ConnectionError, TimeoutError)


def task(**options):
    defaults = {
        "autoretry_for": RETRY_ON,
        "retry_backoff": 5,
        "retry_backoff_max": 600,
        "retry_jitter": True,
        "max_retries": 5,
    }
    return shared_task(**{**defaults, **options})
