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


class DeliveredBy(models.TextChoices):
    JOBBTORG = "jobbtorg", _("The Jobbtorg")
    CITY = "city", _("A city unit")
    PROVIDER = "provider", _("A provider")


class BookingStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ENDED = "ended", _("Ended")


ACTIVE_BOOKING_STATUSES = (BookingStatus.BOOKED, BookingStatus.WAITLISTED)
