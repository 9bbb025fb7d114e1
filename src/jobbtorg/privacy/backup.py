"""Backup and restore of everything in the database (all apps, audit logs included) as gzip-compressed JSON.

Format: {"format": "jobbtorg-backup", "version": 1, "created_at", "migrations": {app: [names]},
"counts": {model: n}, "objects": [Django's serialized objects, primary keys kept]}. It is portable between
SQLite and PostgreSQL. It holds every person's data, protected identities included: the file is written
with mode 0600 and must be stored encrypted (e.g. `manage.py backup --output - | gpg -e -r …`).
Restore goes into an EMPTY database migrated to the same migrations (it refuses otherwise)."""

import datetime
import gzip
import io
import json
import os
from collections.abc import Iterator

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT, VERSION = "jobbtorg-backup", 1
CHUNK = 2000
# Not worth keeping: sessions (everyone logs in again after a restore).
SKIP = frozenset({"sessions.session"})
# A database counts as empty when none of these has a row (migrations only create groups, content types,
# permissions and reference data).
MUST_BE_EMPTY = ("accounts.user", "participants.participant", "referrals.referral", "audit.readlog")


class RestoreError(Exception):
    pass


class ExactEncoder(DjangoJSONEncoder):
    """Like Django's, but times keep their microseconds (Django's JSON fixtures round them to
    milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def _models():
    for model in serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    ):
        if model._meta.proxy or not model._meta.managed or model._meta.label_lower in SKIP:
            continue
        yield model


def _applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def backup_write(stream: io.BufferedIOBase) -> dict[str, int]:
    """Write the backup to a binary stream (gzip JSON); returns the count per model."""
    counts: dict[str, int] = {}
    with gzip.GzipFile(fileobj=stream, mode="wb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        meta = {
            "format": FORMAT,
            "version": VERSION,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
            "migrations": _applied_migrations(),
        }
        out.write(json.dumps(meta)[:-1] + ', "objects": [\n')
        first = True
        for model in _models():
            label = model._meta.label_lower
            counts[label] = 0
            for chunk in _chunks(model):
                for row in serializers.serialize("python", chunk):
                    out.write(
                        ("" if first else ",\n") + json.dumps(row, cls=ExactEncoder, ensure_ascii=False)
                    )
                    first = False
                counts[label] += len(chunk)
        out.write('\n], "counts": ' + json.dumps(counts) + "}\n")
    return counts


def _chunks(model) -> Iterator[list]:
    queryset = model._base_manager.order_by("pk")
    batch = []
    for obj in queryset.iterator(chunk_size=CHUNK):
        batch.append(obj)
        if len(batch) >= CHUNK:
            yield batch
            batch = []
    if batch:
        yield batch


def backup_to_file(path: str) -> dict[str, int]:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as stream:
        return backup_write(stream)


def database_is_empty() -> bool:
    return not any(apps.get_model(label)._base_manager.exists() for label in MUST_BE_EMPTY)


def restore_from_file(path: str) -> dict[str, int]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data = json.load(stream)
    return restore(data)


def restore(data: dict) -> dict[str, int]:
    """Load a backup into an empty database, in one transaction. The rows that migrations created (groups,
    content types, permissions, reference data) are replaced by the backup's, so keys match exactly."""
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise RestoreError("Not a Jobbtorg backup (or a version this code cannot read).")
    if not database_is_empty():
        raise RestoreError("The database is not empty: restore only into a new, migrated database.")
    if data["migrations"] != _applied_migrations():
        missing = sorted(
            f"{app}.{name}"
            for app, names in data["migrations"].items()
            for name in set(names) - set(_applied_migrations().get(app, []))
        )
        raise RestoreError(
            "The database's migrations differ from the backup's; migrate to the same code first. "
            f"Missing here: {', '.join(missing[:10]) or 'none (the database is newer)'}"
        )
    models = list(_models())
    counts: dict[str, int] = {}
    with transaction.atomic():
        tables = [model._meta.db_table for model in models]
        with connection.cursor() as cursor:
            for sql in connection.ops.sql_flush(
                no_style(), tables, reset_sequences=False, allow_cascade=True
            ):
                cursor.execute(sql)
        with connection.constraint_checks_disabled():
            for obj in serializers.deserialize("python", data["objects"]):
                obj.save()  # raw save: no signals' side effects, append-only models accept it
                label = obj.object._meta.label_lower
                counts[label] = counts.get(label, 0) + 1
        connection.check_constraints()
        sequence_sql = connection.ops.sequence_reset_sql(no_style(), models)
        if sequence_sql:
            with connection.cursor() as cursor:
                for sql in sequence_sql:
                    cursor.execute(sql)
    return counts
