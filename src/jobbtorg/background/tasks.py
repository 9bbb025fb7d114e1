"""`background.run_job`: run one job started from a page (`services.job_start`), by its id.

The runner of the job's kind (`RUNNERS`) does the work and marks the job done in the same transaction as its
effect, so a retry or a second delivery finds the job finished and does nothing. A domain error (the file is
refused, the month is locked, the role no longer allows it) fails the job with that reason; a lost database
or broker is retried with back-off, and the job fails when the tries are used up."""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .constants import JobKind
from .decorators import RETRY_ON, task
from .services import job_claim, job_fail

logger = logging.getLogger(__name__)

RUNNERS = {
    JobKind.ASSISTANCE_IMPORT: "jobbtorg.followup.jobs.assistance_import_run",
    JobKind.PAYMENT_RECALCULATION: "jobbtorg.payments.jobs.payment_recalculation_run",
    JobKind.PAYMENT_BASIS_PDF: "jobbtorg.payments.jobs.payment_basis_pdf_run",
    JobKind.RESEARCH_EXTRACT: "jobbtorg.reporting.jobs.research_extract_run",
}


@task(name="background.run_job", bind=True)
def run_job(self, job_id: int) -> str:
    job = job_claim(job_id)
    if job is None:
        return "finished already"
    runner = import_string(RUNNERS[job.kind])
    with translation.override(job.params.get("language") or "sv"):
        try:
            runner(job)
        except RETRY_ON:
            if self.request.retries >= self.max_retries:
                job_fail(job_id, _("The database or the queue was unavailable. Start the job again."))
            raise
        except PermissionDenied as error:
            job_fail(job_id, str(error) or _("You do not have permission to do this."))
        except ValidationError as error:
            job_fail(job_id, "; ".join(error.messages))
        except Exception:
            logger.exception("Background job %s (%s) failed", job_id, job.kind)
            job_fail(
                job_id,
                _("Something went wrong on our side. Give support the reference %(ref)s.")
                % {"ref": f"job-{job_id}"},
            )
            return "failed"
    return "done"
