"""Notices that a message waits in Jobbtorg. They hold no personal data — no name, no identity number, no
text of the message — only that something waits and a link; the message is read after signing in (and the
read is logged). Sent after commit through the pluggable senders (jobbtorg.integrations.messaging).

A person with protected identity gets a notice only through a channel they chose themself
(`NoticePreference`); without a choice nothing goes out to them (their address and number stay out of mail
and SMS gateways)."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import User
from jobbtorg.integrations.messaging import Message as Outgoing
from jobbtorg.integrations.messaging import send

from .constants import NoticeChannel, Side
from .models import Message


def _link(name: str, **kwargs) -> str:
    return settings.JOBBTORG_BASE_URL.rstrip("/") + reverse(name, kwargs=kwargs or None)


def channels_for(participant) -> list[str]:
    """The channels a notice to the person goes through (see the module docstring)."""
    preference = getattr(participant, "notice_preference", None)
    chosen = preference.channel if preference is not None else None
    if chosen == NoticeChannel.NONE:
        return []
    if chosen is None:
        if participant.protected_identity:
            return []
        return [
            c
            for c, to in ((NoticeChannel.EMAIL, participant.email), (NoticeChannel.SMS, participant.phone))
            if to
        ]
    to = participant.email if chosen == NoticeChannel.EMAIL else participant.phone
    return [chosen] if to else []


def message_notice_on_commit(message) -> None:
    message_id = message.pk
    transaction.on_commit(lambda: message_notice_send(message_id))


def message_notice_send(message_id) -> int:
    """Tell the other side of the thread that a message waits. Returns how many notices went out."""
    message = (
        Message.objects.select_related("participant__notice_preference", "referral__coach", "provider")
        .filter(pk=message_id)
        .first()
    )
    if message is None:
        return 0
    subject = _("Jobbtorg: you have a new message")
    sent = 0
    if message.side == Side.JOBBTORG and message.provider_id is None:
        person = message.participant
        with translation.override(person.language):  # the person's own language (Participant.language)
            subject = _("Jobbtorg: you have a new message")
            body = _("You have a new message in Jobbtorg. Sign in to read it:\n%(link)s") % {
                "link": _link("portal:messages")
            }
        for channel in channels_for(person):
            to = person.email if channel == NoticeChannel.EMAIL else person.phone
            send(Outgoing(channel, to, subject if channel == NoticeChannel.EMAIL else "", body))
            sent += 1
        return sent
    if message.side == Side.JOBBTORG:
        recipients = User.objects.filter(provider_id=message.provider_id, is_active=True).exclude(email="")
        link = _link("journal:messages", participant_pk=message.participant_id)
    else:
        coach = message.referral.coach
        recipients = [coach] if coach is not None and coach.is_active and coach.email else []
        link = _link("journal:messages", participant_pk=message.participant_id)
    body = _("A new message about a person you work with is waiting in Jobbtorg.\n%(link)s") % {"link": link}
    for user in recipients:
        send(Outgoing(NoticeChannel.EMAIL, user.email, subject, body))
        sent += 1
    return sent
