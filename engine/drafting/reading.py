"""Reading a plan document into paragraphs: plain UTF-8 text, .docx (paragraphs and table rows, in order)
and PDF with a text layer. Text comes out in Unicode NFC, so that Vietnamese typed decomposed or in a
legacy composition compares equal to the directory's names.

Every format is read inside limits checked before the work: the file's size; for a .docx every part's
real size, checksum, encoding and XML (``archive``); for a PDF its pages and their bytes (``pdf``); for all,
the characters and paragraphs the text may hold. What is not a plan document, or is more than one, is
refused with an ``Invalid`` naming the file. The reading runs in a process of its own (``sandbox``), which
also bounds its time and memory.
"""
from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass
from typing import Iterator

from engine.drafting.unwrap import paragraphs_of
from engine.errors import Invalid
from engine.i18n import t

MAX_BYTES = 20 * 1024 * 1024  # any document, as sent
MAX_TEXT_BYTES = 4 * 1024 * 1024  # a plain text document
MAX_CHARACTERS = 1_000_000  # the text of a document, however it came (a 100-page plan has about 300,000)
MAX_PARAGRAPHS = 20_000
UNSUPPORTED = (".docm", ".dotm", ".xls", ".xlsx", ".xlsm", ".ppt", ".pptx")


@dataclass(frozen=True)
class Paragraph:
    index: int  # the paragraph's place in the document, from 0
    text: str
    page: int | None = None  # for a PDF, its page from 1
    row: bool = False  # a row of a table, its cells joined by " | "


def check_upload(data: bytes, filename: str) -> None:
    """Refuse, before anything is started to read it, a file too large or of a type planflow does not read."""
    if len(data) > MAX_BYTES:
        raise Invalid(t("%(name)s is larger than %(limit)s MB", name=filename, limit=MAX_BYTES // 1024 // 1024),
                      errors={"file": [t("too large")]})
    if filename.lower().endswith(UNSUPPORTED):
        raise Invalid(t("%(name)s is not a plan document planflow reads: give .docx, .pdf or .txt", name=filename),
                      errors={"file": [t("unsupported type")]})


def read_document(data: bytes, filename: str) -> list[Paragraph]:
    """The document's non-empty paragraphs, in order, NFC-normalised and with runs of spaces closed up."""
    check_upload(data, filename)
    from engine.drafting.legacy import docx_from_legacy, is_legacy
    if is_legacy(data):  # a Word 97-2003 .doc or an RTF, read as the .docx LibreOffice makes of it
        data = docx_from_legacy(data, filename)
    if data.startswith(b"PK"):
        blocks = _docx(data, filename)
    elif data.startswith(b"%PDF"):
        from engine.drafting.pdf import pdf_lines
        lines = list(pdf_lines(data, filename, MAX_CHARACTERS))
        blocks = ((text, lines[start][1], False) for text, start in paragraphs_of([text for text, _ in lines]))
    else:
        blocks = (_text_row(text) for text, _ in paragraphs_of(_text(data, filename).splitlines()))
    paragraphs: list[Paragraph] = []
    characters = 0
    for text, page, row in blocks:
        clean = " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
        if clean:
            characters += len(clean)
            if characters > MAX_CHARACTERS:
                raise too_long(filename)
            if len(paragraphs) == MAX_PARAGRAPHS:
                raise Invalid(t("%(name)s has more than %(limit)s paragraphs; a plan has far fewer, so it is not read",
                                name=filename, limit=MAX_PARAGRAPHS), errors={"file": [t("too many paragraphs")]})
            paragraphs.append(Paragraph(len(paragraphs), clean, page, row))
    return paragraphs


def too_long(filename: str) -> Invalid:
    return Invalid(t("%(name)s holds more than %(limit)s characters of text; a plan is far shorter, so it is not "
                     "read", name=filename, limit=MAX_CHARACTERS), errors={"file": [t("too much text")]})


def _text_row(line: str) -> tuple[str, None, bool]:
    """A line of a text document: a table's row where its cells are joined by " | " or by tabs."""
    if "\t" in line.strip():
        cells = [cell.strip() for cell in line.strip().split("\t")]
        return " | ".join(cells), None, True
    return line, None, " | " in line


def _text(data: bytes, filename: str) -> str:
    if len(data) > MAX_TEXT_BYTES:
        raise Invalid(t("%(name)s is a text of more than %(limit)s MB; a plan is far shorter, so it is not read",
                        name=filename, limit=MAX_TEXT_BYTES // 1024 // 1024), errors={"file": [t("too large")]})
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Invalid(t("%(name)s is neither .docx, PDF nor UTF-8 text", name=filename),
                      errors={"file": [t("not text")]}) from None


def _docx(data: bytes, filename: str) -> Iterator[tuple[str, None, bool]]:
    """The body's paragraphs and table rows, once every part of the archive has passed ``archive``'s checks."""
    from engine.drafting.archive import checked_parts
    checked_parts(data, filename)
    import docx
    from docx.text.paragraph import Paragraph as DocxParagraph

    from engine.drafting.numbering import paragraph_labels
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as error:  # noqa: BLE001 - python-docx's refusal of a checked archive: the file's, said plainly
        raise Invalid(t("%(name)s could not be read as a .docx: %(error)s", name=filename, error=str(error)[:200]),
                      errors={"file": [t("not a docx")]}) from None
    labels = paragraph_labels(document)  # Word's automatic numbering, which the text does not hold
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1] if isinstance(child.tag, str) else ""
        if tag == "p":
            text, label = DocxParagraph(child, document).text, labels.get(child)
            yield (f"{label} {text}" if label and text.strip() else text), None, False
        elif tag == "tbl":
            for cells in _table_rows(child, document):
                yield " | ".join(cells), None, True


def _table_rows(table, document) -> Iterator[list[str]]:
    """Each row's cell texts, one a column of the table's grid: a cell spanning columns gives its text to the
    first and nothing to the others (so that every row's cells stand under their header's), and a cell
    continuing a vertical merge reads as the cell it continues (found by its column in the row above, never by
    walking up)."""
    from docx.table import Table, _Cell
    parent = Table(table, document)
    above: dict[int, str] = {}  # grid column → the text of the cell that starts there in the row above
    for row in table.tr_lst:
        column, here, cells = row.grid_before, {}, [""] * row.grid_before
        for cell in row.tc_lst:
            if cell.vMerge == "continue" and column in above:
                text = above[column]
            else:
                text = " ".join(_Cell(cell, parent).text.split())
            here[column] = text
            column += cell.grid_span
            cells += [text] + [""] * (cell.grid_span - 1)
        above = here
        yield cells
