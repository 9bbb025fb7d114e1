from django.apps import apps
from django.db import models

from .constants import ConsentScope, ConsentStatus


class ParticipantQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ParticipantQuerySet":
        """Who may see a person's record — the one rule, used by every page, list and endpoint:

        - a district caseworker: people living in their own district, except those the district never
          referred who came to a Jobbtorg unit another way (only intakes, ADR 0020: not the district's case);
        - Jobbtorg staff (coach, counsellor, matcher, unit head): people referred to their unit by a
          referral whose basis stands (no withdrawal of the consent district ↔ Jobbtorg since);
        - provider staff: people currently assigned to their organisation whose consent to share
          information between the Jobbtorg and providers is in force;
        - a participant (participant view): themselves;
        - analysts and administrators: no individual records.
        """
        if not user.is_authenticated or not user.is_active:
            return self.none()
        Referral = apps.get_model("referrals", "Referral")
        if user.is_caseworker:
            mine = Referral.objects.of_district(user.district_id).filter(participant=models.OuterRef("pk"))
            intake = Referral.objects.intakes().filter(participant=models.OuterRef("pk"))
            return self.filter(district_id=user.district_id).filter(
                models.Exists(mine) | ~models.Exists(intake)
            )
        if user.is_unit_staff:
            referred = Referral.objects.with_basis().filter(
                participant=models.OuterRef("pk"), unit_id=user.unit_id
            )
            return self.filter(models.Exists(referred))
        if user.is_provider_staff:
            Assignment = apps.get_model("providers", "Assignment")
            assigned = Assignment.objects.current().filter(
                participant=models.OuterRef("pk"), provider_id=user.provider_id
            )
            return self.filter(models.Exists(assigned)).with_consent(ConsentScope.JOBBTORG_PROVIDER)
        if user.is_participant:
            return self.filter(pk=user.participant_id)
        return self.none()

    def referred_to_unit(self, unit_id) -> "ParticipantQuerySet":
        """Everyone ever referred to the unit, whether or not the Jobbtorg may still see their case — for
        the unit head's review of who read whom (audit), never for showing a record."""
        Referral = apps.get_model("referrals", "Referral")
        return self.filter(
            models.Exists(Referral.objects.filter(participant=models.OuterRef("pk"), unit_id=unit_id))
        )

    def with_consent(self, scope: str) -> "ParticipantQuerySet":
        """People whose latest recorded consent decision for `scope` is 'given'."""
        Consent = apps.get_model("participants", "Consent")
        latest = (
            Consent.objects.filter(participant=models.OuterRef("pk"), scope=scope)
            .order_by("-recorded_at", "-id")
            .values("status")[:1]
        )
        field = f"consent_{scope}"
        return self.annotate(**{field: models.Subquery(latest)}).filter(**{field: ConsentStatus.GIVEN})


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentQuerySet":
        """A person's consent decisions are visible with the person's record (`Participant.visible_to`)."""
        Participant = apps.get_model("participants", "Participant")
        return self.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
