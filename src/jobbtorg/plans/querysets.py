from django.db import models

from jobbtorg.referrals.models import Referral


class CaseQuerySet(models.QuerySet):
    """Mappings and action plans belong to a referral: whoever may see the referral may see them."""

    def visible_to(self, user):
        return self.filter(referral__in=Referral.objects.visible_to(user))


class PlanPartQuerySet(models.QuerySet):
    """A plan's activities, links to other plans and versions are visible with the plan."""

    def visible_to(self, user):
        return self.filter(plan__referral__in=Referral.objects.visible_to(user))
