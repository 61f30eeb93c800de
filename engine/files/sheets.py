"""Spreadsheets people bring and take away: a CSV or an .xlsx read as a header and rows of text, and written
back the same way, never as formulas.

An .xlsx is opened by openpyxl only once every member of its archive has passed ``archives``' checks, read
only, values rather than formulas, its first sheet (or the one named as asked), up to ``MAX_ROWS`` rows of
``MAX_COLUMNS`` columns. A CSV is UTF-8 (with or without its byte-order mark), its delimiter a comma or a
semicolon, whichever its first row uses. Every cell comes back as text, with the ``'`` that
``spreadsheets.inert_cell`` puts before a cell that could start a formula taken off again.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Iterable, Iterator

from engine.errors import Invalid
from engine.files.archives import EXCEL_WORKBOOK, MIB, checked_parts
from engine.files.spreadsheets import inert_cell, original_cell
from engine.i18n import t
from engine.model.search import folded

MAX_ROWS = 5000
MAX_COLUMNS = 40
MAX_CSV_BYTES = 4 * MIB
MAX_FILE_BYTES = 16 * MIB  # a workbook of 5,000 people weighs some 300 kB
#: The last row of a sheet read: the rows allowed, and as many blank ones between them.
LAST_ROW = 2 * MAX_ROWS + 1
FORMATS = ("csv", "xlsx")
MEDIA_TYPES = {"csv": "text/csv; charset=utf-8",
               "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0"  # the old binary .xls
_WIDE_MARKS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@dataclass(frozen=True)
class Sheet:
    """A sheet as text: its header (the first row that is not blank) and each row below it that is not blank,
    with the row's number in the sheet (what its owner sees at the left of it)."""

    header: list[str]
    header_row: int
    rows: list[tuple[int, list[str]]]


