"""Tables in and out, as Swedish staff meet them in Excel.

In: `read_table` reads what the importers get (attendance, assistance): CSV saved by Excel in Sweden —
UTF-8 with or without BOM, else Windows-1252 (detected, or named by the caller); semicolons, commas or
tabs — or an XLSX workbook directly (first sheet). `parse_amount` reads kronor written
`1 234,50` (space, non-breaking or narrow no-break space), `1.234,50`, `1234.50`, `1 234 kr`, `SEK 99`,
`1 234:-`. Nothing is ever evaluated: a cell holding `=…` is text (and fails as a number).

Out: `safe_cell` / `SafeCsvWriter` / `xlsx_append` keep a cell a spreadsheet would run as a formula (starting
with `=`, `+`, `-`, `@`, tab or CR) as text in every CSV and XLSX export; a number (also a negative amount
written as text, `-1234,50`) stays a number.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# --- reading ------------------------------------------------------------------------------------------------

ENCODINGS = {"utf-8": "utf-8-sig", "cp1252": "cp1252", "windows-1252": "cp1252"}
XLSX_MAGIC = b"PK\x03\x04"
DELIMITERS = ";,\t"


@dataclass
class Table:
    names: list[str]
    rows: list[tuple[int, dict[str, str]]]  # (line number in the file, {column: text})
    encoding: str = ""  # "xlsx" for a workbook


def decode(content: bytes, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: the one named, else UTF-8 (with or without a byte-order mark) if the
    bytes are valid UTF-8, else Windows-1252 (what Excel in Sweden writes as "CSV")."""
    if encoding:
        codec = ENCODINGS.get(encoding.lower().replace("_", "-"), encoding)
        try:
            return content.decode(codec), encoding
        except (UnicodeDecodeError, LookupError) as exc:
            raise ValidationError(
                _("The file is not readable as %(encoding)s.") % {"encoding": encoding}
            ) from exc
    try:
        return content.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1252"), "cp1252"
    except UnicodeDecodeError as exc:
        raise ValidationError(
            _("The file is neither UTF-8 nor Windows-1252 text (CSV), nor an Excel workbook (XLSX).")
        ) from exc


def is_xlsx(content: bytes, file_name: str = "") -> bool:
    return content.startswith(XLSX_MAGIC) or file_name.lower().endswith((".xlsx", ".xlsm"))


def read_table(
    content: bytes,
    *,
    file_name: str = "",
    encoding: str | None = None,
    aliases: dict[str, str] | None = None,
    max_rows: int,
) -> Table:
    """The header (lower-cased, trimmed, `aliases` applied) and the rows of a CSV or XLSX file, with the line
    numbers a person sees in Excel. Raises ValidationError for a file that is not a readable table or has
    more than `max_rows` rows; blank lines are skipped."""
    if is_xlsx(content, file_name):
        (header, lines), used = _xlsx_lines(content, max_rows), "xlsx"
    else:
        text, used = decode(content, encoding)
        header, lines = _csv_lines(text)
    if header is None:
        raise ValidationError(_("The file is empty."))
    names = [_name(cell, aliases) for cell in header]
    rows = []
    for line, cells in lines:
        if not any(cell.strip() for cell in cells):
            continue
        if len(rows) >= max_rows:
            raise ValidationError(_("At most %(max)d rows per file.") % {"max": max_rows})
        rows.append(
            (line, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(names) if name})
        )
    return Table(names, rows, used)


def _name(cell: str, aliases: dict[str, str] | None) -> str:
    name = (cell or "").strip().lower()
    return (aliases or {}).get(name, name)


def _delimiter(text: str) -> str:
    """The separator of the header line: the most frequent of ; , and tab (a header holds no decimal
    commas, unlike the amounts below it)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(counts, key=counts.get)
    return best if counts[best] else ";"


def _csv_lines(text: str):
    if "\x00" in text:
        raise ValidationError(_("The file is not readable CSV: it contains null characters."))
    if not text.strip():
        return None, []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        header = next(reader)
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise ValidationError(_("The file is not readable CSV: %(error)s") % {"error": exc}) from exc
    return header, lines


def _xlsx_lines(content: bytes, max_rows: int):
    from openpyxl import load_workbook  # heavy: only when a workbook is uploaded

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as exc:  # noqa: BLE001 — any unreadable workbook is the same answer to the user
        raise ValidationError(_("The file is not a readable Excel workbook (XLSX).")) from exc
    try:
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None)
        if header is None:
            return None, []
        lines = []
        for number, values in enumerate(rows, start=2):
            if len(lines) > max_rows:
                break  # read_table reports "too many rows"
            lines.append((number, [cell_text(v) for v in values]))
        return [cell_text(v) for v in header], lines
    finally:
        book.close()


def cell_text(value) -> str:
    """A workbook cell as the text a CSV would hold: dates as YYYY-MM-DD, decimals with a comma."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time(0) else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return format(Decimal(repr(value)), "f").replace(".", ",")
    return str(value)


# --- amounts ------------------------------------------------------------------------------------------------

SPACES = re.compile(r"[\s\u00a0\u202f\u2009]")
AMOUNT = re.compile(r"(?:sek)?(?P<sign>[-+]?)(?P<number>\d[\d.,]*)(?:sek|kr\.?|:-)?")
GROUPED_DOTS = re.compile(r"\d{1,3}(?:\.\d{3})+")


def parse_amount(value) -> Decimal | None:
    """Kronor as Swedish staff write them; None for an empty cell. Raises ValueError for anything that is not
    a finite number (`NaN`, `sNaN`, `Infinity`, `1e9`, `=A1`, `12,34,56`)."""
    if value is None:
        return None
    if isinstance(value, Decimal | int | float):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        if not amount.is_finite():
            raise ValueError(value)
        return amount
    text = SPACES.sub("", str(value)).replace("\u2212", "-").lower()
    if not text:
        return None
    match = AMOUNT.fullmatch(text)
    if match is None:
        raise ValueError(value)
    number = match["number"]
    if "," in number and "." in number:
        if number.rindex(".") > number.rindex(","):
            raise ValueError(value)  # 1,234.50 is not how Swedish staff write it
        number = number.replace(".", "").replace(",", ".")
    elif "," in number:
        number = number.replace(",", ".")
    elif GROUPED_DOTS.fullmatch(number):
        number = number.replace(".", "")  # 1.234 is thousands
    if number.count(".") > 1 or number.endswith("."):
        raise ValueError(value)
    return Decimal(match["sign"] + number)


# --- writing ------------------------------------------------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = re.compile(r"[-+]?\d[\d\u00a0\u202f ]*(?:[.,]\d+)?")


def safe_cell(value):
    """A value for a CSV export that no spreadsheet runs: text starting like a formula gets a leading
    apostrophe (`=HYPERLINK(…)` → `'=HYPERLINK(…)`); numbers and numeric text (`-1234,50`) are left alone."""
    if (
        isinstance(value, str)
        and len(value) > 1
        and value.startswith(FORMULA_STARTS)
        and not NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def safe_row(row) -> list:
    return [safe_cell(value) for value in row]


class SafeCsvWriter:
    """`csv.writer` whose rows go through `safe_cell`; every CSV export writes through this."""

    def __init__(self, out, **kwargs):
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row):
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def xlsx_append(sheet, row) -> None:
    """Append a row to an openpyxl sheet with every text cell stored as text: openpyxl would otherwise store
    a string starting with `=` as a live formula."""
    sheet.append(list(row))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str) and cell.data_type != "s":
            cell.data_type = "s"
