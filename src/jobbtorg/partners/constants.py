"""Partner organisations in the shared plan (ADR 19): their kinds, the consent each kind rests on, four-party
meetings and referrals to a partner."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from jobbtorg.participants.constants import ConsentScope


class PartnerKind(models.TextChoices):
    EMPLOYMENT_SERVICE = "employment_service", _("Arbetsförmedlingen")
    SOCIAL_INSURANCE = "social_insurance", _("Försäkringskassan")
    ADULT_EDUCATION = "adult_education", _("Adult education (SFI, Komvux)")
    HEALTH_CARE = "health_care", _("Health care")
    COORDINATION_ASSOCIATION = "coordination_association", _("Samordningsförbund")


# The consent a partner's access rests on: the person's latest decision for this scope must be "given".
CONSENT_SCOPE = {
    PartnerKind.EMPLOYMENT_SERVICE: ConsentScope.EMPLOYMENT_SERVICE,
    PartnerKind.SOCIAL_INSURANCE: ConsentScope.SOCIAL_INSURANCE,
    PartnerKind.ADULT_EDUCATION: ConsentScope.ADULT_EDUCATION,
    PartnerKind.HEALTH_CARE: ConsentScope.HEALTH_CARE,
    PartnerKind.COORDINATION_ASSOCIATION: ConsentScope.COORDINATION_ASSOCIATION,
}


class MeetingKind(models.TextChoices):
    HANDOVER = "handover", _("Hand-over meeting (överlämningsmöte)")
    COORDINATION = "coordination", _("Coordination meeting")
    FOLLOW_UP = "follow_up", _("Follow-up meeting")


class MeetingStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class RequestKind(models.TextChoices):
    REHABILITATION_ASSESSMENT = "rehabilitation_assessment", _("Rehabilitation assessment")
    SFI_TEST = "sfi_test", _("SFI placement test")
    REGISTRATION = "registration", _("Registration with Arbetsförmedlingen")
    HEALTH_ASSESSMENT = "health_assessment", _("Health assessment")
    OTHER = "other", _("Other request")


class RequestStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    ANSWERED = "answered", _("Answered")
    DECLINED = "declined", _("Declined")
