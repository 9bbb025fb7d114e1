"""Backup and restore: everything (audit logs included) comes back, only into an empty database; backups are
encrypted unless asked not to be, read one snapshot, and a killed backup leaves the previous file intact."""

import gzip
import json
import os
import signal
import subprocess
import sys
import threading
import time
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.audit.services import read_record
from jobbtorg.participants.models import Participant
from jobbtorg.privacy import backup
from jobbtorg.privacy.backup import MUST_BE_EMPTY, _models, verify_backup

from ..factories import ActionPlanFactory, ParticipantFactory


def _snapshot() -> dict:
    data = {}
    for model in _models():
        rows = list(model._base_manager.order_by("pk").values())
        data[model._meta.label_lower] = json.loads(json.dumps(rows, default=str))
    return data


@pytest.mark.django_db(transaction=True)
def test_backup_flush_restore_gives_back_the_same_data(tmp_path, caseworker, coach):
    plan = ActionPlanFactory(
        referral__district=caseworker.district,
        referral__participant__district=caseworker.district,
        referral__participant__protected_identity=True,
    )
    read_record(user=coach, participant=plan.participant, view="test")
    before = _snapshot()
    assert before["audit.readlog"] and before["audit.changelog"] is not None and before["plans.actionplan"]
    path = tmp_path / "jobbtorg.json.gz"
    out = StringIO()
    call_command("backup", "--output", str(path), "--unencrypted", stdout=out)
    assert "NOT encrypted" in out.getvalue()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with gzip.open(path, "rt") as stream:
        header = json.load(stream)
    assert header["format"] == "jobbtorg-backup" and header["counts"]["participants.participant"] == 1

    # not into a database that has data
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), stdout=StringIO())
    assert not list(tmp_path.glob("*.partial"))

    call_command("flush", "--noinput", stdout=StringIO())  # leaves groups etc. as after migrate
    assert not any(apps.get_model(label)._base_manager.exists() for label in MUST_BE_EMPTY)
    call_command("restore", str(path), stdout=StringIO())
    after = _snapshot()
    assert after == before
    assert Participant.objects.get().protected_identity
    assert ReadLog.objects.count() == len(before["audit.readlog"])
    assert ChangeLog.objects.count() == len(before["audit.changelog"])
    # sequences continue after the restored keys (PostgreSQL)
    ReadLog.objects.create(user=coach, participant_id=plan.participant.pk, view="after", channel="page")
    assert connection.vendor in ("postgresql", "sqlite")


def test_restore_refuses_another_format(tmp_path):
    path = tmp_path / "other.json.gz"
    with gzip.open(path, "wt") as stream:
        json.dump([{"model": "x", "fields": {}}], stream)
    with pytest.raises(CommandError):
        call_command("restore", str(path), stdout=StringIO())


# --- encryption ---------------------------------------------------------------------------------------------


@pytest.fixture
def age_keys(tmp_path, settings):
    from pyrage import x25519

    identity = x25519.Identity.generate()
    key_file = tmp_path / "backup-key.txt"
    key_file.write_text(f"# created for a test\n{identity}\n")
    settings.JOBBTORG_BACKUP_RECIPIENTS = [str(identity.to_public())]
    settings.JOBBTORG_BACKUP_IDENTITY_FILE = str(key_file)
    return key_file


def test_without_a_key_no_plain_backup_is_written(tmp_path, settings, coach):
    settings.JOBBTORG_BACKUP_RECIPIENTS = []
    path = tmp_path / "b.age"
    with pytest.raises(CommandError, match="JOBBTORG_BACKUP_RECIPIENTS"):
        call_command("backup", "--output", str(path), stdout=StringIO())
    assert not path.exists() and not list(tmp_path.iterdir())


