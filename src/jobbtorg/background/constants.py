from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    ASSISTANCE_IMPORT = "assistance_import", _("Assistance import")
    PAYMENT_RECALCULATION = "payment_recalculation", _("Payment recalculation")
    PAYMENT_BASIS_PDF = "payment_basis_pdf", _("Payment basis as PDF")
    RESEARCH_EXTRACT = "research_extract", _("Research extract")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


FINISHED = frozenset({JobStatus.DONE, JobStatus.FAILED})
