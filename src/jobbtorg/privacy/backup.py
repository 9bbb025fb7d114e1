"""Backup and restore of everything in the database (all apps, audit logs included) as gzip-compressed JSON,
encrypted with age (docs/operations.md).

Format: {"format": "jobbtorg-backup", "version": 1, "created_at", "migrations": {app: [names]},
"objects": [Django's serialized objects, primary keys kept], "counts": {model: n}}, gzip-compressed, then
encrypted to the age public keys in `JOBBTORG_BACKUP_RECIPIENTS` (x25519, `age1…`). It is portable between
SQLite and PostgreSQL. It holds every person's data, protected identities included, so a plain file is only
written when asked for (`--unencrypted`), and always with mode 0600.

A backup cannot destroy the previous one: it is written to a temporary file beside the target and renamed
into place only when complete and flushed to disk (a killed backup leaves the previous file as it was, and
a `.partial` file to delete). It reads one consistent snapshot: one REPEATABLE READ, READ ONLY transaction
on PostgreSQL (writers are not blocked), one transaction on SQLite.

Restore decrypts with the private key (`JOBBTORG_BACKUP_IDENTITY_FILE` or `--identity`; age authenticates
the whole file, gzip checks its CRC), goes into an EMPTY database migrated to the same migrations (it refuses
otherwise), in one transaction, and verifies that every table holds exactly the rows the backup counted
before it commits. For a large PostgreSQL database, `pg_dump -Fc`/`pg_restore` is the faster route
(docs/operations.md has both measured)."""

import contextlib
import datetime
import gzip
import io
import json
import os
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder

FORMAT, VERSION = "jobbtorg-backup", 1
AGE_MAGIC = b"age-encryption.org/v1"
GZIP_MAGIC = b"\x1f\x8b"
CHUNK = 2000
# Not worth keeping: sessions (everyone logs in again after a restore).
SKIP = frozenset({"sessions.session"})
# A database counts as empty when none of these has a row (migrations only create groups, content types,
# permissions and reference data).
MUST_BE_EMPTY = ("accounts.user", "participants.participant", "referrals.referral", "audit.readlog")


class RestoreError(Exception):
    pass


class BackupError(Exception):
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


@contextlib.contextmanager
def _snapshot():
    """One consistent view of the whole database for the duration of the backup, without blocking writers:
    PostgreSQL: a REPEATABLE READ, READ ONLY transaction; SQLite (WAL): a deferred read transaction (the
    connection's own transactions are IMMEDIATE, which would lock writers out). Inside a transaction that is
    already open, e.g. a test's, that one applies."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield
            finally:
                cursor.execute("COMMIT")
    else:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def backup_write(stream: io.BufferedIOBase) -> dict[str, int]:
    """Write the backup, unencrypted, to a binary stream (gzip JSON) from one snapshot; returns the count per
    model."""
    with _snapshot():
        return _write(stream)


def _write(stream) -> dict[str, int]:
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


def recipients_from_settings() -> list[str]:
    return [r.strip() for r in getattr(settings, "JOBBTORG_BACKUP_RECIPIENTS", []) if r.strip()]


def _age_recipients(recipients: list[str]):
    from pyrage import x25519  # loaded by the backup only

    try:
        return [x25519.Recipient.from_str(r) for r in recipients]
    except Exception as exc:  # noqa: BLE001 — pyrage's own error types
        raise BackupError(f"Not an age public key (age1…): {exc}") from exc


def backup_write_encrypted(stream, recipients: list[str]) -> dict[str, int]:
    """Write the backup encrypted to `recipients` (age x25519 public keys). The plain data never touches the
    disk: the gzip JSON goes through a pipe into age's encryption, which writes `stream`."""
    import pyrage

    keys = _age_recipients(recipients)
    read_fd, write_fd = os.pipe()
    failure: list[BaseException] = []

    def encrypt():
        try:
            with os.fdopen(read_fd, "rb") as plain:
                pyrage.encrypt_io(plain, stream, keys)
        except BaseException as exc:  # noqa: BLE001 — reported by the caller
            failure.append(exc)

    worker = threading.Thread(target=encrypt, name="backup-encrypt")
    worker.start()
    try:
        with os.fdopen(write_fd, "wb") as plain:
            counts = backup_write(plain)
    finally:
        worker.join()
    if failure:
        raise BackupError(f"Encryption failed: {failure[0]}") from failure[0]
    return counts


def backup_to_file(
    path: str | Path, *, recipients: list[str] | None = None, unencrypted: bool = False
) -> dict:
    """Write the backup to `path` atomically: a temporary file in the same directory (mode 0600), flushed to
    disk, then renamed over `path`. Encrypted to `recipients` (default: the settings') unless `unencrypted`;
    with neither, nothing is written (BackupError)."""
    path = Path(path)
    recipients = recipients_from_settings() if recipients is None else recipients
    if not unencrypted and not recipients:
        raise BackupError(
            "No age public key to encrypt to: set JOBBTORG_BACKUP_RECIPIENTS (age1…), or pass --unencrypted "
            "to write personal data in plain text."
        )
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".partial")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as stream:
            counts = backup_write(stream) if unencrypted else backup_write_encrypted(stream, recipients)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
        raise
    directory = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)
    return counts


