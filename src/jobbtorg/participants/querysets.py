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
        - partner staff (Arbetsförmedlingen, Försäkringskassan, …; ADR 19): people of their municipality
          whom their organisation works with (a four-party meeting, a request to it, or a link of the action
          plan to its plan) and whose consent for the organisation's kind is in force — a withdrawal cuts
          access at once;
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
        if user.is_partner_staff:
            organisation = user.partner_organisation
            return self.filter(
                _works_with_partner(organisation.pk), municipality_id=organisation.municipality_id
            ).with_consent(organisation.consent_scope)
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


def _works_with_partner(organisation_id) -> models.Q:
    """The people a partner organisation works with: a four-party meeting or a request to it, or a link of
    an action plan to its plan."""
    Meeting = apps.get_model("partners", "PartnerMeeting")
    Request = apps.get_model("partners", "PartnerRequest")
    Link = apps.get_model("plans", "OtherPlanLink")
    person = models.OuterRef("pk")
    return (
        models.Q(models.Exists(Meeting.objects.filter(organisation_id=organisation_id, participant=person)))
        | models.Q(models.Exists(Request.objects.filter(organisation_id=organisation_id, participant=person)))
        | models.Q(models.Exists(Link.objects.filter(partner_id=organisation_id, plan__participant=person)))
    )


class ConsentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ConsentQuerySet":
        """A person's consent decisions are visible with the person's record (`Participant.visible_to`)."""
        Participant = apps.get_model("participants", "Participant")
        return self.filter(participant__in=Participant.objects.visible_to(user).values("pk"))
