"""Who sees which provider, application, authorisation, choice and assignment — one rule per model, used by
every page, list and endpoint — and the date rules of authorisations and assignments."""

import datetime

from django.apps import apps
from django.db import models
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from jobbtorg.accounts.selectors import municipality_id_of, sees_every_municipality

from .constants import ApplicationStatus


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


def _visible_people(user):
    return apps.get_model("participants", "Participant").objects.visible_to(user).values("pk")


def _visible_referrals(user):
    return apps.get_model("referrals", "Referral").objects.visible_to(user).values("pk")


class ProviderQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ProviderQuerySet":
        """The provider register (organisations, no personal data), for those allowed to view providers
        (`providers.view_provider`): the user's municipality; a system-wide administrator without one sees
        every municipality's."""
        if not (_active(user) and user.has_perm("providers.view_provider")):
            return self.none()
        municipality_id = municipality_id_of(user)
        if municipality_id is not None:
            return self.filter(municipality_id=municipality_id)
        return self if sees_every_municipality(user) else self.none()


class ApplicationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ApplicationQuerySet":
        """Provider staff: their own organisation's applications; those who decide on authorisations
        (`providers.decide_application`): every application of the providers they see; everyone else none."""
        if not _active(user):
            return self.none()
        if user.is_provider_staff:
            return self.filter(provider_id=user.provider_id)
        if user.has_perm("providers.decide_application"):
            Provider = apps.get_model("providers", "Provider")
            return self.filter(provider__in=Provider.objects.visible_to(user))
        return self.none()

    def pending_first(self) -> "ApplicationQuerySet":
        """Applications waiting for a decision first, then newest first."""
        pending = Case(
            When(status=ApplicationStatus.SUBMITTED, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        )
        return self.order_by(pending, "-submitted_at", "-id")


class AuthorisationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AuthorisationQuerySet":
        """Authorisations are public facts about providers: those of the providers the user sees."""
        Provider = apps.get_model("providers", "Provider")
        return self.filter(provider__in=Provider.objects.visible_to(user))

    def in_force(self, on: datetime.date) -> "AuthorisationQuerySet":
        """Granted by `on`, not revoked by then, and not suspended on that day."""
        from .models import Suspension

        suspended = Suspension.objects.filter(authorisation=OuterRef("pk"), start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        return (
            self.filter(valid_from__lte=on, provider__active=True)
            .filter(Q(revoked_from__isnull=True) | Q(revoked_from__gt=on))
            .exclude(Exists(suspended))
        )


class ChoiceRequestQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ChoiceRequestQuerySet":
        """Provider choices: of the referrals the user sees (caseworker, Jobbtorg staff), or the person's
        own."""
        if not _active(user):
            return self.none()
        if user.is_participant:
            return self.filter(participant_id=user.participant_id)
        return self.filter(referral__in=_visible_referrals(user))


class AssignmentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AssignmentQuerySet":
        """Provider assignments: of the referrals the user sees; provider staff only their own
        organisation's, for the people visible to them (assigned, with consent); a person their own."""
        if not _active(user):
            return self.none()
        if user.is_provider_staff:
            return self.filter(provider_id=user.provider_id, participant__in=_visible_people(user))
        if user.is_participant:
            return self.filter(participant_id=user.participant_id)
        return self.filter(referral__in=_visible_referrals(user))

    def current(self, on: datetime.date | None = None) -> "AssignmentQuerySet":
        if on is None:
            return self.filter(end_date__isnull=True)
        return self.filter(start_date__lte=on).filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
