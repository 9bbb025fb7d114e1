"""The case journal (journalanteckningar) and the secure messages on a case. Both are documentation of the
case: never edited once they count (a signed entry, a sent message) and never deleted — only thinned with the
whole case file by retention (privacy.retention finds every relation to the person)."""

import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import EntryKind, NoticeChannel, Side
from .querysets import JournalEntryQuerySet, MessageQuerySet


class JournalEntry(models.Model):
    """One dated entry about a person, written and signed by its author. A signed entry is never changed:
    a correction is a new entry that points to it (`corrects`), and the two are shown together."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="journal_entries"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="journal_entries", verbose_name=_("case")
    )
    kind = models.CharField(_("type"), max_length=20, choices=EntryKind.choices)
    occurred_on = models.DateField(_("date"), help_text=_("When it happened (the meeting, the call …)."))
    body = models.TextField(_("entry"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    author_provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Set when provider staff wrote the entry."),
    )
    written_at = models.DateTimeField(_("written"), auto_now_add=True)
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    corrects = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        verbose_name=_("corrects"),
    )

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-occurred_on", "-written_at"]
        indexes = [models.Index(fields=["participant", "-occurred_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.occurred_on}"

    def save(self, *args, **kwargs):
        if not self._state.adding and type(self).objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise PermissionDenied("A signed journal entry is never changed; write a correction.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if type(self).objects.filter(pk=self.pk, signed_at__isnull=False).exists():
            raise PermissionDenied("A signed journal entry is never deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Message(models.Model):
    """A secure message on a case. The thread with the person has `provider` empty (participant ↔ Jobbtorg);
    a thread about the person between a provider and the Jobbtorg names the provider. Never changed, never
    deleted by anyone (retention thins it with the case file)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    participant = models.ForeignKey(
        "participants.Participant", on_delete=models.PROTECT, related_name="case_messages"
    )
    referral = models.ForeignKey(
        "referrals.Referral", on_delete=models.PROTECT, related_name="case_messages", verbose_name=_("case")
    )
    provider = models.ForeignKey(
        "providers.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_(
            "Empty: the thread with the person. Set: the thread with this provider about the person."
        ),
    )
    side = models.CharField(_("from"), max_length=20, choices=Side.choices)
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["sent_at", "id"]
        indexes = [models.Index(fields=["participant", "provider", "sent_at"])]

    def __str__(self):
        return f"{self.get_side_display()} {self.sent_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("A sent message is never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("A message on a case is never deleted.")


class NoticePreference(models.Model):
    """The channel the person chose for being told that a message waits. Without a choice: e-mail and SMS as
    their contact details allow — except for a person with protected identity, who gets a notice only
    through a channel they chose themself."""

    participant = models.OneToOneField(
        "participants.Participant", on_delete=models.CASCADE, related_name="notice_preference"
    )
    channel = models.CharField(_("notice by"), max_length=10, choices=NoticeChannel.choices)
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notice preference")
        verbose_name_plural = _("notice preferences")
