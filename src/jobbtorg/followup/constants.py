from django.db import models
from django.utils.translation import gettext_lazy as _


class ExitReason(models.TextChoices):
    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    OTHER_SUPPORT = "other_support", _("Other support (e.g. sickness compensation)")
    MOVED = "moved", _("Moved")
    INTERRUPTED = "interrupted", _("Interrupted")
    COMPLETED = "completed", _("Completed without work or studies")
    OTHER = "other", _("Other")


# Exit reasons that need evidence (a reference to a document or an employer's confirmation).
EVIDENCE_REQUIRED = frozenset({ExitReason.WORK, ExitReason.STUDIES})


class EmploymentForm(models.TextChoices):
    PERMANENT = "permanent", _("Permanent employment")
    FIXED_TERM = "fixed_term", _("Fixed-term employment")
    HOURLY = "hourly", _("Hourly work")
    SELF_EMPLOYED = "self_employed", _("Self-employed")


class ImportSource(models.TextChoices):
    API = "api", _("API")
    FILE = "file", _("File")


# Full time for "full-time hourly work" (Nacka: hourly work counts as self-support when full time).
FULL_TIME_HOURS = 40


class JobSupportState(models.TextChoices):
    """Where a period of support in the first time in a job stands — derived from its dates, never stored."""

    COMING = "coming", _("Not started yet")
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")
