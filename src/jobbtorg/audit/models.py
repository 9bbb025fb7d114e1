"""Append-only audit tables: who read which person's record, and who changed what."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import Channel
from .querysets import ReadLogQuerySet


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise PermissionDenied("Audit entries are never changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionDenied("Audit entries are never deleted.")


class ReadLog(AppendOnly):
    """One row per read of a person's record (a page or an API response that shows it)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    participant_id = models.UUIDField(_("person"), db_index=True)
    view = models.CharField(_("view"), max_length=100)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    # How the reader signed in (e-ID, single sign-on, password + app, integration token): the sign-in of
    # the session or token that read (jobbtorg.utils.sign_in).
    sign_in = models.ForeignKey(
        "identity.SignInLog",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sign-in"),
        db_constraint=False,
    )

    objects = ReadLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "-at"]), models.Index(fields=["participant_id", "-at"])]


class ChangeLog(AppendOnly):
    """One row per change to a case record: who, when, what (event name and the fields changed)."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True)
    action = models.CharField(_("event"), max_length=60)
    object_type = models.CharField(_("object type"), max_length=60)
    object_id = models.CharField(_("object id"), max_length=64)
    participant_id = models.UUIDField(_("person"), null=True, db_index=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    class Meta:
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"])]
