"""Scheduled: the retention dry-run report to the administrators (weekly). Nothing is removed here."""

from jobbtorg.background.decorators import task
from jobbtorg.background.once import once

from .notifications import retention_report_send


@task(name="privacy.retention_report")
def retention_report() -> int:
    return retention_report_send(claim=once)
