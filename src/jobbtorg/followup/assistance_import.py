"""Monthly assistance status per person from the economic-assistance system, by API or file (CSV/JSON).

One delivery is one month. Every row is checked first; one bad row rejects the whole delivery with a report
per line, and nothing is written. Importing the same data twice changes nothing; a corrected delivery
replaces that month for the people in it and keeps the old rows (`is_current=False`, `superseded_at`).
People who are not Jobbtorg participants of the importer's municipality are skipped and not stored.
Identity numbers are validated and never logged or echoed back (the report names line numbers only).

CSV (header required) as Excel in Sweden saves it (';', ',' or tab; UTF-8 or Windows-1252), or an XLSX
workbook (`utils.tabular`): personnummer;manad;belopp;orsakskod
  (English headers personal_number;month;amount;reason_code work too). manad: YYYY-MM. belopp: SEK paid
  that month, empty or 0 = none paid, written as staff write it (`1 234,50`, `1.234,50`, `1234.50 kr`).
  orsakskod: the assistance system's reason code (optional).
JSON: {"month": "YYYY-MM", "rows": [{"personal_number": "...", "amount": "1234.00", "reason_code": ""}]}
  (a row may repeat "month"; it must match).
"""

import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobbtorg.accounts.models import Municipality
from jobbtorg.audit.services import change_record
from jobbtorg.participants.models import Participant
from jobbtorg.utils import personal_numbers
from jobbtorg.utils.tabular import is_xlsx, parse_amount, read_table

from .constants import ImportSource
from .models import AssistanceImport, AssistanceMonth
from .perms import can_import_assistance

MAX_ROWS = 500_000
ALIASES = {
    "personnummer": "personal_number",
    "manad": "month",
    "månad": "month",
    "belopp": "amount",
    "orsakskod": "reason_code",
    "orsak": "reason_code",
}


@dataclass
class ImportResult:
    ok: bool
    rows: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, message) — no numbers
    batch: AssistanceImport | None = None
    created: int = 0
    replaced: int = 0
    unchanged: int = 0
    skipped: int = 0


def parse_month(value) -> datetime.date:
    text = str(value or "").strip()
    try:
        if len(text) == 7:
            return datetime.date.fromisoformat(text + "-01")
        day = datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise ValidationError(_("The month must be written YYYY-MM.")) from exc
    if day.day != 1:
        raise ValidationError(_("The month must be written YYYY-MM."))
    return day


def _table_rows(content: bytes, file_name: str, encoding: str | None) -> list[tuple[int, dict]]:
    table = read_table(content, file_name=file_name, encoding=encoding, aliases=ALIASES, max_rows=MAX_ROWS)
    if not {"personal_number", "month"} <= set(table.names):
        raise ValidationError(_("The header must name the columns personnummer, manad and belopp."))
    return table.rows


def _json_rows(text: str) -> list[tuple[int, dict]]:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValidationError(_("The file is not valid JSON.")) from exc
    month = None
    if isinstance(data, dict):
        month = data.get("month")
        data = data.get("rows")
    if not isinstance(data, list):
        raise ValidationError(_('The JSON must be {"month": "YYYY-MM", "rows": [...]}.'))
    rows = []
    for index, row in enumerate(data, start=1):
        if not isinstance(row, dict):
            row = {"_invalid": True}
        row = {ALIASES.get(k, k): v for k, v in row.items()}
        if month is not None:
            row.setdefault("month", month)
        rows.append((index, row))
    return rows


def _check(rows, month, numbers_to_ids, today):
    planned, errors, seen, skipped = [], [], set(), 0
    for line, row in rows:
        try:
            if row.get("_invalid"):
                raise ValidationError(_("Each row must be an object."))
            try:
                number = personal_numbers.normalize(str(row.get("personal_number") or ""), today=today)
            except ValidationError as exc:
                raise ValidationError(_("Invalid personal identity number.")) from exc
            row_month = parse_month(row.get("month"))
            if month is not None and row_month != month:
                raise ValidationError(
                    _("All rows must be for the same month (%(month)s).") % {"month": f"{month:%Y-%m}"}
                )
            month = row_month
            try:
                amount = parse_amount(row.get("amount"))
            except ValueError as exc:
                raise ValidationError(_("The amount must be a number of kronor.")) from exc
            if amount is not None and (
                amount < 0 or amount >= Decimal("100000000") or amount != amount.quantize(Decimal("0.01"))
            ):
                raise ValidationError(_("The amount must be between 0 and 99,999,999.99 kronor."))
            reason_code = str(row.get("reason_code") or "").strip()
            if len(reason_code) > 20:
                raise ValidationError(_("The reason code can be at most 20 characters."))
            if number in seen:
                raise ValidationError(_("The same person appears twice in the file."))
            seen.add(number)
            participant_id = numbers_to_ids.get(number)
            if participant_id is None:
                skipped += 1
                continue
            planned.append((participant_id, amount, reason_code))
        except ValidationError as exc:
            errors.append((line, "; ".join(str(m) for m in exc.messages)))
    return month, planned, errors, skipped


