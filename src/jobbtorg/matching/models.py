"""Employers, their vacancies and places, proposed matches (with their history) and recruitment events.

A match stores the score and its explanation as a snapshot taken when it was proposed, so the reason for a
proposal stays readable after the vacancy or the mapping change. Status changes add MatchEvent rows.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.plans.constants import PlacementKind, SwedishLevel

from .constants import (
    AgreementKind,
    AttendeeOutcome,
    AttendeeStatus,
    EmploymentForm,
    InternshipLevel,
    MatchStatus,
    RecruitmentEventStatus,
    RejectionReason,
    Sector,
    VacancySource,
    VacancyStatus,
)
from .querysets import (
    EmployerQuerySet,
    MatchEventQuerySet,
    MatchQuerySet,
    RecruitmentAttendeeQuerySet,
    RecruitmentEventQuerySet,
    VacancyQuerySet,
)

postal_code_validator = RegexValidator(r"^\d{5}$", _("Enter a postal code of five digits, e.g. 16355."))


class Employer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.PROTECT, related_name="+", verbose_name=_("municipality")
    )
    organisation_number = models.CharField(_("organisation number"), max_length=11)
    name = models.CharField(_("name"), max_length=200)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices, default=Sector.PRIVATE)
    is_city = models.BooleanField(
        _("the city itself"), default=False, help_text=_("The municipality is the employer.")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=5, blank=True, validators=[postal_code_validator]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EmployerQuerySet.as_manager()

    class Meta:
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "organisation_number"], name="employer_orgnr_unique"
            )
        ]
        permissions = [("manage_employers", _("Can manage the employer register and vacancies"))]

    def __str__(self):
        return self.name


class EmployerContact(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=100)
    role = models.CharField(_("role"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class EmployerAgreement(models.Model):
    """An agreement with an employer, e.g. an internship agreement, for a period."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(_("kind"), max_length=30, choices=AgreementKind.choices)
    start_date = models.DateField(_("start"))
    end_date = models.DateField(_("end"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["-start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="agreement_end_after_start",
                violation_error_message=_("The end date must not be before the start date."),
            )
        ]


class Vacancy(models.Model):
    """A job or a place (internship, work training, apprenticeship, subsidised job) at an employer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="vacancies", verbose_name=_("employer")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=PlacementKind.choices, default=PlacementKind.JOB
    )
    internship_level = models.CharField(
        _("internship level"), max_length=20, choices=InternshipLevel.choices, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    occupation = models.ForeignKey(
        "taxonomy.OccupationGroup",
        on_delete=models.PROTECT,
        related_name="vacancies",
        verbose_name=_("occupation (SSYK)"),
        limit_choices_to={"level": 4},
    )
    swedish_level = models.CharField(
        _("Swedish level required"), max_length=10, choices=SwedishLevel.choices, default=SwedishLevel.NONE
    )
    driving_licence_required = models.BooleanField(_("driving licence required"), default=False)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), default=40, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    postal_code = models.CharField(_("postal code"), max_length=5, validators=[postal_code_validator])
    city = models.CharField(_("city"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("places"), default=1, validators=[MinValueValidator(1)])
    deadline = models.DateField(_("application deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=VacancyStatus.choices, default=VacancyStatus.OPEN
    )
    supported_employment = models.BooleanField(
        _("Supported Employment possible"),
        default=False,
        help_text=_("Place first, then train on the job with a job coach's support."),
    )
    skills = models.ManyToManyField(
        "taxonomy.Skill", through="VacancySkill", related_name="vacancies", blank=True
    )
    # Imported vacancies (Platsbanken through JobTech's JobStream, the city's own recruitment): the source's
    # id makes the import idempotent; the ad's employment type and working hours are kept as its labels.
    source = models.CharField(
        _("source"), max_length=12, choices=VacancySource.choices, default=VacancySource.JOBBTORG
    )
    external_id = models.CharField(_("id at the source"), max_length=64, blank=True)
    external_url = models.URLField(_("the ad"), max_length=500, blank=True)
    employment_type = models.CharField(_("employment type"), max_length=100, blank=True)
    working_hours = models.CharField(_("working hours"), max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name = _("vacancy")
        verbose_name_plural = _("vacancies")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "occupation"])]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "external_id"],
                condition=~models.Q(external_id=""),
                name="vacancy_source_id_unique",
            )
        ]

    def __str__(self):
        return self.title


class VacancyFeed(models.Model):
    """Where an import of vacancies stands for a municipality: the stored cursor of an incremental feed
    (JobStream's `date`) and what the last run did."""

    municipality = models.ForeignKey(
        "accounts.Municipality", on_delete=models.CASCADE, related_name="+", verbose_name=_("municipality")
    )
    source = models.CharField(_("source"), max_length=12, choices=VacancySource.choices)
    cursor = models.CharField(_("changes fetched up to"), max_length=32, blank=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_result = models.JSONField(_("last result"), default=dict, blank=True)

    class Meta:
        verbose_name = _("vacancy feed")
        verbose_name_plural = _("vacancy feeds")
        constraints = [models.UniqueConstraint(fields=["municipality", "source"], name="vacancy_feed_unique")]

    def __str__(self):
        return f"{self.municipality} {self.source}"


class VacancySkill(models.Model):
    vacancy = models.ForeignKey(Vacancy, on_delete=models.CASCADE, related_name="skill_links")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, related_name="+")
    required = models.BooleanField(_("required"), default=False)

    class Meta:
        verbose_name = _("vacancy skill")
        verbose_name_plural = _("vacancy skills")
        constraints = [models.UniqueConstraint(fields=["vacancy", "skill"], name="vacancy_skill_unique")]


class Match(models.Model):
    """A proposal that a participant take a vacancy, and where it went."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="matches"
    )
    vacancy = models.ForeignKey(Vacancy, on_delete=models.PROTECT, related_name="matches")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=30, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    explanation = models.JSONField(_("explanation"), default=dict)
    rejection_reason = models.CharField(
        _("reason"), max_length=30, choices=RejectionReason.choices, blank=True
    )
    rejection_note = models.TextField(_("reason, details"), blank=True)
    interview_at = models.DateTimeField(_("interview"), null=True, blank=True)
    # Supported Employment: place first, then train on the job with a job coach's support.
    supported_employment = models.BooleanField(_("Supported Employment"), default=False)
    support_hours_per_week = models.DecimalField(
        _("job coach support, hours per week"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(40)],
    )
    # The outcome, recorded at a hire or an internship start; read by the exit recording through
    # selectors.hires_for_participant().
    start_date = models.DateField(_("start date"), null=True, blank=True)
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours per week"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(40)]
    )
    employment_form = models.CharField(
        _("form of employment"), max_length=20, choices=EmploymentForm.choices, blank=True
    )
    plan_activity = models.ForeignKey(
        "plans.PlanActivity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)
    lock_version = models.PositiveIntegerField(default=0)

    objects = MatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-proposed_at"]
        permissions = [("propose_match", _("Can propose matches and record their outcome"))]
        constraints = [
            models.UniqueConstraint(
                fields=["participant", "vacancy"],
                condition=~models.Q(status__in=["participant_declined", "rejected", "withdrawn"]),
                name="match_active_unique",
                violation_error_message=_("This person is already proposed for this vacancy."),
            )
        ]

    def __str__(self):
        return f"{self.participant_id} → {self.vacancy_id}"


class MatchEvent(models.Model):
    """One row per status change of a match (never edited)."""

    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=30, choices=MatchStatus.choices, blank=True)
    to_status = models.CharField(max_length=30, choices=MatchStatus.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    objects = MatchEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("match event")
        verbose_name_plural = _("match events")
        ordering = ["at", "id"]


class RecruitmentEvent(models.Model):
    """A recruitment event (rekryteringsträff) with an employer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    employer = models.ForeignKey(Employer, on_delete=models.PROTECT, related_name="recruitment_events")
    unit = models.ForeignKey(
        "accounts.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=RecruitmentEventStatus.choices,
        default=RecruitmentEventStatus.PLANNED,
    )
    vacancies = models.ManyToManyField(Vacancy, related_name="recruitment_events", blank=True)
    participants = models.ManyToManyField(
        "participants.Participant", through="RecruitmentAttendee", related_name="recruitment_events"
    )
    outcome_note = models.TextField(_("outcome"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RecruitmentEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("recruitment event")
        verbose_name_plural = _("recruitment events")
        ordering = ["-date"]

    def __str__(self):
        return self.title


class RecruitmentAttendee(models.Model):
    event = models.ForeignKey(RecruitmentEvent, on_delete=models.CASCADE, related_name="attendees")
    participant = models.ForeignKey("participants.Participant", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=10, choices=AttendeeStatus.choices, default=AttendeeStatus.INVITED
    )
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=AttendeeOutcome.choices, blank=True, default=""
    )

    objects = RecruitmentAttendeeQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            models.UniqueConstraint(fields=["event", "participant"], name="recruitment_attendee_unique")
        ]


class VacancyStamp(models.Model):
    """The version of a municipality's open vacancies as the matching engine sees them (vacancy, its skills,
    its status). Raised by one in the same transaction as every such change
    (`vacancy_table.vacancies_changed`), so a process that holds a precomputed vacancy table compares one
    number with it before every ranking and never ranks on a table older than the committed change (ADR
    0013)."""

    municipality = models.OneToOneField(
        "accounts.Municipality", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.BigIntegerField(default=0)
    # New with every row: a table built from another row of the same municipality (a database restored from a
    # backup, a test rolled back) never matches by its version alone.
    token = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        verbose_name = _("vacancy table version")
        verbose_name_plural = _("vacancy table versions")


class VacancyChange(models.Model):
    """Which vacancy changed at which version of its municipality's `VacancyStamp`: what a process patches its
    table with. `vacancy_id` NULL: many changed at once (a bulk load); the table is rebuilt. Old rows are
    pruned; a process too far behind rebuilds its table."""

    municipality = models.ForeignKey("accounts.Municipality", on_delete=models.CASCADE, related_name="+")
    version = models.BigIntegerField()
    vacancy_id = models.UUIDField(null=True)

    class Meta:
        verbose_name = _("vacancy change")
        verbose_name_plural = _("vacancy changes")
        indexes = [models.Index(fields=["municipality", "version"], name="vacancy_change_version")]
