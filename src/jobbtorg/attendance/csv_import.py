"""Attendance by file upload (CSV or XLSX): every row is checked first; one bad row rejects the whole file,
with a report per line, and nothing is written.

Columns (header required; CSV as Excel in Sweden saves it — ';', ',' or tab, UTF-8 or Windows-1252 — or an
XLSX workbook, read by `utils.tabular`): personnummer;datum;status;orsak;insats
- personnummer: the person's identity number;   datum: YYYY-MM-DD
- status: present | absent_valid | absent_unexcused (or närvarande | giltig_frånvaro | ogiltig_frånvaro)
- orsak: reason code for a valid absence (sick, child, appointment, interview, other)
- insats: the offering's id, needed only when the person has several bookings with you that day
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jobbtorg.interventions.constants import BookingStatus
from jobbtorg.interventions.models import Booking
from jobbtorg.participants.models import Participant
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.tabular import read_table

from .constants import AttendanceStatus, ValidReason
from .perms import can_report_for
from .services import _check_day, attendance_report

STATUS_ALIASES = {
    "närvarande": AttendanceStatus.PRESENT,
    "giltig_frånvaro": AttendanceStatus.ABSENT_VALID,
    "ogiltig_frånvaro": AttendanceStatus.ABSENT_UNEXCUSED,
}
MAX_ROWS = 5000


@dataclass
class ImportResult:
    ok: bool
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message)


def attendance_csv_import(
    *, by, content: bytes, file_name: str = "", encoding: str | None = None
) -> ImportResult:
    """Check, then apply, an attendance file (CSV or XLSX; `encoding` names the CSV's if not detected)."""
    try:
        table = read_table(content, file_name=file_name, encoding=encoding, max_rows=MAX_ROWS)
    except ValidationError as exc:
        return ImportResult(False, errors=[(0, "; ".join(exc.messages))])
    names, rows = table.names, table.rows
    required = {"personnummer", "datum", "status"}
    if not required <= set(names):
        return ImportResult(
            False, errors=[(1, _("The header must name the columns personnummer, datum and status."))]
        )
    if not rows:
        return ImportResult(False, errors=[(0, _("The file has no rows."))])

    planned, errors = [], []
    seen = set()
    for line, row in rows:
        try:
            planned.append(_check_row(by, row, seen))
        except (ValidationError, PermissionDenied) as exc:
            errors.append((line, "; ".join(_messages(exc))))
    if errors:
        return ImportResult(False, rows=len(rows), errors=errors)
    try:
        with transaction.atomic():
            for booking, day, status, reason in planned:
                attendance_report(booking=booking, day=day, status=status, valid_reason=reason, by=by)
    except (ValidationError, PermissionDenied) as exc:  # changed between the check and the write
        return ImportResult(False, rows=len(rows), errors=[(0, "; ".join(_messages(exc)))])
    return ImportResult(True, rows=len(planned))


def _messages(exc) -> list[str]:
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc) or _("Not allowed.")]


def _check_row(by, row: dict, seen: set):
    raw_number = (row.get("personnummer") or "").strip()
    try:
        number = personal_numbers.normalize(raw_number)
    except ValidationError as exc:
        raise ValidationError(_("Invalid personal identity number.")) from exc
    try:
        day = datetime.date.fromisoformat((row.get("datum") or "").strip())
    except ValueError as exc:
        raise ValidationError(_("The date must be written YYYY-MM-DD.")) from exc
    status = (row.get("status") or "").strip().lower()
    status = STATUS_ALIASES.get(status, status)
    if status not in AttendanceStatus.values:
        raise ValidationError(_("Unknown status %(value)s.") % {"value": status or "—"})
    reason = (row.get("orsak") or "").strip().lower()
    if status == AttendanceStatus.ABSENT_VALID and reason not in ValidReason.values:
        raise ValidationError(
            _("Unknown or missing reason code %(value)s for a valid absence.") % {"value": reason or "—"}
        )
    person = Participant.objects.visible_to(by).filter(personal_number=number).first()
    if person is None:
        raise ValidationError(_("Unknown person, or not assigned to you."))
    bookings = Booking.objects.filter(
        participant=person, status__in=[BookingStatus.BOOKED, BookingStatus.ENDED], start_date__lte=day
    ).select_related("offering", "referral")
    offering_id = (row.get("insats") or "").strip()
    if offering_id:
        if not offering_id.isdigit():
            raise ValidationError(_("The offering id must be a number."))
        bookings = bookings.filter(offering_id=int(offering_id))
    candidates = [b for b in bookings if (b.end_date is None or day <= b.end_date) and can_report_for(by, b)]
    if not candidates:
        raise ValidationError(_("The person has no booking with you on this date."))
    if len(candidates) > 1:
        raise ValidationError(
            _("The person has several bookings with you that day: give the offering id (insats).")
        )
    booking = candidates[0]
    _check_day(booking, day)
    if (booking.pk, day) in seen:
        raise ValidationError(_("The same person and day appear twice in the file."))
    seen.add((booking.pk, day))
    return booking, day, status, reason if status == AttendanceStatus.ABSENT_VALID else ""
