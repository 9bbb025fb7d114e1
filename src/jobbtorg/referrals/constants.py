from django.db import models
from django.utils.translation import gettext_lazy as _


class ReferralStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = (ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED)


class ReferralSource(models.TextChoices):
    """Who initiated the referral (anvisning) — Kolada U40806–U40810 are the shares of each."""

    SOCIAL_SERVICES = "social_services", _("Social services")
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    SELF = "self", _("The person themselves")
    OTHER = "other", _("Other")


class AssistanceStatus(models.TextChoices):
    RECEIVING = "receiving", _("Receives social assistance")
    APPLIED = "applied", _("Has applied for social assistance")
    INTRODUCTION = "introduction", _("Receives introduction benefit")
    NONE = "none", _("No social assistance")


class CloseReason(models.TextChoices):
    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    OTHER_SUPPORT = "other_support", _("Other support (e.g. Försäkringskassan)")
    MOVED = "moved", _("Moved")
    NO_LONGER_ON_ASSISTANCE = "no_assistance", _("No longer on assistance")
    INTERRUPTED = "interrupted", _("Interrupted")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    # Set by the system when the person withdraws the consent district ↔ Jobbtorg; not chosen by hand.
    CONSENT_WITHDRAWN = "consent_withdrawn", _("Consent withdrawn")


# The reasons staff choose from when they close a referral themselves.
CLOSE_REASONS_BY_HAND = [
    (value, label) for value, label in CloseReason.choices if value != CloseReason.CONSENT_WITHDRAWN
]
