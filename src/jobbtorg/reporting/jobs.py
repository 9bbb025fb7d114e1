"""The research extract as a background job (`background.tasks.RUNNERS`): the CSV is written to a file the
person who asked for it downloads from the job's page."""

import io

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import transaction
from django.utils import timezone

from jobbtorg.background.services import job_finish, job_progress
from jobbtorg.utils.tabular import SafeCsvWriter

from . import research
from .perms import can_download_research_extract


def research_extract_run(job) -> None:
    by = job.started_by
    if not can_download_research_extract(by):
        raise PermissionDenied
    today = timezone.localdate()
    start = today.replace(year=today.year - 1, month=1, day=1)
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";")
    try:
        count = -1
        for count, row in enumerate(
            research.extract_rows(municipality_id=job.municipality_id, start=start, end=today, today=today)
        ):
            writer.writerow(row)
            if count and count % 5000 == 0:
                job_progress(job, min(90, 10 + count // 5000))
    except ImproperlyConfigured as exc:
        raise PermissionDenied(str(exc)) from exc
    with transaction.atomic():
        job_finish(
            job,
            summary={"rows": max(count, 0), "start": start.isoformat(), "end": today.isoformat()},
            file_name="jobbtorg-forskningsextrakt.csv",
            content=out.getvalue().encode("utf-8"),
        )
