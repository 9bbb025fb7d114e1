"""Payment work started from a page, as background jobs (`background.tasks.RUNNERS`): a month's
recalculation (the same service as before; one transaction with the job's `done`, and a line can never be
paid twice: its unique idempotency key) and one provider's payment basis as a PDF."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.audit.services import read_records
from jobbtorg.background.services import job_finish, job_progress
from jobbtorg.providers.models import Provider

from . import services
from .models import PaymentLine, PaymentRun
from .pdf import payment_basis_pdf
from .perms import can_see_provider_lines


def payment_recalculation_run(job) -> None:
    month = datetime.date.fromisoformat(job.params["month"])
    by = job.started_by
    job_progress(job, 10)
    with transaction.atomic():
        [result] = services.payment_run(month=month, by=by, municipality=by.municipality)
        job_finish(
            job,
            summary={
                "month": f"{month:%Y-%m}",
                "lines": result.lines,
                "adjustments": result.adjustments,
                "total": str(result.total),
            },
        )


def payment_basis_pdf_run(job) -> None:
    by = job.started_by
    provider = Provider.objects.filter(pk=job.params["provider_id"]).first()
    if provider is None or not can_see_provider_lines(by, provider):
        raise PermissionDenied(_("You cannot see this provider's payment basis."))
    month = datetime.date.fromisoformat(job.params["month"])
    run = PaymentRun.objects.filter(municipality_id=provider.municipality_id, month=month).first()
    if run is None:
        raise PermissionDenied(_("There is no payment basis for this month."))
    job_progress(job, 20)
    lines = list(
        PaymentLine.objects.filter(run=run, provider=provider)
        .with_person_shown(by)
        .select_related("participant", "rule", "provider")
        .prefetch_related("disputes")
        .order_by("participant__last_name", "period_month", "rule__order")
    )
    job_progress(job, 50)
    content = payment_basis_pdf(
        provider=provider, run=run, lines=lines, total=sum((line.amount for line in lines), 0)
    )
    shown = {line.participant_id: line.participant for line in lines if line.person_shown}
    with transaction.atomic():
        read_records(user=by, participants=shown.values(), view="payment_basis_pdf")
        job_finish(
            job,
            summary={"month": f"{month:%Y-%m}", "lines": len(lines)},
            file_name=f"betalningsunderlag-{month:%Y-%m}-{provider.pk}.pdf",
            content=content,
        )
