"""CSV and XLSX downloads of every table shown on the dashboard (the same, suppressed figures). Text that a
spreadsheet would run as a formula is kept as text (`utils.tabular`)."""

from __future__ import annotations

import datetime
import io

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import http_date
from django.utils.translation import gettext as _

from jobbtorg.utils.tabular import SafeCsvWriter, xlsx_append


def as_of_text(as_of: datetime.datetime | None) -> str:
    if as_of is None:
        return str(_("Figures not built yet"))
    return str(_("Figures as of %(time)s") % {"time": f"{timezone.localtime(as_of):%Y-%m-%d %H:%M}"})


def download(
    *, name: str, header: list[str], rows: list[list], fmt: str, as_of: datetime.datetime | None = None
) -> HttpResponse:
    """The table, then an empty row and the moment the figures are from (the rollups' last rebuild); in XLSX
    the
    moment is also in the file's properties."""
    footer = [[], [as_of_text(as_of)]]
    if fmt == "xlsx":
        from openpyxl import Workbook  # heavy: only for an XLSX download

        book = Workbook()
        sheet = book.active
        sheet.title = name[:31]
        for row in [header, *rows, *footer]:
            xlsx_append(sheet, row)
        book.properties.description = as_of_text(as_of)
        buffer = io.BytesIO()
        book.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response.write("\ufeff")
        writer = SafeCsvWriter(response, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerows(footer)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    if as_of is not None:
        response["Last-Modified"] = http_date(as_of.timestamp())
    return response
