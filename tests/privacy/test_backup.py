"""Backup and restore round trip: everything (audit logs included) comes back, only into an empty database."""

import gzip
import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection

from jobbtorg.audit.models import ChangeLog, ReadLog
from jobbtorg.audit.services import read_record
from jobbtorg.participants.models import Participant
from jobbtorg.privacy.backup import MUST_BE_EMPTY, _models

from ..factories import ActionPlanFactory


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
    call_command("backup", "--output", str(path), stdout=out)
    assert "Store it encrypted" in out.getvalue()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    with gzip.open(path, "rt") as stream:
        header = json.load(stream)
    assert header["format"] == "jobbtorg-backup" and header["counts"]["participants.participant"] == 1

    # not into a database that has data
    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(path), stdout=StringIO())

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
