from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Sector(models.TextChoices):
    PRIVATE = "private", _("Private")
    PUBLIC = "public", _("Public")
    NON_PROFIT = "non_profit", _("Non-profit")


class AgreementKind(models.TextChoices):
    INTERNSHIP = "internship", _("Internship agreement")
    WORK_TRAINING = "work_training", _("Work-training agreement")
    SUPPORTED_EMPLOYMENT = "supported_employment", _("Supported Employment agreement")
    RECRUITMENT = "recruitment", _("Recruitment co-operation")
    OTHER = "other", _("Other agreement")


class InternshipLevel(models.TextChoices):
    LANGUAGE = "language", _("Language/introduction internship")
    WORK_TRAINING = "work_training", _("Internship as work training")
    FIRST_STEP = "first_step", _("Internship as a first step to a job")


class VacancyStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("status", "Open")
    FILLED = "filled", _("Filled")
    CLOSED = "closed", _("Closed")


class VacancySource(models.TextChoices):
    """Where a vacancy came from. Imported ones are kept in step with their source (docs/integrations.md)."""

    JOBBTORG = "jobbtorg", _("Jobbtorg (entered here)")
    PLATSBANKEN = "platsbanken", _("Platsbanken")
    CITY = "city", _("The city's own recruitment")


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    PARTICIPANT_AGREED = "participant_agreed", _("Participant agreed")
    PARTICIPANT_DECLINED = "participant_declined", _("Participant declined")
    EMPLOYER_CONTACTED = "employer_contacted", _("Employer contacted")
    INTERVIEW = "interview", _("Interview")
    HIRED = "hired", _("Hired")
    INTERNSHIP_STARTED = "internship_started", _("Internship started")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class EmploymentForm(models.TextChoices):
    PERMANENT = "permanent", _("Permanent employment")
    FIXED_TERM = "fixed_term", _("Fixed-term employment")
    HOURLY = "hourly", _("Hourly employment")
    SUBSIDISED = "subsidised", _("Subsidised employment")
    APPRENTICESHIP = "apprenticeship", _("Apprenticeship")
    INTERNSHIP = "internship", _("Internship (unpaid)")
    WORK_TRAINING = "work_training", _("Work training (unpaid)")


class RejectionReason(models.TextChoices):
    EMPLOYER_CHOSE_OTHER = "employer_chose_other", _("The employer chose someone else")
    REQUIREMENTS_NOT_MET = "requirements_not_met", _("Requirements not met")
    NO_SHOW = "no_show", _("The participant did not come")
    PARTICIPANT_WITHDREW = "participant_withdrew", _("The participant withdrew")
    VACANCY_CLOSED = "vacancy_closed", _("The vacancy was closed")
    OTHER = "other", _("Other reason")


class RecruitmentEventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendeeStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ATTENDED = "attended", _("Attended")
    ABSENT = "absent", _("Did not attend")


class AttendeeOutcome(models.TextChoices):
    NONE = "", _("No outcome yet")
    INTERVIEW = "interview", _("Interview booked")
    OFFER = "offer", _("Offered a job or place")
    NO_OFFER = "no_offer", _("No offer")
