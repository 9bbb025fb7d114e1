"""Who sees which offering and booking — one rule per model, used by every page, list and endpoint."""

from django.apps import apps
from django.db import models
from django.db.models import Count, F, Q

from jobbtorg.accounts.selectors import municipality_id_of, sees_every_municipality

from .constants import BookingStatus


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class OfferingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OfferingQuerySet":
        """Offerings are not personal data: everyone allowed to view offerings (`interventions.view_offering`)
        sees their municipality's; a system-wide administrator without a municipality sees every one."""
        if not (_active(user) and user.has_perm("interventions.view_offering")):
            return self.none()
        municipality_id = municipality_id_of(user)
        if municipality_id is not None:
            return self.filter(municipality_id=municipality_id)
        return self if sees_every_municipality(user) else self.none()

    def reportable_by(self, user) -> "OfferingQuerySet":
        """Offerings whose attendance the user reports: provider staff their organisation's; Jobbtorg staff
        their unit's and those where people of their unit are booked."""
        if not _active(user):
            return self.none()
        if user.is_provider_staff:
            return self.filter(provider_id=user.provider_id)
        if user.is_unit_staff:
            return self.filter(
                Q(unit_id=user.unit_id) | Q(bookings__referral__unit_id=user.unit_id)
            ).distinct()
        return self.none()

    def with_waitlist_length(self) -> "OfferingQuerySet":
        return self.annotate(
            waitlist_length=Count("bookings", filter=Q(bookings__status=BookingStatus.WAITLISTED))
        )

    def with_free_places(self) -> "OfferingQuerySet":
        return self.filter(active=True, booked_count__lt=F("capacity"))


class BookingQuerySet(models.QuerySet):
    def visible_to(self, user) -> "BookingQuerySet":
        """Jobbtorg staff: bookings of the people referred to their unit; a caseworker: of their district's
        referrals; provider staff: bookings in their own organisation's offerings of the people visible to
        them (assigned, with consent in force — `Participant.objects.visible_to`); a person: their own."""
        if not _active(user):
            return self.none()
        if user.is_unit_staff:
            Referral = apps.get_model("referrals", "Referral")
            return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))
        if user.is_caseworker:
            Referral = apps.get_model("referrals", "Referral")
            return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))
        if user.is_provider_staff:
            Participant = apps.get_model("participants", "Participant")
            return self.filter(
                offering__provider_id=user.provider_id,
                participant__in=Participant.objects.visible_to(user).values("pk"),
            )
        if user.is_participant:
            return self.filter(participant_id=user.participant_id)
        return self.none()

    def reportable_by(self, user) -> "BookingQuerySet":
        """The bookings the user may report attendance for: those visible to them, for the roles that report
        (Jobbtorg staff, provider staff) — never a caseworker or the person."""
        if not _active(user) or not (user.is_unit_staff or user.is_provider_staff):
            return self.none()
        return self.visible_to(user)
