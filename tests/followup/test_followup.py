import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jobbtorg.followup.assistance_import import assistance_import
from jobbtorg.followup.models import AssistanceImport, AssistanceMonth, Exit
from jobbtorg.followup.services import exit_add_evidence, exit_record
from jobbtorg.referrals.services import referral_close
from tests.factories import ParticipantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_work_exit_needs_evidence_and_details(accepted_referral, coach):
    with pytest.raises(ValidationError) as err:
        exit_record(referral=accepted_referral, by=coach, reason="work")
    assert {"evidence", "work_hours_per_week", "employment_form", "work_start_date"} <= set(
        err.value.message_dict
    )
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "accepted" and not Exit.objects.exists()


def test_exit_closes_referral_in_same_transaction(accepted_referral, coach):
    exit = exit_record(
        referral=accepted_referral,
        by=coach,
        reason="work",
        evidence="Anställningsavtal 2025-03",
        work_hours_per_week=40,
        employment_form="permanent",
        work_start_date=dt.date(2025, 3, 1),
        exit_date=dt.date.today(),
    )
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed" and accepted_referral.close_reason == "work"
    assert exit.recorded_by == coach and Exit.objects.count() == 1


def test_studies_need_evidence(accepted_referral, coach):
    with pytest.raises(ValidationError):
        exit_record(referral=accepted_referral, by=coach, reason="studies")
    exit_record(
        referral=accepted_referral,
        by=coach,
        reason="studies",
        evidence="Antagningsbesked Komvux",
        studies_with_student_finance=True,
    )
    assert Exit.objects.get().studies_with_student_finance


def test_moved_needs_no_evidence(accepted_referral, coach):
    exit = exit_record(referral=accepted_referral, by=coach, reason="moved")
    assert exit.reason == "moved" and exit.evidence == ""


def test_only_staff_of_the_unit_may_record(accepted_referral, other_unit_coach, caseworker, analyst):
    for user in (other_unit_coach, caseworker, analyst):
        with pytest.raises(PermissionDenied):
            exit_record(referral=accepted_referral, by=user, reason="moved")


def test_closing_the_referral_directly_creates_an_exit_without_evidence(accepted_referral, coach):
    referral_close(
        referral=accepted_referral, by=coach, reason="work", version=accepted_referral.lock_version
    )
    exit = Exit.objects.get()
    assert exit.reason == "work" and exit.evidence == ""
    exit_add_evidence(
        exit=exit, by=coach, evidence="AG-intyg", work_hours_per_week=30, employment_form="fixed_term"
    )
    exit.refresh_from_db()
    assert exit.evidence == "AG-intyg" and exit.work_hours_per_week == 30


# --- assistance import -----------------------------------------------------------------------------------


@pytest.fixture
def importer(db):
    user = UserFactory(administrator=True)
    from tests.factories import MunicipalityFactory

    user.municipality = MunicipalityFactory()
    user.save()
    return user


@pytest.fixture
def people(importer):
    return [ParticipantFactory() for _ in range(3)]


def csv_for(rows, month="2025-03"):
    lines = ["personnummer;manad;belopp;orsakskod"]
    lines += [f"{p};{month};{amount};{code}" for p, amount, code in rows]
    return "\n".join(lines).encode()


def test_import_is_idempotent_and_correction_keeps_history(importer, people):
    a, b, c = people
    content = csv_for(
        [(a.personal_number, "5200", "10"), (b.personal_number, "", ""), (c.personal_number, "0", "")]
    )
    first = assistance_import(by=importer, content=content, file_name="mars.csv")
    assert first.ok and first.created == 3
    again = assistance_import(by=importer, content=content, file_name="mars.csv")
    assert again.ok and again.created == 0 and again.unchanged == 3
    assert AssistanceMonth.objects.count() == 3
    assert AssistanceMonth.objects.filter(paid=True).count() == 1

    corrected = csv_for([(b.personal_number, "3100.50", "20")])
    result = assistance_import(by=importer, content=corrected, file_name="mars-rättad.csv")
    assert result.ok and result.replaced == 1
    rows = AssistanceMonth.objects.filter(participant=b).order_by("id")
    assert [(r.is_current, r.amount, r.paid) for r in rows] == [
        (False, None, False),
        (True, Decimal("3100.50"), True),
    ]
    assert rows[0].superseded_at is not None
    assert AssistanceMonth.objects.get(participant=a, is_current=True).amount == Decimal("5200")  # untouched


def test_bad_file_is_rejected_whole_with_a_report_per_line(importer, people, caplog):
    a, b, _c = people
    content = csv_for(
        [
            (a.personal_number, "100", ""),
            ("19850101-1234", "100", ""),
            (b.personal_number, "abc", ""),
            (a.personal_number, "1", ""),
        ]
    )
    result = assistance_import(by=importer, content=content)
    assert not result.ok
    assert [line for line, _msg in result.errors] == [3, 4, 5]
    assert not AssistanceMonth.objects.exists() and not AssistanceImport.objects.exists()
    text = " ".join(m for _l, m in result.errors) + caplog.text
    assert a.personal_number not in text and "19850101" not in text


def test_json_import_and_unknown_people_are_skipped(importer, people):
    from jobbtorg.utils import personal_numbers

    stranger = personal_numbers.make(dt.date(1970, 5, 5), 123)
    payload = {
        "month": "2025-04",
        "rows": [
            {"personal_number": people[0].personal_number, "amount": "900"},
            {"personal_number": stranger, "amount": "1"},
        ],
    }
    result = assistance_import(by=importer, content=json.dumps(payload).encode(), source="api")
    assert result.ok and result.created == 1 and result.skipped == 1
    assert AssistanceMonth.objects.get().month == dt.date(2025, 4, 1)


def test_mixed_months_rejected(importer, people):
    content = (
        b"personnummer;manad;belopp\n"
        + f"{people[0].personal_number};2025-03;1\n{people[1].personal_number};2025-04;1".encode()
    )
    assert not assistance_import(by=importer, content=content).ok


def test_who_may_import(people, coach, analyst):
    for user in (coach, analyst):
        with pytest.raises(PermissionDenied):
            assistance_import(by=user, content=csv_for([]))
