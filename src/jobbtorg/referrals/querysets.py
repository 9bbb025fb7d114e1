from django.apps import apps
from django.db import models

from .constants import OPEN_STATUSES


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        """A caseworker sees the referrals of their district; Jobbtorg staff those routed to their unit;
        everyone else none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_caseworker:
            return self.filter(district_id=user.district_id)
        if user.is_unit_staff:
            return self.filter(unit_id=user.unit_id)
        return self.none()

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class ReferralEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralEventQuerySet":
        """A referral's status history is visible with the referral."""
        Referral = apps.get_model("referrals", "Referral")
        return self.filter(referral__in=Referral.objects.visible_to(user))
