"""utils.tabular: files as Excel in Sweden writes them, amounts as staff write them, and exports that no
spreadsheet runs as formulas."""

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from openpyxl import Workbook, load_workbook

from jobbtorg.utils.tabular import SafeCsvWriter, decode, parse_amount, read_table, safe_cell, xlsx_append


@pytest.mark.parametrize(
    "written, amount",
    [
        ("1 234,50", "1234.50"),
        ("1\u00a0234,50", "1234.50"),  # non-breaking space (Excel's thousands separator in Swedish)
        ("1\u202f234,50", "1234.50"),  # narrow no-break space
        ("1.234,50", "1234.50"),
        ("1234.50", "1234.50"),
        ("1234,5", "1234.5"),
        ("1.234", "1234"),
        ("5 200 kr", "5200"),
        ("5 200 kr.", "5200"),
        ("SEK 99", "99"),
        ("99 SEK", "99"),
        ("1 234:-", "1234"),
        ("-1 234,50", "-1234.50"),
        ("\u2212250", "-250"),
        (" 0 ", "0"),
        (1234.5, "1234.5"),
        (42, "42"),
    ],
)
def test_amounts_as_swedish_staff_write_them(written, amount):
    assert parse_amount(written) == Decimal(amount)


@pytest.mark.parametrize(
    "written",
    [
        "NaN",
        "nan",
        "sNaN",
        "-sNaN",
        "Infinity",
        "-Infinity",
        "inf",
        "1e9",
        "=A1*2",
        "12,34,56",
        "1,234.50",
        "kr",
    ],
)
def test_anything_but_a_finite_number_is_refused(written):
    with pytest.raises(ValueError):
        parse_amount(written)


def test_non_finite_numbers_are_refused_too():
    for value in (float("nan"), float("inf"), Decimal("NaN"), Decimal("sNaN")):
        with pytest.raises(ValueError):
            parse_amount(value)


def test_empty_is_none():
    assert parse_amount("") is None and parse_amount("  ") is None and parse_amount(None) is None


def test_decode_detects_windows_1252_and_utf8_with_or_without_bom():
    text = "personnummer;månad;belopp\nÅsa;2025-03;1\u00a0234,50\n"
    assert decode(text.encode("cp1252")) == (text, "cp1252")
    assert decode(text.encode("utf-8")) == (text, "utf-8")
    assert decode(b"\xef\xbb\xbf" + text.encode("utf-8")) == (text, "utf-8")
    assert decode(text.encode("cp1252"), "cp1252")[0] == text
    with pytest.raises(ValidationError):
        decode(text.encode("cp1252"), "utf-8")  # a named encoding that does not fit is an error
    with pytest.raises(ValidationError):
        decode(b"\x81\x8d\x8f")  # neither UTF-8 nor Windows-1252


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_read_table_finds_the_separator_from_the_header(delimiter):
    content = f"a{delimiter}b\n1{delimiter}2\n\n3{delimiter}4\n".encode()
    table = read_table(content, max_rows=10)
    assert table.names == ["a", "b"]
    # the blank line is skipped; line numbers are the file's
    assert table.rows == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "4"})]


def test_read_table_semicolons_with_decimal_commas_and_aliases():
    content = "Personnummer;Månad;Belopp\n19870314-2383;2025-03;1 234,50\n".encode("cp1252")
    table = read_table(content, aliases={"månad": "month"}, max_rows=10)
    assert table.encoding == "cp1252" and table.names == ["personnummer", "month", "belopp"]
    assert table.rows[0][1]["belopp"] == "1 234,50"


def test_read_table_limits_rows():
    content = ("a\n" + "x\n" * 11).encode()
    with pytest.raises(ValidationError):
        read_table(content, max_rows=10)


def _xlsx(rows) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_read_table_reads_a_workbook_with_typed_cells():
    content = _xlsx(
        [
            ["personnummer", "datum", "belopp", "namn"],
            [198703142383, dt.datetime(2025, 3, 3), 1234.5, '=HYPERLINK("http://x")'],
            [None, dt.date(2025, 3, 4), 1200, "Åsa"],
        ]
    )
    table = read_table(content, max_rows=10)
    assert table.encoding == "xlsx"
    assert table.rows == [
        (
            2,
            {
                "personnummer": "198703142383",
                "datum": "2025-03-03",
                "belopp": "1234,5",
                "namn": '=HYPERLINK("http://x")',
            },
        ),
        (3, {"personnummer": "", "datum": "2025-03-04", "belopp": "1200", "namn": "Åsa"}),
    ]
    assert parse_amount(table.rows[0][1]["belopp"]) == Decimal("1234.5")


def test_a_broken_workbook_is_a_clear_error():
    with pytest.raises(ValidationError):
        read_table(b"PK\x03\x04 not really a zip", max_rows=10)


@pytest.mark.parametrize(
    "value, exported",
    [
        ('=HYPERLINK("http://evil","klicka")', '\'=HYPERLINK("http://evil","klicka")'),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-1234,50", "-1234,50"),  # a negative amount is a number
        ("-250.00", "-250.00"),
        ("+46701234567", "+46701234567"),
        ("-", "-"),
        ("Steg Framåt AB", "Steg Framåt AB"),
        (-5, -5),
        (Decimal("-1.5"), Decimal("-1.5")),
        (None, None),
    ],
)
def test_safe_cell(value, exported):
    assert safe_cell(value) == exported


def test_safe_csv_writer_escapes_every_row():
    out = io.StringIO()
    writer = SafeCsvWriter(out, delimiter=";")
    writer.writerow(["=1+1", "-10,00"])
    writer.writerows([["@x", 3]])
    assert list(csv.reader(io.StringIO(out.getvalue()), delimiter=";")) == [["'=1+1", "-10,00"], ["'@x", "3"]]


def test_xlsx_append_stores_text_as_text():
    book = Workbook()
    xlsx_append(book.active, ['=HYPERLINK("http://evil","klicka")', -5, "-5"])
    buffer = io.BytesIO()
    book.save(buffer)
    sheet = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = list(sheet.iter_rows(values_only=False))[0]
    assert cells[0].data_type == "s" and cells[0].value == '=HYPERLINK("http://evil","klicka")'
    assert cells[1].data_type == "n" and cells[1].value == -5


def test_every_export_writes_through_the_safe_writers():
    """No CSV or XLSX writer outside utils.tabular: a new export that bypasses the escaping fails here."""
    src = Path(__file__).resolve().parents[2] / "src" / "jobbtorg"
    offenders = [
        str(path.relative_to(src))
        for path in src.rglob("*.py")
        if path.name != "tabular.py"
        and any(
            token in path.read_text(encoding="utf-8")
            for token in ("csv.writer(", "csv.DictWriter(", "sheet.append(")
        )
    ]
    assert offenders == []
