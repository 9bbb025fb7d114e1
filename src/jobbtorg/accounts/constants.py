from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CASEWORKER = "caseworker", _("District caseworker")
    JOB_COACH = "job_coach", _("Job coach")
    CAREER_COUNSELLOR = "career_counsellor", _("Study and career counsellor")
    MATCHER = "matcher", _("Matcher")
    UNIT_HEAD = "unit_head", _("Unit head")
    PROVIDER_STAFF = "provider_staff", _("Provider staff")
    ANALYST = "analyst", _("Analyst")
    ADMINISTRATOR = "administrator", _("Administrator")
    PARTICIPANT = "participant", _("Participant")


# Staff who work at a Jobbtorg unit and see the people referred to it.
UNIT_ROLES = frozenset({Role.JOB_COACH, Role.CAREER_COUNSELLOR, Role.MATCHER, Role.UNIT_HEAD})
DISTRICT_ROLES = frozenset({Role.CASEWORKER})


class UnitKind(models.TextChoices):
    JOBBTORG = "jobbtorg", _("Jobbtorg (regional unit)")
    SPECIALISED = "specialised", _("Specialised unit")
