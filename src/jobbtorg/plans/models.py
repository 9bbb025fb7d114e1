"""Mapping (kartläggning) and action plan (handlingsplan) of a referral.

An action plan is edited as a draft (goals, activities, links to other plans), proposed by the coach as a
numbered version, and approved or returned by the caseworker. Versions are snapshots and never change once
decided; the plan points to the version in force.
"""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.identity.constants import SignInMethod
from jobbtorg.participants.constants import WorkCapacity

from .constants import (
    AgreementVoidReason,
    CommentKind,
    DrivingLicence,
    EducationLevel,
    OtherPlanKind,
    OtherPlanStatus,
    PlanStatus,
    SwedishLevel,
    Tier,
    VersionStatus,
)
from .querysets import CaseQuerySet, PlanPartQuerySet, PlanQuerySet


class Mapping(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="mapping")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="mappings"
    )
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, default=EducationLevel.UNKNOWN
    )
    education_note = models.TextField(_("education, details"), blank=True)
    work_history = models.TextField(_("work history"), blank=True)
    months_without_work = models.PositiveSmallIntegerField(
        _("months without work"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(600)],
        help_text=_("Leave empty if the person has never worked."),
    )
    months_on_assistance = models.PositiveSmallIntegerField(
        _("months on social assistance"), null=True, blank=True, validators=[MaxValueValidator(600)]
    )
    wanted_occupations = models.JSONField(
        _("wanted occupations"), default=list, blank=True, help_text=_("SSYK 2012 codes, four digits.")
    )
    skills = models.JSONField(
        _("skills"), default=list, blank=True, help_text=_("Skills from the occupation taxonomy (ids).")
    )
    wanted_kinds = models.JSONField(
        _("wished kinds of placement"),
        default=list,
        blank=True,
        help_text=_("Job, internship, work training, apprenticeship, subsidised job; empty = no wish."),
    )
    swedish_level = models.CharField(
        _("Swedish level"), max_length=10, choices=SwedishLevel.choices, default=SwedishLevel.NONE
    )
    other_languages = models.JSONField(_("other languages"), default=list, blank=True)
    interpreter_needed = models.BooleanField(
        _("needs an interpreter"), default=False, help_text=_("Meetings with the person are booked with one.")
    )
    interpreter_language = models.CharField(
        _("interpreter language"), max_length=50, blank=True, help_text=_("A language code or name, e.g. ti.")
    )
    interpreter_dialect = models.CharField(
        _("dialect"), max_length=100, blank=True, help_text=_("Where it matters, e.g. Arabic (Iraqi).")
    )
    driving_licence = models.CharField(
        _("driving licence"), max_length=10, choices=DrivingLicence.choices, default=DrivingLicence.NONE
    )
    obstacles = models.JSONField(_("obstacles"), default=list, blank=True)
    obstacles_note = models.TextField(_("obstacles, details"), blank=True)
    work_capacity = models.PositiveSmallIntegerField(
        _("work capacity"), choices=WorkCapacity.choices, default=WorkCapacity.FULL
    )
    needs = models.TextField(_("needs and wishes"), blank=True)
    tier = models.CharField(
        _("distance to the labour market"), max_length=1, choices=Tier.choices, blank=True
    )
    tier_reasons = models.JSONField(default=list, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    lock_version = models.PositiveIntegerField(default=0)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("mapping")
        verbose_name_plural = _("mappings")


class ActionPlan(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    referral = models.OneToOneField("referrals.Referral", on_delete=models.PROTECT, related_name="plan")
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="plans"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    goals = models.TextField(_("goals"), blank=True)
    current_version = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("version in force"),
    )
    first_approved_at = models.DateTimeField(_("first approved"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    lock_version = models.PositiveIntegerField(default=0)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        permissions = [("decide_actionplan", _("Can approve or return an action plan"))]
        indexes = [models.Index(fields=["status"])]


class PlanActivity(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="activities")
    intervention_type = models.ForeignKey(
        "interventions.InterventionType", on_delete=models.PROTECT, verbose_name=_("intervention")
    )
    description = models.CharField(_("description"), max_length=300, blank=True)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    order = models.PositiveSmallIntegerField(default=0)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["order", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="activity_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]


class OtherPlanLink(models.Model):
    """A reference to another plan the person has, to keep the action plan coordinated with it. The partner
    that holds the other plan (ADR 19) sees the link with the shared plan and confirms it."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="other_plans")
    kind = models.CharField(_("kind"), max_length=30, choices=OtherPlanKind.choices)
    reference = models.CharField(_("reference"), max_length=100)
    start_date = models.DateField(_("start"), null=True, blank=True)
    end_date = models.DateField(_("end"), null=True, blank=True)
    partner = models.ForeignKey(
        "partners.PartnerOrganisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_links",
        verbose_name=_("partner"),
        help_text=_("The organisation that holds the other plan; its staff see the shared plan and confirm."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OtherPlanStatus.choices, default=OtherPlanStatus.PLANNED
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed by the partner"), null=True, blank=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("other plan")
        verbose_name_plural = _("other plans")
        ordering = ["kind", "id"]


class PlanVersion(models.Model):
    """A proposed version of the plan (a snapshot). Once approved or returned it never changes."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("status"), max_length=20, choices=VersionStatus.choices)
    content = models.JSONField(_("content"))
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "-number"]
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique")]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored != VersionStatus.PROPOSED:
                raise PermissionDenied("A decided plan version is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Plan versions are never deleted.")


class PlanAgreement(models.Model):
    """The participant's agreement to a proposed version of their plan — the third party of the agreement
    beside the coach (who proposes) and the caseworker (who approves). It records the version agreed to, the
    plan's lock version the participant read, the time and how they signed in (e-ID through the
    municipality's OpenID Connect provider, or a password). Append-only: a change to the plan after the
    agreement voids it (`voided_at`, `void_reason`); the row stays."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="agreements")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="agreements", verbose_name=_("version")
    )
    lock_version = models.PositiveIntegerField(_("plan lock version read"))
    agreed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agreed_at = models.DateTimeField(_("agreed"), auto_now_add=True)
    sign_in_method = models.CharField(
        _("sign-in method"), max_length=10, choices=SignInMethod.choices, blank=True
    )
    voided_at = models.DateTimeField(_("voided"), null=True, blank=True)
    void_reason = models.CharField(
        _("why it no longer applies"), max_length=10, choices=AgreementVoidReason.choices, blank=True
    )

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("participant's agreement")
        verbose_name_plural = _("participant's agreements")
        ordering = ["-agreed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(voided_at__isnull=True),
                name="plan_agreement_one_in_effect_per_version",
            )
        ]

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Agreements are never deleted.")

    @property
    def in_effect(self) -> bool:
        return self.voided_at is None

    @property
    def by_eid(self) -> bool:
        return self.sign_in_method == SignInMethod.EID


class PlanComment(models.Model):
    """What the participant says about a proposed plan: a comment, or an activity they propose (the coach
    may take it into the next draft). Kept on the plan like a journal entry: never changed or deleted."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, related_name="comments", null=True, blank=True
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=CommentKind.choices, default=CommentKind.COMMENT
    )
    body = models.TextField(_("comment"), max_length=2000, blank=True)
    intervention_type = models.ForeignKey(
        "interventions.InterventionType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        verbose_name=_("activity"),
    )
    hours_per_week = models.DecimalField(
        _("hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    written_at = models.DateTimeField(_("written"), auto_now_add=True)

    objects = PlanPartQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment on the plan")
        verbose_name_plural = _("comments on the plan")
        ordering = ["written_at", "id"]

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("A comment on the plan is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Comments on the plan are never deleted.")
