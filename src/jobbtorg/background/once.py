"""Effects that happen once: `once(key)` inside the transaction that makes the effect.

    with transaction.atomic():
        if not once(f"assistance-import:{job_id}"):
            return  # a retry: the effect is already there
        ...write the effect...

The mark and the effect commit together or not at all, so a task that is retried (a lost worker, a broker
redelivery, `autoretry_for`) never pays, imports or sends twice. For an effect outside the database (an
e-mail), the mark is committed first and the message sent after: at most once, never twice."""

from django.db import IntegrityError, transaction

from .models import OnceMark


def once(key: str) -> bool:
    """True the first time `key` is marked (the caller goes on), False when it already was (a retry)."""
    try:
        with transaction.atomic():
            OnceMark.objects.create(key=key)
    except IntegrityError:
        return False
    return True


def already(key: str) -> bool:
    return OnceMark.objects.filter(key=key).exists()
