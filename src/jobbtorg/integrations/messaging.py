"""Messages to people (reminders, notices): a pluggable sender per channel, chosen in settings.

JOBBTORG_MESSAGE_SENDERS = {"email": "jobbtorg.integrations.messaging.EmailSender",
                            "sms": "jobbtorg.integrations.messaging.LogSmsSender"}
A municipality plugs in its SMS gateway by naming a class with the same `send(message)` method: the one
shipped is `GatewaySmsSender` (46elks, `integrations.sms`; JOBBTORG_SMS_SENDER in the environment).
What a message may say is decided by its writer (attendance reminders, journal notices), not here.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils.module_loading import import_string

from jobbtorg.celery import app as celery_app

from .sms import sms_record

SEND_SMS_TASK = "integrations.send_sms"  # integrations/tasks.py (by name: tasks are an entry point, ADR 8)

logger = logging.getLogger(__name__)


@dataclass
class Message:
    channel: str
    to: str
    subject: str
    body: str


class EmailSender:
    def send(self, message: Message) -> None:
        send_mail(message.subject, message.body, None, [message.to])


class LogSmsSender:
    """Development stand-in for an SMS gateway: records that an SMS would go out (never its text)."""

    sent: list[Message] = []

    def send(self, message: Message) -> None:
        LogSmsSender.sent.append(message)
        logger.info("SMS queued (%d characters)", len(message.body))


class GatewaySmsSender:
    """SMS through the gateway (46elks): a `SmsDelivery` row now, the HTTP request by the task queue after
    the caller's transaction commits (retried with back-off while the gateway is away)."""

    def send(self, message: Message) -> None:
        delivery = sms_record(to=message.to, body=message.body)
        if delivery.to:
            delivery_id = str(delivery.pk)
            transaction.on_commit(lambda: celery_app.tasks[SEND_SMS_TASK].delay(delivery_id))
        else:
            logger.warning("SMS not sent: not a phone number (delivery %s)", delivery.pk)


def sender_for(channel: str):
    return import_string(settings.JOBBTORG_MESSAGE_SENDERS[channel])()


def send(message: Message) -> None:
    sender_for(message.channel).send(message)
