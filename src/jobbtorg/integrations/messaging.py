"""Messages to people (reminders, notices): a pluggable sender per channel, chosen in settings.

JOBBTORG_MESSAGE_SENDERS = {"email": "jobbtorg.integrations.messaging.EmailSender",
                            "sms": "jobbtorg.integrations.messaging.LogSmsSender"}
A municipality plugs in its SMS gateway by naming a class with the same `send(to, subject, body)` method.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

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


def sender_for(channel: str):
    return import_string(settings.JOBBTORG_MESSAGE_SENDERS[channel])()


def send(message: Message) -> None:
    sender_for(message.channel).send(message)
