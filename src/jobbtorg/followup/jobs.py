"""The assistance import as a background job (`background.tasks.RUNNERS`): the uploaded file is checked and
applied by the same service as before, all or nothing, and the job is marked done in the same transaction as
the import, so a retried task never imports twice."""

from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.background.services import job_discard_input, job_fail, job_finish, job_input, job_progress

from .assistance_import import assistance_import
from .constants import ImportSource


def assistance_import_run(job) -> None:
    content = job_input(job)
    job_progress(job, 10)
    with transaction.atomic():
        result = assistance_import(
            by=job.started_by,
            content=content,
            file_name=job.params.get("file_name", ""),
            source=ImportSource.FILE,
            encoding=job.params.get("encoding") or None,
        )
        if result.ok:
            job_finish(
                job,
                summary={
                    "month": f"{result.batch.month:%Y-%m}",
                    "created": result.created,
                    "replaced": result.replaced,
                    "unchanged": result.unchanged,
                    "skipped": result.skipped,
                },
            )
    if not result.ok:
        job_fail(
            job.pk,
            _("The file was rejected; nothing was imported."),
            summary={"errors": [[line, str(message)] for line, message in result.errors[:500]]},
        )
    job_discard_input(job)
