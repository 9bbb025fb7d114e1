from django.db import models
from django.utils.translation import gettext_lazy as _


class EducationLevel(models.TextChoices):
    NONE = "none", _("No completed compulsory school")
    COMPULSORY = "compulsory", _("Compulsory school (grundskola)")
    UPPER_SECONDARY = "upper_secondary", _("Upper secondary school (gymnasium)")
    POST_SECONDARY = "post_secondary", _("Post-secondary, under 3 years")
    UNIVERSITY = "university", _("University, 3 years or more")
    UNKNOWN = "unknown", _("Unknown")


class SwedishLevel(models.TextChoices):
    """In rising order: matching ranks a level by its place here (`matching.scoring.SWEDISH_RANK`)."""

    NONE = "none", _("No Swedish yet")
    SFI_A = "sfi_a", _("SFI course A")
    SFI_B = "sfi_b", _("SFI course B")
    SFI_C = "sfi_c", _("SFI course C")
    SFI_D = "sfi_d", _("SFI course D")
    OTHER = "other", _("Good Swedish (e.g. Swedish as a second language)")
    NATIVE = "native", _("Swedish as mother tongue")


class PlacementKind(models.TextChoices):
    """A kind of placement: what a person wishes (`Mapping.wanted_kinds`) and what a vacancy offers
    (`matching.Vacancy.kind`, the OpenAPI's VacancyKindEnum). Defined here because matching reads the mapping,
    never the other way (imports run downhill, ADR 8)."""

    JOB = "job", _("Job")
    INTERNSHIP = "internship", _("Internship")
    WORK_TRAINING = "work_training", _("Work-training place")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    SUBSIDISED_JOB = "subsidised_job", _("Subsidised job")


class DrivingLicence(models.TextChoices):
    NONE = "none", _("None")
    B = "b", _("Car (B)")
    HEAVY = "heavy", _("Heavy vehicles (C/D/CE)")


class Obstacle(models.TextChoices):
    HEALTH = "health", _("Physical health")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE = "substance", _("Substance use")
    CHILDCARE = "childcare", _("Childcare")
    HOUSING = "housing", _("Housing situation")
    DEBT = "debt", _("Debts")
    LITERACY = "literacy", _("Reading and writing")
    OTHER = "other", _("Other")


class Tier(models.TextChoices):
    """Distance to the labour market, from the mapping."""

    A = "A", _("A – near the labour market")
    B = "B", _("B – some distance")
    C = "C", _("C – far from the labour market")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed to the caseworker")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for changes")


class VersionStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class CommentKind(models.TextChoices):
    """What the participant says about the proposed plan: a comment, or an activity they propose."""

    COMMENT = "comment", _("Comment")
    ACTIVITY = "activity", _("Proposed activity")


class AgreementVoidReason(models.TextChoices):
    """Why a participant's agreement no longer applies: the plan changed after it was given."""

    RETURNED = "returned", _("The caseworker returned the plan for changes")
    CHANGED = "changed", _("The plan was changed after the agreement")


class OtherPlanKind(models.TextChoices):
    INTRODUCTION = "introduction", _("Introduction plan")
    SFI_STUDY = "sfi_study", _("SFI study plan")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen's plan")
    OTHER = "other", _("Other plan")


class OtherPlanStatus(models.TextChoices):
    """Where the other plan stands, as the coach or the partner knows it."""

    PLANNED = "planned", _("Planned")
    IN_FORCE = "in_force", _("In force")
    ENDED = "ended", _("Ended")


FULL_TIME_HOURS = 40
