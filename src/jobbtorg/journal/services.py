"""Writes to the case journal and the messages on a case. Each checks its rule in perms.py (PermissionDenied)
and validates (ValidationError with field messages); the change log records who did what, never the text."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.audit.services import change_record

from . import perms
from .constants import MAX_BODY, MAX_MESSAGE, EntryKind, NoticeChannel, Side
from .models import JournalEntry, Message, NoticePreference
from .notifications import message_notice_on_commit


def _check_entry(*, kind: str, occurred_on: datetime.date, body: str) -> str:
    errors = {}
    body = (body or "").strip()
    if kind not in EntryKind.values:
        errors["kind"] = _("Choose the type of entry.")
    if not body:
        errors["body"] = _("Write the entry.")
    elif len(body) > MAX_BODY:
        errors["body"] = _("At most %(count)d characters.") % {"count": MAX_BODY}
    if occurred_on is None:
        errors["occurred_on"] = _("Give the date.")
    elif occurred_on > timezone.localdate():
        errors["occurred_on"] = _("The date cannot be in the future.")
    elif occurred_on.year < 1900:
        errors["occurred_on"] = _("Give the date.")
    if errors:
        raise ValidationError(errors)
    return body


@transaction.atomic
def entry_write(
    *, referral, kind: str, occurred_on: datetime.date, body: str, by, sign: bool = False, corrects=None
) -> JournalEntry:
    """A new entry on the case (a draft, or signed at once with `sign`). With `corrects`, the entry is a
    correction of that signed entry and shown with it."""
    if corrects is not None:
        if not perms.can_correct_entry(by, corrects):
            raise PermissionDenied(_("You cannot correct this entry."))
        referral = corrects.referral
    elif not perms.can_write_entry(by, referral):
        raise PermissionDenied(_("You cannot write in this person's journal."))
    body = _check_entry(kind=kind, occurred_on=occurred_on, body=body)
    entry = JournalEntry.objects.create(
        participant_id=referral.participant_id,
        referral=referral,
        kind=kind,
        occurred_on=occurred_on,
        body=body,
        author=by,
        author_provider_id=by.provider_id if by.is_provider_staff else None,
        corrects=corrects,
        signed_at=timezone.now() if sign else None,
    )
    change_record(
        action="journal_entry_corrected" if corrects is not None else "journal_entry_written",
        obj=entry,
        by=by,
        participant=referral.participant,
        changes={"kind": kind, "signed": sign, **({"corrects": str(corrects.pk)} if corrects else {})},
    )
    return entry


@transaction.atomic
def entry_sign(*, entry: JournalEntry, by) -> JournalEntry:
    """The author signs their entry; from now on it is never changed."""
    entry = JournalEntry.objects.select_for_update().get(pk=entry.pk)
    if not perms.can_sign_entry(by, entry):
        raise PermissionDenied(_("Only the author signs an unsigned entry."))
    entry.signed_at = timezone.now()
    entry.save(update_fields=["signed_at"])
    change_record(action="journal_entry_signed", obj=entry, by=by, participant=entry.participant)
    return entry


@transaction.atomic
def message_send(*, referral, body: str, by, provider=None) -> Message:
    """A message in a thread on the case (see `perms.can_send_message`); the other side gets a notice without
    personal data after commit."""
    if not perms.can_send_message(by, referral, provider):
        raise PermissionDenied(_("You cannot write in this conversation."))
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Write a message.")})
    if len(body) > MAX_MESSAGE:
        raise ValidationError({"body": _("At most %(count)d characters.") % {"count": MAX_MESSAGE}})
    if by.is_participant:
        side = Side.PARTICIPANT
    elif by.is_provider_staff:
        side = Side.PROVIDER
    else:
        side = Side.JOBBTORG
    message = Message.objects.create(
        participant_id=referral.participant_id,
        referral=referral,
        provider=provider,
        side=side,
        sender=by,
        body=body,
    )
    change_record(
        action="message_sent",
        obj=message,
        by=by,
        participant=referral.participant,
        changes={"side": side, "provider": provider.pk if provider else None},
    )
    message_notice_on_commit(message)
    return message


def notice_preference_set(*, participant, channel: str, by) -> NoticePreference:
    """The person chooses how they are told that a message waits."""
    if not (by.is_participant and by.participant_id == participant.pk):
        raise PermissionDenied
    if channel not in NoticeChannel.values:
        raise ValidationError({"channel": _("Choose how you want to be told.")})
    preference, _created = NoticePreference.objects.update_or_create(
        participant=participant, defaults={"channel": channel}
    )
    return preference
