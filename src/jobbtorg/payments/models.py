"""Results-based compensation as versioned data: a model (e.g. "Nacka jobbpeng") has versions valid from a
date, each a set of rules (start fee, monthly fee, result fee, sustainment fee, attachment fee, job outcome
fee, deduction) with their parameters and rates per distance tier / payment group. Contracts and
authorisations point to a model; the monthly payment run writes one line per provider, participant, rule
and period, which can exist only once (idempotency key)."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import (
    CreamingFlag,
    DeductionTrigger,
    DisputeStatus,
    Outcome,
    PaymentTier,
    ReviewDecision,
    ReviewStatus,
    RuleKind,
    RunStatus,
)
from .querysets import (
    CompensationModelQuerySet,
    CreamingReviewQuerySet,
    DisputeQuerySet,
    PaymentLineQuerySet,
    PaymentRunQuerySet,
)


class CompensationModel(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    source = models.TextField(_("source"), blank=True, help_text=_("Where the figures come from."))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CompensationModelQuerySet.as_manager()

    class Meta:
        verbose_name = _("compensation model")
        verbose_name_plural = _("compensation models")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="compensation_model_name")
        ]
        permissions = [("manage_compensation", _("Can edit compensation models"))]

    def __str__(self):
        return self.name


class CompensationModelVersion(models.Model):
    """The rules of a model from `valid_from` until the next version starts."""

    model = models.ForeignKey(CompensationModel, on_delete=models.CASCADE, related_name="versions")
    valid_from = models.DateField(_("valid from"))
    cap_per_participant = models.DecimalField(
        _("cap per participant (SEK)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Most a provider is paid for one person under this model, all rules together."),
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("compensation model version")
        verbose_name_plural = _("compensation model versions")
        ordering = ["model", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["model", "valid_from"], name="compensation_version_start"),
            models.CheckConstraint(
                condition=models.Q(cap_per_participant__isnull=True) | models.Q(cap_per_participant__gte=0),
                name="compensation_version_cap_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.model} {self.valid_from}"


class CompensationRule(models.Model):
    """One rule of a model version. `code` names the rule across versions (the idempotency key uses it, so a
    new version does not pay a one-off fee again)."""

    version = models.ForeignKey(CompensationModelVersion, on_delete=models.CASCADE, related_name="rules")
    code = models.SlugField(_("code"), max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    label = models.CharField(_("label"), max_length=120)
    amount = models.DecimalField(
        _("amount (SEK)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_("Base amount; a rate per tier overrides it. Deductions: amount per occurrence."),
    )
    tiers = models.CharField(
        _("applies to tiers"), max_length=3, blank=True, help_text=_("E.g. 'BC'. Empty: every tier.")
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    min_hours_per_week = models.PositiveSmallIntegerField(
        _("at least hours of work per week"), null=True, blank=True
    )
    min_weeks = models.PositiveSmallIntegerField(_("lasting at least weeks"), null=True, blank=True)
    months_without_assistance = models.PositiveSmallIntegerField(
        _("months without assistance after exit"), null=True, blank=True
    )
    waiting_days = models.PositiveSmallIntegerField(
        _("waiting days"), default=0, help_text=_("Days the intervention must have run before it pays.")
    )
    max_months_in_service = models.PositiveSmallIntegerField(
        _("at most months in the service"), null=True, blank=True
    )
    interval_weeks = models.PositiveSmallIntegerField(
        _("paid every weeks"), null=True, blank=True, help_text=_("Repeating payments, e.g. 4 (four-weekly).")
    )
    max_occurrences = models.PositiveSmallIntegerField(_("at most payments"), null=True, blank=True)
    count_subsidised = models.BooleanField(_("subsidised jobs count"), default=True)
    cap_per_participant = models.DecimalField(
        _("cap per participant (SEK)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deduction_trigger = models.CharField(
        _("deduction for"), max_length=30, choices=DeductionTrigger.choices, blank=True
    )
    late_after_days = models.PositiveSmallIntegerField(_("late after days"), null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("compensation rule")
        verbose_name_plural = _("compensation rules")
        ordering = ["version", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="compensation_rule_code")]

    def __str__(self):
        return self.label


class RuleRate(models.Model):
    """The amount and/or multiplier of a rule for one distance tier (payment group)."""

    rule = models.ForeignKey(CompensationRule, on_delete=models.CASCADE, related_name="rates")
    tier = models.CharField(_("tier"), max_length=1, choices=PaymentTier.choices)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True)
    multiplier = models.DecimalField(_("multiplier"), max_digits=5, decimal_places=2, default=Decimal("1.00"))

    class Meta:
        verbose_name = _("rate per tier")
        verbose_name_plural = _("rates per tier")
        constraints = [
            models.UniqueConstraint(fields=["rule", "tier"], name="rule_rate_tier"),
            models.CheckConstraint(condition=models.Q(multiplier__gte=0), name="rule_rate_multiplier_ok"),
        ]


class ModelAssignment(models.Model):
    """Which compensation model a procurement contract or an authorisation is paid by."""

    contract = models.OneToOneField(
        "providers.Contract", on_delete=models.CASCADE, null=True, blank=True, related_name="compensation"
    )
    authorisation = models.OneToOneField(
        "providers.Authorisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="compensation",
    )
    model = models.ForeignKey(CompensationModel, on_delete=models.PROTECT, related_name="assignments")

    class Meta:
        verbose_name = _("compensation model of a contract or authorisation")
        verbose_name_plural = _("compensation models of contracts and authorisations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(contract__isnull=False, authorisation__isnull=True)
                    | models.Q(contract__isnull=True, authorisation__isnull=False)
                ),
                name="model_assignment_one_target",
                violation_error_message=_("Choose either a contract or an authorisation."),
            )
        ]


class PaymentRun(models.Model):
    """The payment basis of one month for a municipality. Approving it locks it."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.DRAFT)
    computed_at = models.DateTimeField(_("computed"), null=True, blank=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    line_count = models.PositiveIntegerField(_("lines"), default=0)
    total = models.DecimalField(_("total (SEK)"), max_digits=14, decimal_places=2, default=Decimal("0"))
    lock_version = models.PositiveIntegerField(default=0)

    objects = PaymentRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment run")
        verbose_name_plural = _("payment runs")
        ordering = ["-month"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="one_payment_run_per_month"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="payment_run_first_day"),
        ]
        permissions = [
            ("run_payments", _("Can compute the monthly payment basis")),
            ("approve_payments", _("Can approve the monthly payment basis")),
            ("view_payment_basis", _("Can see the payment basis of all providers")),
            ("view_creaming_check", _("Can see the creaming and parking check")),
        ]

    def __str__(self):
        return f"{self.month:%Y-%m}"

    @property
    def is_locked(self) -> bool:
        return self.status == RunStatus.APPROVED


