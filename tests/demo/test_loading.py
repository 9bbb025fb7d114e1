"""How the generator loads on PostgreSQL: binary COPY where every column has a binary form, and planner
statistics (ANALYZE) of every loaded table at the end (issue 15, "Loading")."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection

from jobbtorg.attendance.models import AttendanceReport
from jobbtorg.demo.dataset.writer import Loader
from jobbtorg.participants.models import Participant
from jobbtorg.plans.models import PlanVersion

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY and ANALYZE: PostgreSQL")


@postgres_only
def test_plain_tables_go_in_binary_copy_and_json_tables_in_text():
    loader = Loader(progress=False)
    fields = {f.attname: f for f in AttendanceReport._meta.concrete_fields}
    names = ["participant_id", "reported_by_id", "date", "status", "hours", "reported_at"]
    assert loader._binary_types([fields[n] for n in names]) == [
        "uuid",
        "int8",
        "date",
        "varchar",
        "numeric",
        "timestamptz",
    ]
    # JSON (and arrays) have no binary entry here: such a table goes in text COPY, as before.
    assert loader._binary_types(PlanVersion._meta.concrete_fields) is None
    assert loader._binary_types(Participant._meta.concrete_fields) is None


@postgres_only
def test_the_loaded_tables_have_planner_statistics():
    call_command(
        "generate_dataset",
        scale="demo",
        seed=5,
        today=datetime.date(2026, 11, 2),
        participants=60,
        no_progress=True,
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relname = ANY(%s)",
            [["attendance_attendancereport", "referrals_referral", "participants_participant"]],
        )
        tuples = dict(cursor.fetchall())
    # Never analysed: -1. After the load's ANALYZE: the rows counted (here exactly, the tables are small).
    assert tuples["participants_participant"] == Participant.objects.count() == 60
    assert tuples["attendance_attendancereport"] == AttendanceReport.objects.count() > 0
