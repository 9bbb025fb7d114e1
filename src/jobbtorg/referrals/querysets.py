import datetime

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from .constants import OPEN_SEND_BACK_STATUSES, OPEN_STATUSES


class ReferralQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralQuerySet":
        """A caseworker sees the referrals their district made (`of_district`: an intake the unit registered
        itself is not the district's case, ADR 0020); Jobbtorg staff those routed to their unit whose basis
        stands (`with_basis`); everyone else none. Whatever hangs off a referral (mapping, plan, bookings,
        meetings, exits, choices …) is scoped through this."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_caseworker:
            return self.of_district(user.district_id)
        if user.is_unit_staff:
            return self.filter(unit_id=user.unit_id).with_basis()
        return self.none()

    def of_district(self, district_id) -> "ReferralQuerySet":
        """The referrals a district's caseworkers made: not the intakes a unit registered itself for people
        who live in the district (`Referral.is_intake`)."""
        return self.filter(district_id=district_id, caseworker__isnull=False)

    def intakes(self) -> "ReferralQuerySet":
        """Registered by a Jobbtorg unit itself (inskrivning), without a district caseworker."""
        return self.filter(caseworker__isnull=True)

    def with_basis(self) -> "ReferralQuerySet":
        """Referrals whose basis stands: the person has not withdrawn the consent district ↔ Jobbtorg since
        they were made. After a withdrawal the Jobbtorg (and through it the providers) sees only that the
        case existed and was closed (`listed_for`); a new referral is needed for access again."""
        return self.filter(consent_withdrawn_at__isnull=True)

    def listed_for(self, user) -> "ReferralQuerySet":
        """The referral list: what `visible_to` gives, plus — for Jobbtorg staff — their unit's referrals
        whose basis ended, marked `content_hidden` (shown as a closed case without name, number or link)."""
        if user.is_authenticated and user.is_active and user.is_unit_staff and user.unit_id:
            hidden = models.Q(consent_withdrawn_at__isnull=False)
            return self.filter(unit_id=user.unit_id).annotate(
                content_hidden=models.ExpressionWrapper(hidden, output_field=models.BooleanField())
            )
        return self.visible_to(user).annotate(
            content_hidden=models.Value(False, output_field=models.BooleanField())
        )

    def open(self) -> "ReferralQuerySet":
        return self.filter(status__in=OPEN_STATUSES)

    def responsible(self, user, on: datetime.date | None = None) -> "ReferralQuerySet":
        """The user's own cases ("my cases"): the referrals they are the responsible coach of, and — while a
        substitution is in force on `on` (today by default) — those of the coaches they stand in for."""
        return self.filter(responsible_for(user, on))


def responsible_for(user, on: datetime.date | None = None) -> models.Q:
    """The condition of "my cases" on a referral: its coach is the user or a coach the user stands in for on
    `on`. One `coach IN (me UNION the coaches I cover)`, so the database walks the coach index for each of
    them; `coach = me OR coach IN (…)` made PostgreSQL read every referral (issue 15)."""
    Substitution = apps.get_model("referrals", "Substitution")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    coaches = (
        User.objects.filter(pk=user.pk)
        .order_by()
        .values("pk")
        .union(Substitution.objects.in_force(on).filter(substitute_id=user.pk).order_by().values("coach_id"))
    )
    return models.Q(coach_id__in=coaches)


class ReferralEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "ReferralEventQuerySet":
        """A referral's status history is visible with the referral."""
        Referral = apps.get_model("referrals", "Referral")
        return self.filter(referral__in=Referral.objects.visible_to(user))


class SendBackQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SendBackQuerySet":
        """The send-backs of the referrals the user sees (caseworker, Jobbtorg staff); a district unit head
        sees those of their district that were escalated to the unit heads."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_district_head:
            return self.filter(referral__district_id=user.district_id, escalated_at__isnull=False)
        Referral = apps.get_model("referrals", "Referral")
        return self.filter(referral__in=Referral.objects.visible_to(user))

    def open(self) -> "SendBackQuerySet":
        return self.filter(status__in=OPEN_SEND_BACK_STATUSES)


class CoachChangeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CoachChangeQuerySet":
        """The history of a referral's responsible coach is visible with the referral."""
        Referral = apps.get_model("referrals", "Referral")
        return self.filter(referral__in=Referral.objects.visible_to(user))


class SubstitutionQuerySet(models.QuerySet):
    def visible_to(self, user) -> "SubstitutionQuerySet":
        """Jobbtorg staff see the substitutions of their own unit (who stands in for whom); no one else any.
        Staff data, no person's data."""
        if not user.is_authenticated or not user.is_active or not user.is_unit_staff:
            return self.none()
        return self.filter(unit_id=user.unit_id)

    def in_force(self, on: datetime.date | None = None) -> "SubstitutionQuerySet":
        """Substitutions whose period includes `on` (today by default): they end by themselves after it."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on)

    def current_and_coming(self, on: datetime.date | None = None) -> "SubstitutionQuerySet":
        return self.filter(ends_on__gte=on or timezone.localdate())
