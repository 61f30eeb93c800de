"""Reading a plan document into paragraphs: plain UTF-8 text, .docx (paragraphs and table rows, in order)
and PDF with a text layer. Text comes out in Unicode NFC, so that Vietnamese typed decomposed or in a
legacy composition compares equal to the directory's names.

What is not a plan document is refused before any parsing: a file too large, a .docx that is a zip bomb
or carries macros, a PDF with no text layer (a scan; OCR is not available here).
"""
from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass

from engine.errors import Invalid
from engine.i18n import t

MAX_BYTES = 20 * 1024 * 1024
MAX_UNZIPPED = 100 * 1024 * 1024
MAX_RATIO = 200  # a part that unzips to more than this many times its size is a bomb


@dataclass(frozen=True)
class Paragraph:
    index: int  # the paragraph's place in the document, from 0
    text: str
    page: int | None = None  # for a PDF, its page from 1
    row: bool = False  # a row of a table, its cells joined by " | "


def read_document(data: bytes, filename: str) -> list[Paragraph]:
    """The document's non-empty paragraphs, in order, NFC-normalised and with runs of spaces closed up."""
    if len(data) > MAX_BYTES:
        raise Invalid(t("the document is larger than %(limit)s MB", limit=MAX_BYTES // 1024 // 1024),
                      errors={"file": ["too large"]})
    name = filename.lower()
    if name.endswith((".docm", ".dotm", ".doc", ".xls", ".xlsx", ".xlsm", ".ppt", ".pptx")):
        raise Invalid(t("%(name)s is not a plan document planflow reads: give .docx, .pdf or .txt", name=filename),
                      errors={"file": ["unsupported type"]})
    if data.startswith(b"PK"):
        blocks = _docx(data)
    elif data.startswith(b"%PDF"):
        blocks = [(text, page, False) for text, page in _pdf(data)]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise Invalid(t("%(name)s is neither .docx, PDF nor UTF-8 text", name=filename),
                          errors={"file": ["not text"]}) from None
        blocks = [(line, None, False) for line in text.splitlines()]
    paragraphs = []
    for text, page, row in blocks:
        clean = " ".join(unicodedata.normalize("NFC", text).replace("\u00a0", " ").split())
        if clean:
            paragraphs.append(Paragraph(len(paragraphs), clean, page, row))
    return paragraphs


def _docx(data: bytes) -> list[tuple[str, None, bool]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except zipfile.BadZipFile:
        raise Invalid(t("the file is not a readable .docx"), errors={"file": ["not a docx"]}) from None
    names = {entry.filename for entry in entries}
    if "word/document.xml" not in names:
        raise Invalid(t("the file is a zip archive but not a Word document"), errors={"file": ["not a docx"]})
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Invalid(t("the document carries macros; save it as a plain .docx"), errors={"file": ["macros"]})
    total = sum(entry.file_size for entry in entries)
    if total > MAX_UNZIPPED or any(entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO
                                   for entry in entries):
        raise Invalid(t("the .docx unpacks to far more than it weighs (a zip bomb); it is not read"),
                      errors={"file": ["zip bomb"]})
    for entry in entries:  # no DTD, no entity: what an external entity or an entity bomb needs is refused
        if entry.filename.endswith(".xml") and re.search(rb"<!(DOCTYPE|ENTITY)", archive.read(entry)[:1_000_000]):
            raise Invalid(t("the document declares XML entities (%(part)s); it is not read", part=entry.filename),
                          errors={"file": ["xml entities"]})
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph as DocxParagraph
    document = docx.Document(io.BytesIO(data))
    texts = []
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            texts.append((DocxParagraph(child, document).text, None, False))
        elif tag == "tbl":
            for row in Table(child, document).rows:
                cells = []
                for cell in row.cells:  # a merged cell repeats: keep it once
                    text = " ".join(cell.text.split())
                    if not cells or cells[-1] != text:
                        cells.append(text)
                texts.append((" | ".join(cells), None, True))
    return texts


def _pdf(data: bytes) -> list[tuple[str, int]]:
    try:
        from pypdf import PdfReader
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except ImportError:
        raise Invalid(t("reading PDF needs the pypdf package"), errors={"file": ["pdf unsupported"]}) from None
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's, said plainly
        raise Invalid(t("the PDF could not be read: %(error)s", error=str(error)[:200]),
                      errors={"file": ["unreadable pdf"]}) from None
    if not any(text.strip() for text in pages):
        pages = _ocr(data, len(pages))
    return [(line, number) for number, text in enumerate(pages, start=1) for line in text.splitlines()]


MAX_OCR_PAGES = 60


def _ocr(data: bytes, count: int) -> list[str]:
    """A scan's text, page by page, through Debian's tesseract with its Vietnamese data (pages drawn by
    poppler's pdftoppm); where either is missing, a plain refusal saying so."""
    import shutil
    import subprocess
    import tempfile
    from pathlib import Path
    tesseract, pdftoppm = shutil.which("tesseract"), shutil.which("pdftoppm")
    languages = subprocess.run([tesseract, "--list-langs"], capture_output=True, text=True, timeout=30).stdout \
        if tesseract else ""
    if not (tesseract and pdftoppm and "vie" in languages.split()):
        raise Invalid(t("the PDF has no text layer (a scan); OCR is not available on this server (it needs "
                        "tesseract-ocr with tesseract-ocr-vie, and poppler-utils), so give the document as .docx "
                        "or text"), errors={"file": ["scanned pdf"]})
    if count > MAX_OCR_PAGES:
        raise Invalid(t("the scan has %(count)s pages; at most %(limit)s are read by OCR", count=count,
                        limit=MAX_OCR_PAGES), errors={"file": ["too many pages"]})
    with tempfile.TemporaryDirectory(prefix="planflow-ocr-") as folder:
        source = Path(folder) / "scan.pdf"
        source.write_bytes(data)
        subprocess.run([pdftoppm, "-r", "200", "-gray", "-png", str(source), str(Path(folder) / "page")],
                       check=True, capture_output=True, timeout=300)
        pages = []
        for image in sorted(Path(folder).glob("page*.png")):
            done = subprocess.run([tesseract, str(image), "stdout", "-l", "vie"], capture_output=True, text=True,
                                  timeout=300)
            pages.append(done.stdout)
    if not any(page.strip() for page in pages):
        raise Invalid(t("OCR found no text in the scan"), errors={"file": ["no text"]})
    return pages