def assistance_import(
    *,
    by,
    content: bytes | str | list | dict,
    file_name: str = "",
    source: str = ImportSource.FILE,
    month: datetime.date | None = None,
    encoding: str | None = None,
) -> ImportResult:
    """Check, then apply, one month's assistance delivery. `content` is file bytes (CSV, XLSX or JSON) or,
    from the API, already-parsed JSON; `encoding` names a CSV's encoding if it is not to be detected."""
    if not can_import_assistance(by) or by.municipality_id is None:
        raise PermissionDenied(_("You cannot import assistance data."))
    try:
        if isinstance(content, (list, dict)):
            rows = _json_rows(json.dumps(content, default=str))
        else:
            if isinstance(content, str):
                content = content.encode("utf-8")
            if not is_xlsx(content, file_name) and content.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
                rows = _json_rows(content.decode("utf-8-sig"))
            else:
                rows = _table_rows(content, file_name, encoding)
    except UnicodeDecodeError:
        return ImportResult(False, errors=[(0, _("The file must be UTF-8 text (CSV or JSON)."))])
    except ValidationError as exc:
        return ImportResult(False, errors=[(0, "; ".join(str(m) for m in exc.messages))])
    if not rows:
        return ImportResult(False, errors=[(0, _("The file has no rows."))])
    if len(rows) > MAX_ROWS:
        return ImportResult(False, errors=[(0, _("At most %(max)d rows per file.") % {"max": MAX_ROWS})])

    today = timezone.localdate()
    candidates = set()
    for _line, row in rows:
        try:
            candidates.add(personal_numbers.normalize(str(row.get("personal_number") or ""), today=today))
        except ValidationError:
            pass
    numbers_to_ids = dict(
        Participant.objects.filter(
            municipality_id=by.municipality_id, personal_number__in=candidates
        ).values_list("personal_number", "id")
    )
    month, planned, errors, skipped = _check(rows, month, numbers_to_ids, today)
    if errors:
        return ImportResult(False, rows=len(rows), errors=errors)
    if month > today.replace(day=1):
        return ImportResult(False, rows=len(rows), errors=[(0, _("The month cannot lie in the future."))])
    return _apply(
        by=by,
        month=month,
        planned=planned,
        file_name=file_name,
        source=source,
        rows=len(rows),
        skipped=skipped,
    )


@transaction.atomic
def _apply(*, by, month, planned, file_name, source, rows, skipped) -> ImportResult:
    # Deliveries of one municipality are applied one at a time: a second one sent at the same moment waits
    # here, then finds the first one's rows current (unchanged or corrected) instead of breaking the "one
    # current row per person and month" constraint (which was a 500). FOR NO KEY UPDATE: rows that merely
    # point to the municipality are not blocked.
    list(Municipality.objects.select_for_update(no_key=True).filter(pk=by.municipality_id).values_list("pk"))
    now = timezone.now()
    ids = [p[0] for p in planned]
    current = {
        row.participant_id: row
        for row in AssistanceMonth.objects.select_for_update()
        .filter(month=month, is_current=True, participant_id__in=ids)
        .only("id", "participant_id", "amount", "paid", "reason_code")
    }
    batch = AssistanceImport.objects.create(
        municipality_id=by.municipality_id,
        source=source,
        file_name=file_name[:200],
        imported_by=by,
        month=month,
        row_count=rows,
    )
    new_rows, superseded = [], []
    unchanged = 0
    for participant_id, amount, reason_code in planned:
        paid = amount is not None and amount > 0
        old = current.get(participant_id)
        if old is not None:
            if old.amount == amount and old.paid == paid and old.reason_code == reason_code:
                unchanged += 1
                continue
            superseded.append(old.id)
        new_rows.append(
            AssistanceMonth(
                participant_id=participant_id,
                month=month,
                amount=amount,
                paid=paid,
                reason_code=reason_code,
                batch=batch,
            )
        )
    if superseded:
        AssistanceMonth.objects.filter(id__in=superseded).update(is_current=False, superseded_at=now)
    AssistanceMonth.objects.bulk_create(new_rows, batch_size=5000)
    batch.created_count = len(new_rows) - len(superseded)
    batch.replaced_count = len(superseded)
    batch.unchanged_count = unchanged
    batch.skipped_count = skipped
    batch.save(update_fields=["created_count", "replaced_count", "unchanged_count", "skipped_count"])
    change_record(
        action="assistance_imported",
        obj=batch,
        by=by,
        changes={
            "month": f"{month:%Y-%m}",
            "created": batch.created_count,
            "replaced": batch.replaced_count,
            "unchanged": unchanged,
            "skipped": skipped,
        },
    )
    return ImportResult(
        True,
        rows=rows,
        batch=batch,
        created=batch.created_count,
        replaced=len(superseded),
        unchanged=unchanged,
        skipped=skipped,
    )