@pytest.mark.django_db(transaction=True)
def test_encrypted_backup_restores_with_the_private_key_only(tmp_path, age_keys, settings, coach):
    person = ActionPlanFactory().participant
    path = tmp_path / "jobbtorg.age"
    call_command("backup", "--output", str(path), stdout=StringIO())
    raw = path.read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and person.last_name.encode() not in raw
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert verify_backup(path)["participants.participant"] == 1

    call_command("flush", "--noinput", stdout=StringIO())
    # no key, a wrong key, a damaged file: refused, nothing restored
    settings.JOBBTORG_BACKUP_IDENTITY_FILE = ""
    with pytest.raises(CommandError, match="encrypted"):
        call_command("restore", str(path), stdout=StringIO())
    from pyrage import x25519

    wrong = tmp_path / "wrong.txt"
    wrong.write_text(str(x25519.Identity.generate()))
    with pytest.raises(CommandError, match="decrypted"):
        call_command("restore", str(path), "--identity", str(wrong), stdout=StringIO())
    damaged = tmp_path / "damaged.age"
    damaged.write_bytes(raw[: len(raw) // 2])
    with pytest.raises(CommandError):
        call_command("restore", str(damaged), "--identity", str(age_keys), stdout=StringIO())
    assert not Participant.objects.exists()

    out = StringIO()
    call_command("restore", str(path), "--identity", str(age_keys), stdout=out)
    assert "Restored" in out.getvalue()
    assert Participant.objects.get().last_name == person.last_name


def test_a_truncated_plain_backup_is_refused(tmp_path, coach):
    path = tmp_path / "b.json.gz"
    call_command("backup", "--output", str(path), "--unencrypted", stdout=StringIO())
    cut = tmp_path / "cut.json.gz"
    cut.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(CommandError, match="damaged or incomplete"):
        call_command("restore", str(cut), "--verify-only", stdout=StringIO())


def test_restore_refuses_a_backup_whose_rows_do_not_match_its_counts(tmp_path):
    data = {"format": "jobbtorg-backup", "version": 1, "migrations": {}, "objects": [], "counts": {"x.y": 2}}
    path = tmp_path / "b.json.gz"
    path.write_bytes(gzip.compress(json.dumps(data).encode()))
    with pytest.raises(CommandError, match="incomplete"):
        call_command("restore", str(path), "--verify-only", stdout=StringIO())


# --- one snapshot -------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_backup_reads_one_snapshot(tmp_path, monkeypatch, coach):
    """A row committed by someone else while the backup runs is not half in it: the backup's counts are those
    of the moment it started (PostgreSQL: REPEATABLE READ; SQLite: the writer waits)."""
    participant, other = ParticipantFactory(), ParticipantFactory()
    read_record(user=coach, participant=participant, view="before")
    before = ReadLog.objects.count()
    original, started = backup._chunks, []

    def write_meanwhile():
        try:
            read_record(user=coach, participant=other, view="during the backup")
        finally:
            connection.close()

    def chunks(model):
        if not started:
            started.append(threading.Thread(target=write_meanwhile))
            started[0].start()
            started[0].join(timeout=2)  # PostgreSQL: committed by now; SQLite: waiting for the backup
        return original(model)

    monkeypatch.setattr(backup, "_chunks", chunks)
    path = tmp_path / "b.json.gz"
    counts = backup.backup_to_file(path, unencrypted=True)
    started[0].join(timeout=30)
    assert ReadLog.objects.count() == before + 1  # the write happened
    assert counts["audit.readlog"] == before  # but not in this backup
    assert verify_backup(path)["audit.readlog"] == before


# --- a killed backup ----------------------------------------------------------------------------------------

KILLED_BACKUP = """
import os, sys, time
import django
django.setup()
from jobbtorg.privacy import backup

original = backup._chunks

def slow(model):
    for chunk in original(model):
        yield chunk
        open(sys.argv[2], "w").close()  # tell the test we are mid-write
        time.sleep(0.5)

backup._chunks = slow
backup.backup_to_file(sys.argv[1], unencrypted=True)
"""


def _database_url() -> str:
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    return f"postgres://{s['USER']}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_a_killed_backup_leaves_the_previous_file_restorable(tmp_path, coach):
    ActionPlanFactory()
    path = tmp_path / "jobbtorg.json.gz"
    call_command("backup", "--output", str(path), "--unencrypted", stdout=StringIO())
    previous = path.read_bytes()
    ParticipantFactory()  # the next backup would differ

    marker = tmp_path / "mid-write"
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "jobbtorg.settings.test",
        "DATABASE_URL": _database_url(),
        "PYTHONPATH": str(root / "src"),
    }
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_BACKUP, str(path), str(marker)], env=env, cwd=root
    )
    deadline = time.monotonic() + 60
    while not marker.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marker.exists(), "the backup never started writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL

    assert path.read_bytes() == previous  # untouched
    leftovers = list(tmp_path.glob(".jobbtorg.json.gz.*.partial"))
    assert len(leftovers) == 1  # killed mid-write (the marker): its temporary file is left to delete
    assert verify_backup(path)["participants.participant"] == 1
    call_command("flush", "--noinput", stdout=StringIO())
    call_command("restore", str(path), stdout=StringIO())
    assert Participant.objects.count() == 1
