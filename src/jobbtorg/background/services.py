"""Start a background job and move it along: queued → running → done / failed (reason). The work itself is a
runner per kind (`runners.py`) that the task `background.run_job` calls with the job."""

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language

from jobbtorg.accounts.selectors import municipality_id_of

from .constants import JobStatus
from .models import BackgroundJob


def job_create(
    *,
    kind: str,
    by,
    params: dict | None = None,
    input_content: bytes | None = None,
    input_name: str = "",
    idempotency_key: str | None = None,
) -> tuple[BackgroundJob, bool]:
    """A queued job for `by` (and whether it is new). The same `idempotency_key` again (a double-click, a
    resent form) gives the same job, not a new one. Sending it to the worker: `background.jobs.job_start`."""
    if idempotency_key:
        existing = BackgroundJob.objects.filter(idempotency_key=idempotency_key, started_by=by).first()
        if existing is not None:
            return existing, False
    job = BackgroundJob(
        kind=kind,
        started_by=by,
        municipality_id=municipality_id_of(by),
        params={"language": get_language(), **(params or {})},
        idempotency_key=idempotency_key or None,
    )
    if input_content is not None:
        job.input_file.save(input_name or "upload", ContentFile(input_content), save=False)
    job.save()
    return job, True


def job_progress(job: BackgroundJob, percent: int) -> None:
    """Report progress (0–100) outside the runner's transaction, so the page sees it while the work runs."""
    percent = max(0, min(100, int(percent)))
    BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(progress=percent)
    job.progress = percent


def job_claim(job_id: int) -> BackgroundJob | None:
    """Mark a queued job running and return it; None when it has finished already (a retry or a second
    delivery of the task: nothing is done twice). A job left running by a killed worker is run again: its
    runner's effect and the job's `done` commit together, so it had not happened."""
    with transaction.atomic():
        job = BackgroundJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.is_finished:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.reason = ""
        job.save(update_fields=["status", "started_at", "reason"])
    return job


def job_finish(job: BackgroundJob, *, summary: dict | None = None, file_name: str = "", content=None) -> None:
    """Done, with a summary and/or a result file. Call it inside the transaction of the job's effect."""
    job.status = JobStatus.DONE
    job.progress = 100
    job.finished_at = timezone.now()
    job.summary = summary or {}
    if content is not None:
        job.result_name = file_name
        job.result_file.save(file_name, ContentFile(content), save=False)
    job.save()


def job_fail(job_id: int, reason: str, *, summary: dict | None = None) -> None:
    """Failed, with the reason the page shows (a sentence for the user, never a traceback) and, for a
    refused file, the errors per line in the summary."""
    fields = {"status": JobStatus.FAILED, "reason": reason[:2000], "finished_at": timezone.now()}
    if summary is not None:
        fields["summary"] = summary
    BackgroundJob.objects.filter(pk=job_id).exclude(status=JobStatus.DONE).update(**fields)


def job_input(job: BackgroundJob) -> bytes:
    with job.input_file.open("rb") as handle:
        return handle.read()


def job_discard_input(job: BackgroundJob) -> None:
    if job.input_file:
        job.input_file.delete(save=False)
        BackgroundJob.objects.filter(pk=job.pk).update(input_file="")