class CreamingReview(models.Model):
    """A flag of the creaming check (payments/creaming.py) put before the contract manager: the provider's
    payment lines for the flagged people and months are held — not paid — until a decision releases them
    (paid with the next run) or rejects them (never paid; what was paid is clawed back). The decision, its
    reason and who took it are kept; a decided review is not decided again."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="creaming_reviews"
    )
    rule = models.CharField(_("flag"), max_length=20, choices=CreamingFlag.choices)
    tier = models.CharField(_("tier"), max_length=1, blank=True)
    start = models.DateField(_("period from"))
    end = models.DateField(_("period to"))
    participants = models.ManyToManyField(
        "participants.Participant", related_name="+", verbose_name=_("flagged people")
    )
    figures = models.JSONField(_("figures behind the flag"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.OPEN
    )
    decision = models.CharField(_("decision"), max_length=20, choices=ReviewDecision.choices, blank=True)
    reason = models.TextField(_("reason for the decision"), blank=True)
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    lock_version = models.PositiveIntegerField(default=0)

    objects = CreamingReviewQuerySet.as_manager()

    class Meta:
        verbose_name = _("creaming review")
        verbose_name_plural = _("creaming reviews")
        ordering = ["status", "-opened_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "rule", "start", "end"], name="creaming_review_once_per_period"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=ReviewStatus.OPEN, decision="")
                    | models.Q(status=ReviewStatus.DECIDED, decision__in=ReviewDecision.values)
                ),
                name="creaming_review_decided_with_decision",
            ),
        ]

    def __str__(self):
        return f"{self.provider} {self.rule} {self.start:%Y-%m}–{self.end:%Y-%m}"

    @property
    def months(self) -> tuple:
        """The first and last month whose lines the review holds."""
        return self.start.replace(day=1), self.end


class PaymentLine(models.Model):
    """What one provider is paid for one person under one rule for one period, and why (evidence).
    `period` is the month ("2025-03") for monthly fees and deductions, "once" for one-off fees and
    "n07" for the 7th repeating payment; `reverses` marks a claw-back of an earlier line."""

    id = models.BigAutoField(primary_key=True)
    run = models.ForeignKey(PaymentRun, on_delete=models.CASCADE, related_name="lines")
    provider = models.ForeignKey("providers.Provider", on_delete=models.PROTECT, related_name="payment_lines")
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    model = models.ForeignKey(CompensationModel, on_delete=models.PROTECT, related_name="+")
    rule = models.ForeignKey(CompensationRule, on_delete=models.PROTECT, related_name="lines")
    rule_code = models.SlugField(max_length=40)
    kind = models.CharField(_("kind"), max_length=20, choices=RuleKind.choices)
    period = models.CharField(_("period"), max_length=48)
    period_month = models.DateField(_("for month"))
    tier = models.CharField(_("tier"), max_length=1, blank=True)
    amount = models.DecimalField(_("amount (SEK)"), max_digits=12, decimal_places=2)
    is_adjustment = models.BooleanField(_("adjustment"), default=False)
    evidence = models.JSONField(_("evidence"), default=dict)
    reverses = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversals",
        verbose_name=_("reverses"),
        help_text=_("A claw-back: the paid line whose evidence no longer holds."),
    )
    held_by = models.ForeignKey(
        CreamingReview,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_lines",
        verbose_name=_("held for review"),
        help_text=_("Not paid with its run: a creaming review holds it until a decision."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PaymentLineQuerySet.as_manager()

    class Meta:
        verbose_name = _("payment line")
        verbose_name_plural = _("payment lines")
        ordering = ["provider", "participant", "period_month", "rule_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "participant", "model", "rule_code", "period"],
                name="payment_line_paid_once",
                violation_error_message=_("This line has already been paid."),
            )
        ]
        indexes = [
            models.Index(fields=["run", "provider"]),
            models.Index(fields=["participant", "model"]),
        ]


class Dispute(models.Model):
    """A provider disagrees with a line (or a missing one) and says why."""

    line = models.ForeignKey(PaymentLine, on_delete=models.CASCADE, related_name="disputes")
    comment = models.TextField(_("comment"))
    status = models.CharField(
        _("status"), max_length=20, choices=DisputeStatus.choices, default=DisputeStatus.OPEN
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = DisputeQuerySet.as_manager()

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering = ["-created_at"]
