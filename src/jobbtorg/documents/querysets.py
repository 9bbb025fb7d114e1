"""Who sees which documents (the one place for the rule)."""

from django.apps import apps
from django.db import models


class DocumentQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentQuerySet":
        """The documents on a person's case, for roles with `documents.view_document`:

        - Jobbtorg staff: the documents on their unit's referrals whose basis stands;
        - a district caseworker: the documents on their district's referrals as far as the consent
          district ↔ Jobbtorg covers them (the referral's basis stands: no withdrawal since);
        - provider staff: about people they see (`Participant.objects.visible_to`: assigned, with the consent
          Jobbtorg ↔ provider in force), the documents their own organisation uploaded and those the Jobbtorg
          shared with it;
        - everyone else (participants, analysts, administrators, district heads): none."""
        if not (user.is_authenticated and user.is_active and user.has_perm("documents.view_document")):
            return self.none()
        if user.is_unit_staff or user.is_caseworker:
            Referral = apps.get_model("referrals", "Referral")
            return self.filter(referral__in=Referral.objects.visible_to(user).with_basis().values("pk"))
        if user.is_provider_staff:
            Participant = apps.get_model("participants", "Participant")
            shared = models.Q(shares__provider_id=user.provider_id)
            own = models.Q(uploaded_by_provider_id=user.provider_id)
            people = Participant.objects.visible_to(user).values("pk")
            ids = self.filter(participant__in=people).filter(own | shared).values("pk")
            return self.filter(pk__in=ids)
        return self.none()


class DocumentShareQuerySet(models.QuerySet):
    def visible_to(self, user) -> "DocumentShareQuerySet":
        """Who a document was shared with is seen with the document, by Jobbtorg staff and caseworkers (a
        provider sees only its own shares)."""
        Document = apps.get_model("documents", "Document")
        shares = self.filter(document__in=Document.objects.visible_to(user).values("pk"))
        if user.is_authenticated and user.is_provider_staff:
            return shares.filter(provider_id=user.provider_id)
        return shares
