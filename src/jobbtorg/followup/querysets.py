"""Who sees which exits and assistance deliveries (the one place for each rule)."""

from django.db import models


class ExitQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ExitQuerySet":
        """Exits of the referrals the user sees (`Referral.objects.visible_to`: the receiving unit's staff,
        the referring district's caseworker), for roles with `followup.view_exit`; nobody else."""
        from jobbtorg.referrals.models import Referral

        if not (user.is_authenticated and user.is_active and user.has_perm("followup.view_exit")):
            return self.none()
        return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))


class AssistanceImportQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssistanceImportQuerySet":
        """The deliveries of the user's municipality, for those who may import (finance, unit heads)."""
        if not (
            user.is_authenticated
            and user.is_active
            and user.municipality_id
            and user.has_perm("followup.import_assistance")
        ):
            return self.none()
        return self.filter(municipality_id=user.municipality_id)
