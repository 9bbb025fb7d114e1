"""Assignments (uppdrag, Botkyrka's model): time-limited work with secured funding, a target group, the
offerings that belong to it and goals as numbers. The indicators themselves are never stored: they are
computed from the records (selectors.py)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.participants.constants import TargetGroup

from .constants import Funder


class Assignment(models.Model):
    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(
        "accounts.Unit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assignments",
        verbose_name=_("Jobbtorg unit"),
        help_text=_("Empty: the assignment is shared by every unit."),
    )
    name = models.CharField(_("name"), max_length=150)
    funder = models.CharField(_("funder"), max_length=30, choices=Funder.choices)
    funder_reference = models.CharField(_("funder's reference"), max_length=100, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"))
    budget = models.DecimalField(
        _("budget (SEK)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))]
    )
    target_group = models.CharField(
        _("target group"),
        max_length=40,
        choices=TargetGroup.choices,
        blank=True,
        help_text=_("Empty: everyone booked into the assignment's offerings."),
    )
    offerings = models.ManyToManyField(
        "interventions.Offering",
        related_name="reporting_assignments",
        verbose_name=_("offerings"),
        blank=True,
    )
    goal_participants = models.PositiveIntegerField(_("goal: participants"))
    goal_work_or_studies_percent = models.PositiveSmallIntegerField(
        _("goal: share to work or studies (%)"), validators=[MaxValueValidator(100)]
    )
    cost_per_participant = models.DecimalField(
        _("cost per participant and month (SEK)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("0"),
        help_text=_(
            "The unit's own cost, used to follow the budget month by month (provider payments add to it)."
        ),
    )
    description = models.TextField(_("expected results, in words"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assignment (uppdrag)")
        verbose_name_plural = _("assignments (uppdrag)")
        ordering = ["-start_date", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__gte=models.F("start_date")),
                name="reporting_assignment_period_valid",
                violation_error_message=_("The assignment must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(goal_work_or_studies_percent__lte=100),
                name="reporting_assignment_goal_percent",
            ),
        ]
        permissions = [
            ("view_indicators", _("Can see key indicators (aggregates)")),
            ("view_research_extract", _("Can download the pseudonymised research extract")),
        ]

    def __str__(self):
        return self.name


class Case(models.Model):
    """One row per referral with the facts the indicators need: a rollup rebuilt from the records by
    `manage.py refresh_indicators` (services.indicators_refresh), never edited by hand. Ids are plain
    columns (no foreign keys) so the rollup never blocks a change in the apps it reads."""

    referral_id = models.UUIDField(primary_key=True)
    participant_id = models.UUIDField()
    municipality_id = models.BigIntegerField()
    unit_id = models.BigIntegerField()
    district_id = models.BigIntegerField()
    provider_id = models.BigIntegerField(null=True)
    intervention_type_id = models.BigIntegerField(null=True)
    target_group = models.CharField(max_length=40)
    tier = models.CharField(max_length=1, blank=True, default="")
    age = models.SmallIntegerField()
    age_band = models.CharField(max_length=8)
    gender = models.CharField(max_length=8)
    education_level = models.CharField(max_length=20, blank=True, default="")
    swedish_level = models.CharField(max_length=10, blank=True, default="")
    months_without_work = models.SmallIntegerField(null=True)
    months_on_assistance = models.SmallIntegerField(null=True)
    referral_date = models.DateField()
    plan_due_date = models.DateField()
    accepted_on = models.DateField(null=True)
    approved_on = models.DateField(null=True)
    # The verdict of referrals.deadline on the first approval: True in time, False late, NULL not approved.
    plan_in_time = models.BooleanField(null=True)
    ended_on = models.DateField(null=True)
    first_intervention_on = models.DateField(null=True)
    exit_date = models.DateField(null=True)
    exit_reason = models.CharField(max_length=20, blank=True, default="")
    work_hours_per_week = models.SmallIntegerField(null=True)
    employment_form = models.CharField(max_length=20, blank=True, default="")
    subsidised = models.BooleanField(null=True)
    municipal_labour_market_job = models.BooleanField(null=True)
    studies_with_student_finance = models.BooleanField(null=True)
    # What the definitions of kolada.py decide for the exit (KoladaResult) and who initiated the referral.
    kolada_result = models.CharField(max_length=20, blank=True, default="")
    source = models.CharField(max_length=20, blank=True, default="")
    returned = models.BooleanField(default=False)
    assistance_before = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    assistance_before_months = models.SmallIntegerField(default=0)
    paid_3 = models.BooleanField(default=False)
    paid_6 = models.BooleanField(default=False)
    paid_12 = models.BooleanField(default=False)
    paid_within_12 = models.BooleanField(default=False)
    assistance_after = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0"))
    refreshed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("indicator rollup row")
        indexes = [
            models.Index(fields=["municipality_id", "referral_date"], name="reporting_case_muni_idx"),
            models.Index(fields=["municipality_id", "exit_date"], name="reporting_case_exit_idx"),
        ]


class AttendanceMonth(models.Model):
    """Attendance per referral and month (days and hours present, planned hours): a rollup of
    attendance.AttendanceReport rebuilt with Case."""

    id = models.BigAutoField(primary_key=True)
    referral_id = models.UUIDField()
    municipality_id = models.BigIntegerField()
    month = models.DateField()
    # The referral's previous month with attendance (None: none): a referral's first month in a period is the
    # row whose previous month lies before the period, so people are counted in one pass without DISTINCT.
    previous_month = models.DateField(null=True)
    days = models.IntegerField()
    days_present = models.IntegerField()
    hours_attended = models.DecimalField(max_digits=12, decimal_places=2)
    hours_planned = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["referral_id", "month"], name="reporting_attendance_month_unique")
        ]
        indexes = [models.Index(fields=["municipality_id", "month"], name="reporting_attendance_muni_idx")]


class Freshness(models.Model):
    """How fresh the rollups of one municipality are: when they were last rebuilt (the figures are "as of"
    that
    moment) and since when a write that feeds them has been committed without a rebuild (None: not dirty).
    Writes only ever set `dirty_since` when it is empty (receivers.py), so marking is one cheap UPDATE that
    usually changes nothing; a rebuild clears it before it starts reading (services.indicators_refresh)."""

    municipality_id = models.BigIntegerField(primary_key=True)
    refreshed_at = models.DateTimeField(_("figures as of"), null=True)
    dirty_since = models.DateTimeField(_("changed since"), null=True)
    seconds = models.FloatField(_("last rebuild took (s)"), null=True)
    cases = models.IntegerField(_("cases"), default=0)

    class Meta:
        verbose_name = _("freshness of the key indicators")
        verbose_name_plural = _("freshness of the key indicators")

    @property
    def is_stale(self) -> bool:
        return self.refreshed_at is None or self.dirty_since is not None


class ReportedFigure(models.Model):
    """A figure the municipality reported to Kolada (the annual survey) for a year — entered by hand or
    imported from a Kolada CSV export — shown beside the product's own figure (`/nyckeltal/kolada/`). One per
    municipality, KPI and year; a new value replaces the old one (audited)."""

    class Origin(models.TextChoices):
        ENTERED = "entered", _("Entered")
        IMPORTED = "imported", _("Imported from Kolada")

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.PROTECT, related_name="+")
    kpi = models.CharField(_("Kolada KPI"), max_length=10)
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("reported value"), max_digits=12, decimal_places=2)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("figure reported to Kolada")
        verbose_name_plural = _("figures reported to Kolada")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "kpi", "year"], name="reporting_reported_once")
        ]

    def __str__(self):
        return f"{self.kpi} {self.year}: {self.value}"
