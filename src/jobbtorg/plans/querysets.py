from django.apps import apps
from django.db import models

from jobbtorg.referrals.models import Referral

# The parts of a plan that partner staff see with it (ADR 19): the activities and the links to other plans;
# never its versions, the person's agreements or comments, nor the mapping.
SHARED_WITH_PARTNERS = ("planactivity", "otherplanlink")


def _partner_people(user):
    return apps.get_model("participants", "Participant").objects.visible_to(user).values("pk")


def _partner(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_partner_staff)


class CaseQuerySet(models.QuerySet):
    """Mappings and action plans belong to a referral: whoever may see the referral may see them."""

    def visible_to(self, user):
        return self.filter(referral__in=Referral.objects.visible_to(user))


class PlanQuerySet(CaseQuerySet):
    def visible_to(self, user):
        """As the referral (`CaseQuerySet`); besides, partner staff see the action plans of the people visible
        to them (`Participant.visible_to`: their organisation works with the person, consent in force)."""
        if _partner(user):
            return self.filter(participant__in=_partner_people(user))
        return super().visible_to(user)


class PlanPartQuerySet(models.QuerySet):
    """A plan's activities, links to other plans and versions are visible with the plan; to partner staff
    only the activities and the links (SHARED_WITH_PARTNERS)."""

    def visible_to(self, user):
        if _partner(user):
            if self.model._meta.model_name not in SHARED_WITH_PARTNERS:
                return self.none()
            return self.filter(plan__participant__in=_partner_people(user))
        return self.filter(plan__referral__in=Referral.objects.visible_to(user))
