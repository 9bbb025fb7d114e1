"""Start a background job from a page: create it (`services.job_create`) and send it to the worker when the
transaction commits — or, without a broker (development, the demo, the tests), run it now in the request."""

from django.db import transaction

from jobbtorg.celery import app

from .models import BackgroundJob
from .services import job_create
from .tasks import run_job


def job_start(
    *,
    kind: str,
    by,
    params: dict | None = None,
    input_content: bytes | None = None,
    input_name: str = "",
    idempotency_key: str | None = None,
) -> BackgroundJob:
    eager = app.conf.task_always_eager
    with transaction.atomic():
        job, created = job_create(
            kind=kind,
            by=by,
            params=params,
            input_content=input_content,
            input_name=input_name,
            idempotency_key=idempotency_key,
        )
        if created and not eager:
            job_id = job.pk
            transaction.on_commit(lambda: run_job.delay(job_id))
    if created and eager:
        run_job.delay(job.pk)
    job.refresh_from_db()
    return job
