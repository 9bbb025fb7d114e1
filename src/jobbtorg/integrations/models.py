"""What became of each SMS sent through the gateway (46elks): queued, handed over, delivered or failed.

The number and the text are kept only until the gateway has the message (they are needed to retry); after
that the row keeps the gateway's id, the status, the number of attempts and the number's last two digits,
so an operator can answer "did the reminder reach the person?" without the record holding the message."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from .constants import SmsStatus


class SmsDelivery(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    to = models.CharField(_("number"), max_length=20, blank=True)  # E.164; emptied once handed over
    to_hint = models.CharField(_("number, last digits"), max_length=4, blank=True)
    body = models.TextField(_("text"), blank=True)  # emptied once handed over
    status = models.CharField(_("status"), max_length=10, choices=SmsStatus.choices, default=SmsStatus.QUEUED)
    gateway_id = models.CharField(_("gateway id"), max_length=64, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.CharField(_("error"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("SMS delivery")
        verbose_name_plural = _("SMS deliveries")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"SMS …{self.to_hint} {self.status}"
