from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Handed to the gateway")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
