from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    COMPANY = "company", _("Company")
    NON_PROFIT = "non_profit", _("Non-profit organisation")
    CITY_UNIT = "city_unit", _("The city's own unit")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class AuthorisationEventKind(models.TextChoices):
    GRANTED = "granted", _("Granted")
    SUSPENDED = "suspended", _("Suspended")
    REINSTATED = "reinstated", _("Reinstated")
    REVOKED = "revoked", _("Revoked")


class PriceUnit(models.TextChoices):
    PER_PARTICIPANT = "participant", _("per participant")
    PER_MONTH = "month", _("per participant and month")
    PER_HOUR = "hour", _("per hour")


class ChoiceStatus(models.TextChoices):
    OPEN = "open", _("Waiting for the person's choice")
    CHOSEN = "chosen", _("Chosen by the person")
    DEFAULT_ASSIGNED = "default_assigned", _("Default provider assigned")
    CANCELLED = "cancelled", _("Cancelled")


class AssignmentSource(models.TextChoices):
    PARTICIPANT_CHOICE = "participant_choice", _("The person's own choice")
    COACH_WITH_PARTICIPANT = "coach_with_participant", _("Chosen with the coach")
    DEFAULT_ROTATION = "default_rotation", _("Default provider (no choice made)")
    PROCUREMENT = "procurement", _("Procured provider")
    CHANGE = "change", _("Change of provider")
