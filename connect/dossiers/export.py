"""Export of the current list view (tab + search + filters) to CSV and XLSX, French style.

CSV: `;` separator and a UTF-8 BOM so that a French Excel opens it right, streamed row by row.
XLSX: openpyxl in write-only mode, real dates and numbers with French display formats.
Any text cell that a spreadsheet could take for a formula (= + - @, tab, CR) is neutralised.
"""

import csv
import tempfile
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from connect.dossiers.columns import EXPORT_COLUMNS
from connect.dossiers.templatetags.formats import format_date, format_number

CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def headers() -> list[str]:
    return [column.export_header(settings.FIRM_SHORT_NAME) for column in EXPORT_COLUMNS]


def neutralise(text: str) -> str:
    """A cell that starts like a formula is shown as text, never evaluated."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _values(dossier) -> list:
    """One row in the headers' order: neutralised text, typed dates and amounts."""
    values = (column.export(dossier) for column in EXPORT_COLUMNS if column.export)
    return [neutralise(value) if isinstance(value, str) else value for value in values]


def _as_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return format_date(value)
    if isinstance(value, Decimal):
        return format_number(value)
    return value


def csv_lines(dossiers: QuerySet) -> Iterator[str]:
    """The CSV document, line by line (BOM first), reading the rows in chunks."""
    line = _Line()
    writer = csv.writer(line, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers())
    yield "\ufeff" + line.pop()
    for dossier in dossiers.iterator(chunk_size=CHUNK):
        writer.writerow([_as_text(value) for value in _values(dossier)])
        yield line.pop()


class _Line:
    """What csv.writer needs to write to: keeps the last line until popped."""

    def __init__(self):
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def pop(self) -> str:
        text, self.text = self.text, ""
        return text


def csv_response(dossiers: QuerySet, *, filename: str) -> StreamingHttpResponse:
    """The CSV export streamed as a download (the home list's and the portfolio's), never
    kept by a cache."""
    response = StreamingHttpResponse(csv_lines(dossiers), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def xlsx_file(dossiers: QuerySet) -> tempfile.SpooledTemporaryFile:
    """The workbook in a temporary file (spooled to disk past 8 MB), rewound."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Dossiers")
    sheet.append(headers())
    for dossier in dossiers.iterator(chunk_size=CHUNK):
        sheet.append([_typed_cell(sheet, value) for value in _values(dossier)])
    # Closed by the FileResponse that streams it.
    output = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(output)
    output.seek(0)
    return output


def _typed_cell(sheet, value):
    if isinstance(value, date):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "DD/MM/YYYY"
        return cell
    if isinstance(value, Decimal):
        cell = WriteOnlyCell(sheet, value=value)
        cell.number_format = "#,##0.00"
        return cell
    return value
