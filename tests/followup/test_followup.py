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
    assert {
        "evidence",
        "work_hours_per_week",
        "employment_form",
        "work_start_date",
        "municipal_labour_market_job",
    } <= set(err.value.message_dict)
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
        municipal_labour_market_job=False,
        exit_date=dt.date.today(),
    )
    accepted_referral.refresh_from_db()
    assert accepted_referral.status == "closed" and accepted_referral.close_reason == "work"
    assert exit.recorded_by == coach and Exit.objects.count() == 1


def test_studies_need_evidence_and_whether_they_are_eligible_for_student_finance(accepted_referral, coach):
    with pytest.raises(ValidationError) as err:
        exit_record(referral=accepted_referral, by=coach, reason="studies")
    assert {"evidence", "studies_eligible_for_student_finance"} <= set(err.value.message_dict)
    exit_record(
        referral=accepted_referral,
        by=coach,
        reason="studies",
        evidence="Antagningsbesked Komvux",
        studies_with_student_finance=True,
    )
    exit = Exit.objects.get()
    # Received student finance: eligible for it.
    assert exit.studies_with_student_finance and exit.studies_eligible_for_student_finance


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
    with pytest.raises(ValidationError) as err:  # the municipal-job question must be answered too
        exit_add_evidence(
            exit=exit, by=coach, evidence="AG-intyg", work_hours_per_week=30, employment_form="fixed_term"
        )
    assert "municipal_labour_market_job" in err.value.message_dict
    exit_add_evidence(
        exit=exit,
        by=coach,
        evidence="AG-intyg",
        work_hours_per_week=30,
        employment_form="fixed_term",
        municipal_labour_market_job=False,
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


# --- files as Excel in Sweden saves them; bad amounts; concurrent deliveries (issue 14) ---------------------


def test_a_windows_1252_file_with_swedish_amounts_is_read(importer, people):
    a, b, c = people
    content = (
        "Personnummer;Månad;Belopp;Orsakskod\r\n"
        f"{a.personal_number};2025-03;1\u00a0234,50;10\r\n"
        f"{b.personal_number};2025-03;1.234,50 kr;\r\n"
        f"{c.personal_number};2025-03;5 200 SEK;\r\n"
    ).encode("cp1252")
    result = assistance_import(by=importer, content=content, file_name="mars.csv")
    assert result.ok and result.created == 3, result.errors
    amounts = dict(AssistanceMonth.objects.values_list("participant_id", "amount"))
    assert amounts == {a.pk: Decimal("1234.50"), b.pk: Decimal("1234.50"), c.pk: Decimal("5200")}


def test_an_xlsx_file_is_read_directly(importer, people):
    import io

    from openpyxl import Workbook

    a, b, _c = people
    book = Workbook()
    for row in (
        ["personnummer", "manad", "belopp", "orsakskod"],
        [a.personal_number, dt.date(2025, 3, 1), 4100.5, 10],
        [int(b.personal_number), "2025-03", "1 234,50", None],
    ):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    result = assistance_import(by=importer, content=buffer.getvalue(), file_name="mars.xlsx")
    assert result.ok and result.created == 2, result.errors
    assert AssistanceMonth.objects.get(participant=a).amount == Decimal("4100.50")
    assert AssistanceMonth.objects.get(participant=a).reason_code == "10"
    assert AssistanceMonth.objects.get(participant=b).amount == Decimal("1234.50")


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity", "-Infinity", "1e400"])
def test_non_numbers_as_amounts_are_a_line_error_not_a_crash(importer, people, amount):
    result = assistance_import(by=importer, content=csv_for([(people[0].personal_number, amount, "")]))
    assert not result.ok and [line for line, _m in result.errors] == [2]
    assert not AssistanceMonth.objects.exists()


@pytest.mark.parametrize("amount", ["NaN", "sNaN", "Infinity"])
def test_non_numbers_in_json_are_a_line_error_too(importer, people, amount):
    content = json.dumps(
        {"month": "2025-03", "rows": [{"personal_number": people[0].personal_number, "amount": amount}]}
    )
    result = assistance_import(by=importer, content=content.encode())
    assert not result.ok and result.errors[0][0] == 1
    nan_number = b'{"month": "2025-03", "rows": [{"personal_number": "%s", "amount": NaN}]}' % (
        people[0].personal_number.encode()
    )
    assert not assistance_import(by=importer, content=nan_number).ok


@pytest.mark.django_db(transaction=True)
def test_concurrent_deliveries_of_the_same_month_wait_for_each_other(importer, people):
    """Three deliveries of the same month at the same moment: before, two of them hit the "one current row"
    constraint (a 500 through the API); now they run one after the other and agree."""
    import threading

    from django.db import connection

    content = csv_for([(p.personal_number, "1000", "") for p in people])
    barrier = threading.Barrier(3)
    results, failures = [], []

    def deliver():
        try:
            barrier.wait(timeout=10)
            results.append(assistance_import(by=importer, content=content))
        except Exception as exc:  # noqa: BLE001 — any failure is what the test is about
            failures.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert all(r.ok for r in results) and len(results) == 3
    assert sorted(r.created for r in results) == [0, 0, 3]
    assert sorted(r.unchanged for r in results) == [0, 3, 3]
    assert AssistanceMonth.objects.filter(is_current=True).count() == 3