def database_is_empty() -> bool:
    return not any(apps.get_model(label)._base_manager.exists() for label in MUST_BE_EMPTY)


def read_backup(path: str | Path, *, identity_file: str | Path | None = None) -> dict:
    """The backup's content: decrypted (age, with the private key in `identity_file` or the settings') and
    decompressed. Raises RestoreError for a wrong key, a damaged or truncated file, or another format."""
    raw = Path(path).read_bytes()
    if raw.startswith(AGE_MAGIC):
        raw = _decrypt(raw, identity_file)
    elif not raw.startswith(GZIP_MAGIC):
        raise RestoreError("Not a Jobbtorg backup (neither age-encrypted nor gzip).")
    try:
        data = json.loads(gzip.decompress(raw).decode("utf-8"))
    except (OSError, EOFError, ValueError) as exc:
        raise RestoreError(f"The backup is damaged or incomplete: {exc}") from exc
    _check_format(data)
    return data


def _decrypt(raw: bytes, identity_file) -> bytes:
    import pyrage
    from pyrage import x25519

    identity_file = identity_file or getattr(settings, "JOBBTORG_BACKUP_IDENTITY_FILE", "")
    if not identity_file:
        raise RestoreError(
            "The backup is encrypted: give the private key file "
            "(--identity, or JOBBTORG_BACKUP_IDENTITY_FILE)."
        )
    lines = [
        line.strip()
        for line in Path(identity_file).read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    try:
        identities = [x25519.Identity.from_str(line) for line in lines]
        return pyrage.decrypt(raw, identities)
    except Exception as exc:  # noqa: BLE001 — pyrage's own error types: wrong key, damaged, truncated
        raise RestoreError(
            f"The backup could not be decrypted (wrong key, or a damaged file): {exc}"
        ) from exc


def _check_format(data) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != VERSION:
        raise RestoreError("Not a Jobbtorg backup (or a version this code cannot read).")
    counted: dict[str, int] = {}
    for row in data.get("objects", []):
        counted[row["model"]] = counted.get(row["model"], 0) + 1
    if {k: v for k, v in data.get("counts", {}).items() if v} != counted:
        raise RestoreError("The backup's rows do not match its own counts: it is incomplete.")


def verify_backup(path: str | Path, *, identity_file=None) -> dict[str, int]:
    """Read a backup as a restore would (decrypt, decompress, count) without touching the database."""
    return read_backup(path, identity_file=identity_file)["counts"]


def restore_from_file(path: str | Path, *, identity_file=None) -> dict[str, int]:
    return restore(read_backup(path, identity_file=identity_file))


@contextlib.contextmanager
def _stored_timestamps_kept(models):
    """bulk_create would stamp `auto_now`/`auto_now_add` fields with the time of the restore; the backup's
    own times must stay. The flags are switched off for the restore (a management command, one thread)."""
    fields = [
        f
        for m in models
        for f in m._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def _load(deserialized, counts: dict[str, int]) -> None:
    """Insert the deserialized objects in batches per model (bulk_create: no signals, no per-row UPDATE
    attempt), with their many-to-many rows (user groups and permissions) after each batch."""
    batch: list = []

    def flush():
        if not batch:
            return
        model = type(batch[0].object)
        model._base_manager.bulk_create([d.object for d in batch], batch_size=CHUNK)
        for field in model._meta.many_to_many:
            through = field.remote_field.through
            if not through._meta.auto_created:
                continue  # a through model of its own is in the backup as a model
            source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
            rows = [
                through(**{f"{source}_id": d.object.pk, f"{target}_id": value})
                for d in batch
                for value in (d.m2m_data or {}).get(field.name, [])
            ]
            through._base_manager.bulk_create(rows, batch_size=CHUNK)
        counts[model._meta.label_lower] = counts.get(model._meta.label_lower, 0) + len(batch)
        batch.clear()

    for obj in deserialized:
        if batch and (type(obj.object) is not type(batch[0].object) or len(batch) >= CHUNK):
            flush()
        batch.append(obj)
    flush()


def restore(data: dict) -> dict[str, int]:
    """Load a backup into an empty database, in one transaction. The rows that migrations created (groups,
    content types, permissions, reference data) are replaced by the backup's, so keys match exactly. Before
    it commits, every table must hold exactly the rows the backup counted (else nothing is restored)."""
    _check_format(data)
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
        with connection.constraint_checks_disabled(), _stored_timestamps_kept(models):
            _load(serializers.deserialize("python", data["objects"]), counts)
        connection.check_constraints()
        expected = {label: n for label, n in data["counts"].items() if n}
        found = {m._meta.label_lower: m._base_manager.count() for m in models}
        wrong = {label: (n, found.get(label, 0)) for label, n in expected.items() if found.get(label) != n}
        wrong.update({label: (0, n) for label, n in found.items() if n and label not in expected})
        if wrong:
            raise RestoreError(f"Restored rows differ from the backup's counts (expected, found): {wrong}")
        sequence_sql = connection.ops.sequence_reset_sql(no_style(), models)
        if sequence_sql:
            with connection.cursor() as cursor:
                for sql in sequence_sql:
                    cursor.execute(sql)
    return counts
