"""Who sees which partner organisation, four-party meeting and request to a partner — one rule per model."""

from django.apps import apps
from django.db import models


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _visible_people(user):
    return apps.get_model("participants", "Participant").objects.visible_to(user).values("pk")


def _visible_referrals(user):
    return apps.get_model("referrals", "Referral").objects.visible_to(user).values("pk")


class PartnerOrganisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PartnerOrganisationQuerySet":
        """The partner organisations of the user's municipality (no personal data); partner staff: their
        own."""
        if not _active(user):
            return self.none()
        if user.is_partner_staff:
            return self.filter(pk=user.partner_organisation_id)
        if user.municipality_id:
            return self.filter(municipality_id=user.municipality_id)
        return self.none()


class _CaseWithPartnerQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Jobbtorg staff: those on the referrals they see (`Referral.visible_to`); a caseworker: their
        district's; partner staff: their own organisation's, of the people visible to them
        (`Participant.visible_to`: the consent for the organisation's kind in force — withdrawn, gone);
        nobody else."""
        if not _active(user):
            return self.none()
        if user.is_unit_staff:
            return self.filter(referral__in=_visible_referrals(user))
        if user.is_caseworker:
            return self.filter(referral__district_id=user.district_id)
        if user.is_partner_staff:
            return self.filter(
                organisation_id=user.partner_organisation_id, participant__in=_visible_people(user)
            )
        return self.none()


class PartnerMeetingQuerySet(_CaseWithPartnerQuerySet):
    def upcoming(self, now) -> "PartnerMeetingQuerySet":
        return self.filter(ends_at__gte=now)


class PartnerRequestQuerySet(_CaseWithPartnerQuerySet):
    def open(self) -> "PartnerRequestQuerySet":
        return self.filter(status__in=["sent", "accepted"])
