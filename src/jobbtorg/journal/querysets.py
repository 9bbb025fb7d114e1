"""Who sees which journal entries and messages (the one place for each rule)."""

from django.apps import apps
from django.db import models


def _active(user) -> bool:
    return bool(user.is_authenticated and user.is_active)


class JournalEntryQuerySet(models.QuerySet):
    def visible_to(self, user) -> "JournalEntryQuerySet":
        """The journal of a person, for roles with `journal.view_journalentry`:

        - Jobbtorg staff: the entries on the referrals of their unit whose basis stands
          (`Referral.objects.visible_to`) — those written by providers included;
        - a district caseworker: the entries on their district's referrals as far as the consent district ↔
          Jobbtorg covers them (the referral's basis stands: no withdrawal since);
        - provider staff: the entries their own organisation wrote about people they see
          (`Participant.objects.visible_to`: assigned, with the consent Jobbtorg ↔ provider in force);
        - everyone else (participants, analysts, administrators): none.
        An unsigned entry (a draft) is seen by its author only."""
        if not (_active(user) and user.has_perm("journal.view_journalentry")):
            return self.none()
        Referral = apps.get_model("referrals", "Referral")
        Participant = apps.get_model("participants", "Participant")
        drafts_of_others = models.Q(signed_at__isnull=True) & ~models.Q(author_id=user.pk)
        if user.is_unit_staff or user.is_caseworker:
            referrals = Referral.objects.visible_to(user).with_basis().values("pk")
            return self.filter(referral__in=referrals).exclude(drafts_of_others)
        if user.is_provider_staff:
            people = Participant.objects.visible_to(user).values("pk")
            return self.filter(participant__in=people, author_provider_id=user.provider_id).exclude(
                drafts_of_others
            )
        return self.none()


class MessageQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MessageQuerySet":
        """The messages on a case:

        - the person (participant view): their own thread with the Jobbtorg;
        - Jobbtorg staff with `journal.view_message` (coach, counsellor, unit head): both threads (with the
          person and with providers) on their unit's referrals whose basis stands;
        - provider staff: their organisation's thread about people they see (`Participant.visible_to`);
        - everyone else: none (the caseworker's channel is the notice inbox, not these threads)."""
        if not _active(user):
            return self.none()
        if user.is_participant:
            return self.filter(participant_id=user.participant_id, provider__isnull=True)
        if user.is_unit_staff and user.has_perm("journal.view_message"):
            Referral = apps.get_model("referrals", "Referral")
            return self.filter(referral__in=Referral.objects.visible_to(user).values("pk"))
        if user.is_provider_staff and user.has_perm("journal.view_message"):
            Participant = apps.get_model("participants", "Participant")
            return self.filter(
                provider_id=user.provider_id,
                participant__in=Participant.objects.visible_to(user).values("pk"),
            )
        return self.none()
