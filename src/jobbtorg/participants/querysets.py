from django.apps import apps
from django.db import models

from jobbtorg.accounts.constants import Role


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ParticipantQuerySet":
        """Who may see a person's record — the one rule, used by every page, list and endpoint:

        - a district caseworker: people living in their own district;
        - Jobbtorg staff (coach, counsellor, matcher, unit head): people referred to their unit;
        - provider staff: people assigned to their organisation (none until providers exist);
        - analysts and administrators: no individual records.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.role == Role.CASEWORKER and user.district_id:
            return self.filter(district_id=user.district_id)
        if user.is_unit_staff and user.unit_id:
            Referral = apps.get_model("referrals", "Referral")
            return self.filter(
                models.Exists(Referral.objects.filter(participant=models.OuterRef("pk"), unit_id=user.unit_id))
            )
        return self.none()
