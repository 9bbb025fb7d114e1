"""Who may follow a background job — one function per rule, the rule in its docstring."""

from jobbtorg.followup.perms import can_import_assistance
from jobbtorg.payments.perms import can_run_payments, can_see_provider_lines
from jobbtorg.providers.models import Provider
from jobbtorg.reporting.perms import can_download_research_extract

from .constants import JobKind

# The role's rule for starting each kind of job (asked again when the result is read).
KIND_RULES = {
    JobKind.ASSISTANCE_IMPORT: can_import_assistance,
    JobKind.PAYMENT_RECALCULATION: can_run_payments,
    JobKind.RESEARCH_EXTRACT: can_download_research_extract,
}


def can_view_job(user, job) -> bool:
    """Only the person who started a job follows it and downloads its result, and only while their role
    still allows that kind of work (an import: `followup.can_import_assistance`; a payment recalculation:
    `payments.can_run_payments`; a provider's payment basis as PDF: `payments.can_see_provider_lines` of that
    provider; a research extract: `reporting.can_download_research_extract`)."""
    if not (getattr(user, "is_authenticated", False) and user.is_active) or job.started_by_id != user.pk:
        return False
    if job.kind == JobKind.PAYMENT_BASIS_PDF:
        provider = Provider.objects.filter(pk=job.params.get("provider_id")).first()
        return provider is not None and can_see_provider_lines(user, provider)
    return KIND_RULES[job.kind](user)
