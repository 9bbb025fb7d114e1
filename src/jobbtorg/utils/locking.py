"""Optimistic locking: a record carries `lock_version`; a write names the version it was based on.

`version_claim` bumps the version in one conditional UPDATE, so of two concurrent writers based on the same
version exactly one wins, on SQLite and PostgreSQL alike; the other gets a ConflictError (HTTP 409 / a
message in the UI) and nothing of theirs is written.
"""

from django.db.models import F
from django.utils.translation import gettext as _

from .errors import ConflictError


def version_claim(instance, expected_version: int | None) -> None:
    """Claim the next version of `instance` (must run inside the writer's transaction)."""
    if expected_version is None:
        expected_version = instance.lock_version
    updated = (
        type(instance)
        ._default_manager.filter(pk=instance.pk, lock_version=expected_version)
        .update(lock_version=F("lock_version") + 1)
    )
    if updated != 1:
        raise ConflictError(
            _(
                "Someone else changed this %(thing)s while you were working on it. "
                "Reload it to see their changes; nothing of yours was saved."
            )
            % {"thing": type(instance)._meta.verbose_name}
        )
    instance.lock_version = expected_version + 1
