from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("District caseworker")
    JOB_COACH = "job_coach", _("Job coach")
    CAREER_COUNSELLOR = "career_counsellor", _("Study and career counsellor")
    MATCHER = "matcher", _("Matcher")
    UNIT_HEAD = "unit_head", _("Unit head")
    # The head of a district's social-services unit (enhetschef i stadsdelen): decides, with the Jobbtorg's
    # unit head, a referral the Jobbtorg sent back and the caseworker disputed.
    DISTRICT_HEAD = "district_head", _("District unit head")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    # Staff of a partner organisation (Arbetsförmedlingen, Försäkringskassan, adult education, health care, a
    # samordningsförbund): sees the shared plan of the people who consented to sharing with that partner.
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTICIPANT = "participant", _("Participant")


# Set in the session when the identity provider asserted multi-factor authentication at single sign-on
# (jobbtorg.identity): the product's own TOTP step is then skipped.
IDP_MFA_SESSION_KEY = "jobbtorg_idp_mfa"
# The identity provider's end-session address (RP-initiated logout), kept in the session at single sign-on
# or e-ID sign-in: signing out of the product also signs out there.
END_SESSION_URL_KEY = "jobbtorg_end_session_url"

# Staff who work at a Jobbtorg unit and see the people referred to it.
UNIT_ROLES = frozenset({Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD})
DISTRICT_ROLES = frozenset({Role.CASEWORKER})


def required_attachment(role: str) -> str | None:
    """What a role must be attached to: a caseworker to a district, Jobbtorg staff to a unit, provider staff
    to a provider, a participant login to a person, partner staff to a partner organisation; other roles to
    nothing. The one rule behind `User.clean`
    and the single-sign-on role mapping (identity.StaffRoleMapping)."""
    if role in DISTRICT_ROLES or role == Role.DISTRICT_HEAD:
        return "district"
    if role in UNIT_ROLES:
        return "unit"
    if role == Role.PROVIDER_STAFF:
        return "provider"
    if role == Role.PARTICIPANT:
        return "participant"
    if role == Role.PARTNER_STAFF:
        return "partner_organisation"
    return None


ATTACHMENT_MESSAGES = {
    "district": _("A caseworker must belong to a district."),
    "unit": _("Jobbtorg staff must belong to a unit."),
    "provider": _("Provider staff must belong to a provider."),
    "participant": _("A participant login must belong to a person."),
    "partner_organisation": _("Partner staff must belong to a partner organisation."),
}


class UnitKind(models.TextChoices):
    JOBBTORG = "jobbtorg", _("Jobbtorg (regional unit)")
    SPECIALISED = "specialised", _("Specialised unit")
