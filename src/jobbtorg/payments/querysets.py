"""Who sees which compensation models, payment runs, lines and disputes — one rule per model, used by every
page and endpoint.

- Finance (`payments.view_payment_basis`: administrators, unit heads for the basis) see everything of their
  own municipality.
- Provider staff (`payments.view_paymentline`) see only their own provider's lines and disputes, and the
  compensation models their contracts and authorisations are paid by — never a run (its totals cover every
  provider). They keep their lines (accounting) when their access to the person ends (exit, consent
  withdrawn), but then without name or number (`PaymentLineQuerySet.with_person_shown`).
- Everyone else sees nothing.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce

from jobbtorg.accounts.selectors import municipality_id_of


def _municipality_staff_with(user, permission: str) -> bool:
    """Staff of the municipality itself (not a provider's) holding `permission`."""
    return bool(
        user.is_authenticated
        and user.is_active
        and not user.is_provider_staff
        and municipality_id_of(user)
        and user.has_perm(permission)
    )


def sees_all_lines_of_municipality(user) -> bool:
    return _municipality_staff_with(user, "payments.view_payment_basis")


def sees_own_provider_lines(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_provider_staff
        and user.has_perm("payments.view_paymentline")
    )


# A line of a run is paid with it unless a creaming review holds it (services.py, "creaming reviews").
PAID = Q(held_by__isnull=True)


class CompensationModelQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CompensationModelQuerySet":
        if sees_all_lines_of_municipality(user) or _municipality_staff_with(
            user, "payments.manage_compensation"
        ):
            return self.filter(municipality_id=municipality_id_of(user))
        if sees_own_provider_lines(user):
            return self.filter(
                Q(assignments__contract__provider_id=user.provider_id)
                | Q(assignments__authorisation__provider_id=user.provider_id)
            ).distinct()
        return self.none()


class PaymentRunQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PaymentRunQuerySet":
        if sees_all_lines_of_municipality(user):
            return self.filter(municipality_id=municipality_id_of(user))
        return self.none()


class PaymentLineQuerySet(models.QuerySet):
    def visible_to(self, user) -> "PaymentLineQuerySet":
        if sees_all_lines_of_municipality(user):
            return self.filter(run__municipality_id=municipality_id_of(user))
        if sees_own_provider_lines(user):
            return self.filter(provider_id=user.provider_id)
        return self.none()

    def with_person_shown(self, user) -> "PaymentLineQuerySet":
        """Annotate `person_shown`: may the user see who a line is for? Finance always; provider staff only
        while the person is visible to them (`Participant.objects.visible_to`: assigned, with consent) —
        once their access has ended, the line is shown without name or identity number."""
        if sees_all_lines_of_municipality(user):
            shown = models.Value(True, output_field=models.BooleanField())
        elif sees_own_provider_lines(user):
            Participant = apps.get_model("participants", "Participant")
            visible = Participant.objects.visible_to(user).filter(pk=models.OuterRef("participant_id"))
            shown = models.Exists(visible)
        else:
            shown = models.Value(False, output_field=models.BooleanField())
        return self.annotate(person_shown=shown)


class DisputeQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DisputeQuerySet":
        if sees_all_lines_of_municipality(user):
            return self.filter(line__run__municipality_id=municipality_id_of(user))
        if sees_own_provider_lines(user):
            return self.filter(line__provider_id=user.provider_id)
        return self.none()


class CreamingReviewQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CreamingReviewQuerySet":
        """Finance of the municipality (the contract manager decides: `perms.can_decide_creaming_review`).
        Provider staff see that their lines are held on their payment basis, not the review itself."""
        if sees_all_lines_of_municipality(user):
            return self.filter(municipality_id=municipality_id_of(user))
        return self.none()

    def with_held_figures(self) -> "CreamingReviewQuerySet":
        """Annotate `people` (flagged), `held_count` and `held_amount` (lines the review holds, SEK)."""
        PaymentLine = apps.get_model("payments", "PaymentLine")
        lines = PaymentLine.objects.filter(held_by=models.OuterRef("pk")).order_by().values("held_by")
        people = self.model.participants.through.objects.filter(creamingreview_id=models.OuterRef("pk"))
        return self.annotate(
            people=Coalesce(
                models.Subquery(
                    people.order_by().values("creamingreview_id").annotate(n=models.Count("id")).values("n")
                ),
                0,
            ),
            held_count=Coalesce(models.Subquery(lines.annotate(n=models.Count("id")).values("n")), 0),
            held_amount=models.Subquery(lines.annotate(t=models.Sum("amount")).values("t")),
        )
