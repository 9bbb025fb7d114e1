from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionCategory(models.TextChoices):
    ASSESSMENT = "assessment", _("Assessment")
    GUIDANCE = "guidance", _("Guidance and coaching")
    MATCHING = "matching", _("Matching to work")
    SFI = "sfi", _("Swedish for immigrants")
    PREPARATORY = "preparatory", _("Preparatory activities")
    WORK_TRAINING = "work_training", _("Work training")
    INTERNSHIP = "internship", _("Internship")
    EDUCATION = "education", _("Education and validation")
    EXTERNAL = "external", _("Partner's offer")
    SUPPORTED_EMPLOYMENT = "supported_employment", _("Supported Employment")
