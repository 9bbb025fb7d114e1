"""The one entry point for audit: `read_record` for reads of a person's record (`log_read`/`log_reads` for
API responses), `change_record` for changes."""

from jobbtorg.utils.sign_in import current_sign_in_id

from .constants import Channel
from .models import ChangeLog, ReadLog


def read_record(*, user, participant, view: str, channel: str = Channel.PAGE) -> ReadLog:
    return ReadLog.objects.create(
        user=user,
        participant_id=participant.pk,
        view=view,
        channel=channel,
        protected_identity=participant.protected_identity,
        sign_in_id=current_sign_in_id(),
    )


def read_records(*, user, participants, view: str, channel: str = Channel.PAGE) -> None:
    """A list that shows several people's details logs one read per person, in one query."""
    sign_in_id = current_sign_in_id()
    ReadLog.objects.bulk_create(
        ReadLog(
            user=user,
            participant_id=p.pk,
            view=view,
            channel=channel,
            protected_identity=p.protected_identity,
            sign_in_id=sign_in_id,
        )
        for p in participants
    )


def log_read(request, participant, view: str) -> None:
    """An API response that shows one person's record (the API views' entry point to read_record)."""
    read_record(user=request.user, participant=participant, view=view, channel=Channel.API)


def log_reads(request, participants, view: str) -> None:
    """An API response that lists several people: one read row per distinct person."""
    unique = list({p.pk: p for p in participants}.values())
    if unique:
        read_records(user=request.user, participants=unique, view=view, channel=Channel.API)


def change_record(*, action: str, obj, by, participant=None, changes=None) -> ChangeLog:
    return ChangeLog.objects.create(
        actor=by,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        participant_id=participant.pk if participant is not None else None,
        changes=changes if changes is not None else {},
    )


def field_changes(before: dict, after: dict) -> dict:
    """{field: {"from": old, "to": new}} for the fields whose value differs (values made JSON-safe)."""

    def safe(value):
        if value is None or isinstance(value, bool | int | float | str | list | dict):
            return value
        return str(value)

    return {
        name: {"from": safe(before.get(name)), "to": safe(after.get(name))}
        for name in after
        if before.get(name) != after.get(name)
    }
