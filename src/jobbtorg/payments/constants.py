from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class RuleKind(models.TextChoices):
    START_FEE = "start_fee", _("Start fee")
    MONTHLY_FEE = "monthly_fee", _("Monthly fee")
    RESULT_FEE = "result_fee", _("Result fee")
    SUSTAINMENT_FEE = "sustainment_fee", _("Sustainment fee")
    ATTACHMENT_FEE = "attachment_fee", _("Attachment fee")
    JOB_OUTCOME_FEE = "job_outcome_fee", _("Job outcome fee")
    DEDUCTION = "deduction", _("Deduction")


# Rules that pay for an assignment running (the others pay for an exit's result, or deduct).
ASSIGNMENT_KINDS = (RuleKind.START_FEE, RuleKind.ATTACHMENT_FEE, RuleKind.MONTHLY_FEE)


class Outcome(models.TextChoices):
    """What a result-type rule rewards."""

    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    WORK_OR_STUDIES = "work_or_studies", _("Work or studies")
    SELF_SUPPORT = "self_support", _("Self-support (lasting work, or studies with student finance)")
    NO_ASSISTANCE = "no_assistance", _("No assistance after exit (any reason)")


class DeductionTrigger(models.TextChoices):
    LATE_ATTENDANCE_REPORT = "late_attendance_report", _("Attendance not reported on time")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")


class DisputeStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class PaymentTier(models.TextChoices):
    """Distance tier from the mapping (plans.Tier) used as payment group: A near … C far."""

    A = "A", "A"
    B = "B", "B"
    C = "C", "C"


TIERS = ("A", "B", "C")


class CreamingFlag(models.TextChoices):
    """The shapes of creaming and parking the check flags (payments/creaming.py)."""

    CREAMING = "creaming", _("Results only from people near the labour market")
    SELECTION = "selection", _("Takes in mostly people near the labour market")
    EARLY_EXIT = "early_exit", _("Sends people far from the labour market back early")
    PARKED = "parked", _("People far from the labour market are not met (parked)")


class ReviewStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    DECIDED = "decided", _("Decided")


class ReviewDecision(models.TextChoices):
    """What the contract manager decides on the lines a review held: pay them, or not (and claw back what
    was already paid for the flagged people and months)."""

    RELEASE = "release", _("Release: pay the held lines")
    REJECT = "reject", _("Reject: do not pay, claw back what was paid")
