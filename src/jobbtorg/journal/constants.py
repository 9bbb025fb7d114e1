from django.db import models
from django.utils.translation import gettext_lazy as _


class EntryKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    INFO_RECEIVED = "info_received", _("Information received")
    DECISION = "decision", _("Decision")
    OTHER = "other", _("Other")


class Side(models.TextChoices):
    """Who wrote a message: the person, the Jobbtorg or a provider."""

    PARTICIPANT = "participant", _("The participant")
    JOBBTORG = "jobbtorg", _("The Jobbtorg")
    PROVIDER = "provider", _("The provider")


class NoticeChannel(models.TextChoices):
    """How the person wants to be told that a message is waiting (the notice never holds the message)."""

    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")
    NONE = "none", _("No notice: I look in Jobbtorg myself")


MAX_BODY = 10_000
MAX_MESSAGE = 4_000
