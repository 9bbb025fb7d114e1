from django.db import models
from django.utils.translation import gettext_lazy as _


class TargetGroup(models.TextChoices):
    """Stockholm's target groups, step 1 and step 2 (DOMAIN.md)."""

    UNEMPLOYED_ON_ASSISTANCE = "unemployed_on_assistance", _("Unemployed, on social assistance")
    NEW_APPLICANT = "new_applicant", _("New applicant whose ability to work is to be assessed")
    SFI_STUDENT = "sfi_student", _("SFI student on assistance or introduction benefit")
    NEWLY_ARRIVED = "newly_arrived", _("Adult refugee or family-reunited immigrant")
    YOUTH = "youth", _("Young person 16–24")
    YOUTH_FOLLOW_UP = "youth_follow_up", _("Young person 16–19 under the municipal follow-up duty")
    ASSISTANCE_OTHER_REASONS = (
        "assistance_other_reasons",
        _("On assistance for other reasons, partial work may be possible"),
    )
    DISABILITY = "disability", _("Person with a disability, not on assistance")

    @classmethod
    def step(cls, value: str) -> int:
        return 2 if value in (cls.ASSISTANCE_OTHER_REASONS, cls.DISABILITY) else 1


class WorkCapacity(models.IntegerChoices):
    QUARTER = 25, "25 %"
    HALF = 50, "50 %"
    THREE_QUARTERS = 75, "75 %"
    FULL = 100, "100 %"


class ConsentScope(models.TextChoices):
    DISTRICT_JOBBTORG = "district_jobbtorg", _("Between the district's social services and the Jobbtorg")
    JOBBTORG_PROVIDER = "jobbtorg_provider", _("Between the Jobbtorg and providers")
    EMPLOYMENT_SERVICE = "employment_service", _("With Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("With Försäkringskassan")
    ADULT_EDUCATION = "adult_education", _("With adult education (SFI, Komvux)")
    HEALTH_CARE = "health_care", _("With health care")
    COORDINATION_ASSOCIATION = "coordination_association", _("With the samordningsförbund")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Given")
    WITHDRAWN = "withdrawn", _("Withdrawn")
