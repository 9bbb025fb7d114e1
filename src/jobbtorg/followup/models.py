"""Exits (avslut) with their reason and evidence, and the monthly assistance status per person imported from
the economic-assistance system — the facts that results-based payments and follow-up build on."""

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jobbtorg.utils.dates import add_months

from .constants import EmploymentForm, ExitReason, ImportSource, JobSupportState
from .querysets import AssistanceImportQuerySet, AssistanceMonthQuerySet, ExitQuerySet, JobSupportQuerySet


class Exit(models.Model):
    """Why and when a person left the Jobbtorg. Recording it closes the referral (one transaction)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="exit")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="exits"
    )
    exit_date = models.DateField(_("exit date"))
    reason = models.CharField(_("reason"), max_length=20, choices=ExitReason.choices)
    work_hours_per_week = models.PositiveSmallIntegerField(_("hours of work per week"), null=True, blank=True)
    employment_form = models.CharField(
        _("form of employment"), max_length=20, choices=EmploymentForm.choices, blank=True
    )
    subsidised = models.BooleanField(_("subsidised employment"), default=False)
    # Asked explicitly for every exit to work (None: not answered yet — the Kolada figures stay preliminary).
    municipal_labour_market_job = models.BooleanField(
        _("municipal labour-market job"),
        null=True,
        blank=True,
        default=None,
        help_text=_("Jobs created by the municipality's labour-market unit do not count as work (Kolada)."),
    )
    work_start_date = models.DateField(_("work starts"), null=True, blank=True)
    # The one-month follow-up of an exit to work (Kolada: work that has lasted at least one continuous month).
    # None: not known yet (asked of the coach once a month has passed since the work started).
    work_lasted_one_month = models.BooleanField(
        _("the work lasted at least one continuous month"), null=True, blank=True, default=None
    )
    work_followed_up_at = models.DateTimeField(null=True, blank=True)
    # Received student finance (the results-based payments' rule) …
    studies_with_student_finance = models.BooleanField(_("studies with student finance (CSN)"), default=False)
    # … and eligible for it (Kolada's rule for studies), asked explicitly for every exit to studies.
    studies_eligible_for_student_finance = models.BooleanField(
        _("studies eligible for student finance (studiemedelsberättigad)"),
        null=True,
        blank=True,
        default=None,
        help_text=_(
            "Komvux, folkhögskola, university or other education that gives the right to student finance."
        ),
    )
    evidence = models.CharField(
        _("evidence"),
        max_length=200,
        blank=True,
        help_text=_("Reference to a document or an employer's confirmation. Required for work and studies."),
    )
    evidence_document = models.ForeignKey(
        "documents.Document",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evidence_for_exits",
        verbose_name=_("evidence document"),
        help_text=_("The document on the case that shows the exit (e.g. the employer's confirmation)."),
    )
    comment = models.TextField(_("comment"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        related_name="exits",
        null=True,
        blank=True,
        help_text=_("The provider the person was assigned to at exit."),
    )

    objects = ExitQuerySet.as_manager()

    class Meta:
        verbose_name = _("exit")
        verbose_name_plural = _("exits")
        ordering = ["-exit_date"]
        indexes = [
            models.Index(fields=["exit_date"]),
            models.Index(fields=["provider", "exit_date"]),
            models.Index(fields=["participant", "exit_date"]),
        ]
        permissions = [("record_exit", _("Can record an exit"))]

    def __str__(self):
        return f"{self.get_reason_display()} {self.exit_date}"

    @property
    def counts_as_work(self) -> bool:
        return self.reason == ExitReason.WORK and not self.municipal_labour_market_job

    def one_month_due(self) -> datetime.date | None:
        """The day the one-month follow-up of an exit to work can be answered (a month after the work
        started), or None when there is nothing to follow up."""
        if self.reason != ExitReason.WORK or self.work_start_date is None:
            return None
        return add_months(self.work_start_date, 1)


class JobSupport(models.Model):
    """Support in the first time in a job (stöd under den första tiden): after an exit to work, the coach
    keeps contact with the person for a period (meetings, journal) without the referral being reopened. The
    period is chosen at the exit or afterwards; it ends by itself — whether it is coming, active or ended is
    derived from its dates (`state`, `JobSupportQuerySet.active`), so nothing has to run to end it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    exit = models.OneToOneField(Exit, on_delete=models.PROTECT, related_name="job_support")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="job_supports"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coach"),
        help_text=_("The coach who keeps contact during the period."),
    )
    months = models.PositiveSmallIntegerField(_("months"))
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), help_text=_("The first day after the period."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = JobSupportQuerySet.as_manager()

    class Meta:
        verbose_name = _("support in the first time in a job")
        verbose_name_plural = _("support in the first time in a job")
        ordering = ["ends_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")), name="job_support_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(months__gte=1, months__lte=12), name="job_support_one_to_twelve_months"
            ),
        ]
        indexes = [models.Index(fields=["coach", "ends_on"])]

    def __str__(self):
        return f"{self.starts_on} – {self.ends_on}"

    @staticmethod
    def period(*, starts_on: datetime.date, months: int) -> datetime.date:
        """The first day after a period of `months` from `starts_on`."""
        return add_months(starts_on, months)

    def state(self, on: datetime.date | None = None) -> str:
        on = on or timezone.localdate()
        if on < self.starts_on:
            return JobSupportState.COMING
        if on < self.ends_on:
            return JobSupportState.ACTIVE
        return JobSupportState.ENDED

    def get_state_display(self) -> str:
        return JobSupportState(self.state()).label

    @property
    def last_day(self) -> datetime.date:
        return self.ends_on - datetime.timedelta(days=1)


class AssistanceImport(models.Model):
    """One delivery of monthly assistance status (a file or an API call)."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    source = models.CharField(_("source"), max_length=10, choices=ImportSource.choices)
    file_name = models.CharField(_("file name"), max_length=200, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    imported_at = models.DateTimeField(auto_now_add=True)
    month = models.DateField(_("month"))
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    replaced_count = models.PositiveIntegerField(_("corrected"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(
        _("skipped"), default=0, help_text=_("Rows for people who are not participants (not stored).")
    )

    objects = AssistanceImportQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance import")
        verbose_name_plural = _("assistance imports")
        ordering = ["-imported_at"]
        permissions = [("import_assistance", _("Can import assistance data"))]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.file_name or self.source}"


class AssistanceMonth(models.Model):
    """Whether a person was paid social assistance in a month. A correction adds a row and marks the old
    one as no longer current (history kept)."""

    id = models.BigAutoField(primary_key=True)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="assistance_months"
    )
    month = models.DateField(_("month"), help_text=_("First day of the month."))
    amount = models.DecimalField(
        _("amount paid (SEK)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    paid = models.BooleanField(_("assistance paid"), default=False)
    reason_code = models.CharField(_("reason code"), max_length=20, blank=True)
    batch = models.ForeignKey(
        AssistanceImport, on_delete=models.PROTECT, related_name="rows", null=True, blank=True
    )
    is_current = models.BooleanField(default=True)
    superseded_at = models.DateTimeField(null=True, blank=True)

    objects = AssistanceMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("assistance month")
        verbose_name_plural = _("assistance months")
        ordering = ["participant", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "month"],
                condition=models.Q(is_current=True),
                name="one_current_assistance_month",
            ),
            models.CheckConstraint(condition=models.Q(month__day=1), name="assistance_month_first_day"),
        ]
        indexes = [
            models.Index(
                fields=["month", "participant"],
                condition=models.Q(is_current=True),
                name="assist_month_current_idx",
            )
        ]