def read_sheet(data: bytes, filename: str, names: Iterable[str] = ()) -> Sheet:
    """The header and rows of a CSV or .xlsx; for a workbook, the first sheet named one of ``names`` (case and
    diacritics aside), else its first sheet. Refused (``Invalid``) when it is neither, unsafe, empty or larger
    than ``MAX_ROWS`` rows of ``MAX_COLUMNS`` columns."""
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(t("%(name)s is larger than %(size)s MB; split it", name=filename, size=MAX_FILE_BYTES // MIB),
                      errors={"file": [t("too large")]})
    if data.startswith(_OLE):
        raise Invalid(t("%(name)s is an old Excel file (.xls); save it as .xlsx or as CSV UTF-8", name=filename),
                      errors={"file": [t("xls")]})
    if data.startswith(_ZIP) or filename.lower().endswith((".xlsx", ".xlsm")):
        lines = _xlsx_rows(data, filename, names)
    else:
        lines = _csv_rows(data, filename)
    return _sheet(lines, filename)


def _sheet(lines: Iterator[tuple[int, list[str]]], filename: str) -> Sheet:
    header: tuple[int, list[str]] | None = None
    rows: list[tuple[int, list[str]]] = []
    for number, cells in lines:
        cells = [original_cell(_text(cell)) for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise Invalid(t("%(name)s has more than %(count)s columns; it is not read", name=filename,
                            count=MAX_COLUMNS), errors={"file": [t("too many columns")]})
        if header is None:
            header = (number, cells)
        elif len(rows) == MAX_ROWS:
            raise _too_many_rows(filename)
        else:
            rows.append((number, cells))
    if header is None:
        raise Invalid(t("%(name)s is empty", name=filename), errors={"file": [t("empty")]})
    return Sheet(header[1], header[0], rows)


def _too_many_rows(filename: str) -> Invalid:
    return Invalid(t("%(name)s has more than %(count)s rows; split it into files of at most %(count)s rows",
                     name=filename, count=MAX_ROWS), errors={"file": [t("too many rows")]})


# --- CSV -----------------------------------------------------------------------------------------------------
def _csv_rows(data: bytes, filename: str) -> Iterator[tuple[int, list[str]]]:
    if len(data) > MAX_CSV_BYTES:
        raise Invalid(t("%(name)s is larger than %(size)s MB; split it", name=filename, size=MAX_CSV_BYTES // MIB),
                      errors={"file": [t("too large")]})
    if data.startswith(_WIDE_MARKS) or b"\x00" in data[:4096]:
        raise _not_utf8(filename, t("it is in UTF-16"))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(filename, t("the byte at %(position)s is not UTF-8", position=error.start)) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for number, cells in enumerate(reader, start=1):  # the n-th record is the row n a spreadsheet shows
            yield number, cells
    except csv.Error as error:
        raise Invalid(t("%(name)s is not a readable CSV (line %(line)s: %(error)s)", name=filename,
                        line=reader.line_num, error=str(error)[:200]), errors={"file": [t("not csv")]}) from None


def _not_utf8(filename: str, why) -> Invalid:
    return Invalid(t("%(name)s is not in UTF-8 (%(why)s); save it as 'CSV UTF-8 (Comma delimited)' and send it "
                     "again", name=filename, why=why), errors={"file": [t("not utf-8")]})


def _delimiter(text: str) -> str:
    """A semicolon if the first line (outside quotes) has more of them than commas, as Excel writes CSV where
    the comma is the decimal mark; else a comma."""
    counts, quoted = {",": 0, ";": 0}, False
    for char in text[:64 * 1024]:
        if char == '"':
            quoted = not quoted
        elif char in "\r\n" and not quoted:
            if counts[","] or counts[";"]:
                break
        elif char in counts and not quoted:
            counts[char] += 1
    return ";" if counts[";"] > counts[","] else ","


# --- .xlsx ---------------------------------------------------------------------------------------------------
def _xlsx_rows(data: bytes, filename: str, names: Iterable[str]) -> Iterator[tuple[int, list[Any]]]:
    checked_parts(data, filename, EXCEL_WORKBOOK)  # before openpyxl reads a byte of it
    from openpyxl import load_workbook
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # noqa: BLE001 - openpyxl's refusal of a checked archive: the file's, said plainly
        raise Invalid(t("%(name)s could not be read as an .xlsx: %(error)s", name=filename, error=str(error)[:200]),
                      errors={"file": [t("not an xlsx")]}) from None
    try:
        sheets = book.worksheets
        if not sheets:
            raise Invalid(t("%(name)s has no sheet of cells", name=filename), errors={"file": [t("empty")]})
        wanted = {folded(name) for name in names}
        sheet = next((sheet for sheet in sheets if folded(sheet.title) in wanted), sheets[0])
        if (sheet.max_row or 0) > LAST_ROW:
            raise _too_many_rows(filename)
        for number, cells in enumerate(sheet.iter_rows(min_row=1, max_row=LAST_ROW, max_col=MAX_COLUMNS + 1,
                                                       values_only=True), start=1):
            yield number, list(cells)
    finally:
        book.close()


def _text(value: Any) -> str:
    """A cell as text: numbers without a needless ``.0``, a day as YYYY-MM-DD, blanks as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


# --- writing -------------------------------------------------------------------------------------------------
def write_sheet(header: list[str], rows: Iterable[list[str]], kind: str, title: str) -> bytes:
    """The rows as a CSV (UTF-8 with its mark, which Excel needs to read Vietnamese) or an .xlsx (its header
    bold, its columns as wide as their text), every cell text through ``inert_cell``: nothing in it runs."""
    lines = [list(header)] + [[_clean(value) for value in row] for row in rows]
    if kind == "csv":
        out = io.StringIO(newline="")
        writer = csv.writer(out, lineterminator="\r\n")
        for line in lines:
            writer.writerow([inert_cell(value) for value in line])
        return out.getvalue().encode("utf-8-sig")
    if kind != "xlsx":
        raise Invalid(t("a format of %(formats)s", formats=", ".join(FORMATS)), errors={"format": [kind]})
    return _xlsx(lines, title)


def _clean(value: Any) -> str:
    return _CONTROL.sub("", _text(value))


def _xlsx(lines: list[list[str]], title: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    book = Workbook()
    sheet = book.active
    sheet.title = title
    bold = Font(bold=True)
    widths: dict[int, int] = {}
    for number, line in enumerate(lines, start=1):
        for column, value in enumerate(line, start=1):
            cell = sheet.cell(row=number, column=column)
            cell.value = inert_cell(value)
            cell.data_type = "s"  # text, whatever it looks like: never a formula, an error code or a number
            if number == 1:
                cell.font = bold
            widths[column] = max(widths.get(column, 0), len(value))
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(max(width + 2, 10), 60)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
