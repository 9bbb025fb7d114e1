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


# The sources of an intake the unit registers itself (inskrivning, ADR 0020): every one but social services,
# whose referrals come from a district caseworker.
INTAKE_SOURCES = [
    (value, label) for value, label in ReferralSource.choices if value != ReferralSource.SOCIAL_SERVICES
]


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
    # Set by the system when a send-back stands (the caseworker agreed, or the unit heads upheld it).
    SENT_BACK = "sent_back", _("Sent back by the Jobbtorg")


# The reasons set by the system, never chosen by hand.
SYSTEM_CLOSE_REASONS = frozenset({CloseReason.CONSENT_WITHDRAWN, CloseReason.SENT_BACK})

# The reasons staff choose from when they close a referral themselves.
CLOSE_REASONS_BY_HAND = [
    (value, label) for value, label in CloseReason.choices if value not in SYSTEM_CLOSE_REASONS
]


class SendBackReason(models.TextChoices):
    """Why the Jobbtorg sends an accepted referral back to the district (återremittering). Counted per unit
    and reason on the dashboard: a Jobbtorg must not pick the easy ones."""

    WRONG_TARGET_GROUP = "wrong_target_group", _("Wrong target group")
    OTHER_SUPPORT_FIRST = "other_support_first", _("Needs other support first (e.g. health care)")
    NOT_ABLE_TO_TAKE_PART = "not_able_to_take_part", _("Cannot take part at present")
    OTHER = "other", _("Other reason")


class SendBackStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting the caseworker")
    AGREED = "agreed", _("Agreed by the caseworker")
    ESCALATED = "escalated", _("Escalated to the unit heads")
    UPHELD = "upheld", _("Upheld by the unit heads")
    OVERTURNED = "overturned", _("Overturned by the unit heads")


# A send-back still waiting for an answer or a decision: at most one per referral.
OPEN_SEND_BACK_STATUSES = (SendBackStatus.PENDING, SendBackStatus.ESCALATED)
# The outcomes that close the referral.
SEND_BACK_STANDS = (SendBackStatus.AGREED, SendBackStatus.UPHELD)


class CoachChangeKind(models.TextChoices):
    """How a referral got its responsible coach (a row of `CoachChange`)."""

    ACCEPTED = "accepted", _("Assigned at acceptance")
    CHANGED = "changed", _("Changed")
    REASSIGNED = "reassigned", _("Reassigned by the unit head")
    RECORDED = "recorded", _("Recorded when responsibility was introduced")


class CaseScope(models.TextChoices):
    """Which cases a per-coach list shows (`?scope=` in the URL)."""

    MINE = "mine", _("My cases")
    UNIT = "unit", _("The whole unit")
