import datetime as dt

import pytest
from django.utils import timezone

from jobbtorg.attendance.csv_import import attendance_csv_import
from jobbtorg.attendance.models import AttendanceReport, Notice
from jobbtorg.interventions import services as booking_services
from jobbtorg.participants.constants import ConsentScope
from jobbtorg.participants.services import consent_record
from jobbtorg.utils import personal_numbers

from ..factories import OfferingFactory, ReferralFactory, provider_user
from .test_feedback import working_days_back


@pytest.fixture
def group(caseworker, coach, unit):
    offering = OfferingFactory(
        municipality=unit.municipality, start_date=timezone.localdate() - dt.timedelta(days=90)
    )
    people = []
    for _ in range(3):
        referral = ReferralFactory(
            accepted=True,
            district=caseworker.district,
            participant__district=caseworker.district,
            caseworker=caseworker,
            coach=coach,
        )
        consent_record(
            participant=referral.participant,
            status="given",
            scope=ConsentScope.JOBBTORG_PROVIDER,
            by=caseworker,
        )
        booking_services.booking_create(
            offering=offering,
            referral=referral,
            by=coach,
            start_date=timezone.localdate() - dt.timedelta(days=30),
        )
        people.append(referral.participant)
    return offering, people, provider_user(offering.provider)


def _csv(lines):
    return ("personnummer;datum;status;orsak\n" + "\n".join(lines) + "\n").encode()


def test_a_good_file_is_written_whole(group):
    offering, people, reporter = group
    day = working_days_back(1)[0]
    lines = [f"{personal_numbers.formatted(p.personal_number)};{day};närvarande;" for p in people[:2]]
    lines.append(f"{people[2].personal_number};{day};ogiltig_frånvaro;")
    result = attendance_csv_import(by=reporter, content=_csv(lines))
    assert result.ok and result.rows == 3
    assert AttendanceReport.objects.count() == 3 and Notice.objects.count() == 1


def test_one_bad_row_rejects_the_whole_file_with_a_report_per_line(group, caseworker):
    offering, people, reporter = group
    day = working_days_back(1)[0]
    stranger = ReferralFactory(
        accepted=True, district=caseworker.district, participant__district=caseworker.district
    ).participant
    lines = [
        f"{people[0].personal_number};{day};present;",  # line 2: fine
        f"{people[1].personal_number};{day};absent_unexcused;",  # line 3: fine
        f"{stranger.personal_number};{day};present;",  # line 4: not assigned to this provider
        f"19850709-9806;{day};present;",  # line 5: bad number
        f"{people[2].personal_number};{day + dt.timedelta(days=400)};present;",  # line 6: outside the booking
        f"{people[2].personal_number};2026-13-01;present;",  # line 7: bad date
        f"{people[2].personal_number};{day};sjuk;",  # line 8: bad status code
        f"{people[2].personal_number};{day};absent_valid;semester",  # line 9: bad reason code
    ]
    result = attendance_csv_import(by=reporter, content=_csv(lines))
    assert not result.ok
    assert [line for line, _ in result.errors] == [4, 5, 6, 7, 8, 9]
    assert not AttendanceReport.objects.exists() and not Notice.objects.exists()


def test_unknown_person_and_missing_header(group):
    _offering, _people, reporter = group
    unknown = personal_numbers.make(dt.date(1970, 1, 1), 1)
    result = attendance_csv_import(by=reporter, content=_csv([f"{unknown};2026-11-02;present;"]))
    assert not result.ok and "Unknown person" in result.errors[0][1]
    result = attendance_csv_import(by=reporter, content=b"a;b\n1;2\n")
    assert not result.ok and result.errors[0][0] == 1
    assert not attendance_csv_import(by=reporter, content=b"\xff\xfe").ok


# --- files as Excel in Sweden saves them (issue 14) ---------------------------------------------------------


def test_a_windows_1252_file_from_excel_is_read(group):
    _offering, people, reporter = group
    day = working_days_back(1)[0]
    lines = [f"{p.personal_number};{day};närvarande;" for p in people[:2]]
    lines.append(f"{people[2].personal_number};{day};giltig_frånvaro;sick")
    content = ("personnummer;datum;status;orsak\r\n" + "\r\n".join(lines) + "\r\n").encode("cp1252")
    result = attendance_csv_import(by=reporter, content=content)
    assert result.ok and result.rows == 3, result.errors
    assert AttendanceReport.objects.filter(status="absent_valid").count() == 1


def _workbook(rows) -> bytes:
    import io

    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_an_xlsx_file_is_read_directly(group):
    _offering, people, reporter = group
    day = working_days_back(1)[0]
    content = _workbook(
        [
            ["Personnummer", "Datum", "Status", "Orsak"],
            [int(people[0].personal_number), dt.datetime.combine(day, dt.time()), "närvarande", None],
            [personal_numbers.formatted(people[1].personal_number), day.isoformat(), "present", None],
        ]
    )
    result = attendance_csv_import(by=reporter, content=content, file_name="närvaro.xlsx")
    assert result.ok and result.rows == 2, result.errors
    assert AttendanceReport.objects.count() == 2


def test_an_xlsx_file_with_a_bad_line_writes_nothing(group):
    _offering, people, reporter = group
    day = working_days_back(1)[0]
    content = _workbook(
        [
            ["personnummer", "datum", "status"],
            [people[0].personal_number, day, "present"],
            [people[1].personal_number, day, '=HYPERLINK("http://x")'],
        ]
    )
    result = attendance_csv_import(by=reporter, content=content)
    assert not result.ok and [line for line, _m in result.errors] == [3]
    assert not AttendanceReport.objects.exists()
