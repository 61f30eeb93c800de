"""Reading a PDF's text layer, page by page, inside limits checked before any text is extracted: the pages
the page tree declares and holds (walked by pypdf with a bound on its entries and depth), the bytes of each
page's drawing instructions once unpacked, and the characters that come out. A PDF without a text layer (a
scan) is read by OCR where tesseract with its Vietnamese data is installed, a few dozen pages at most.
"""
from __future__ import annotations

import io
from typing import Iterator

from engine.errors import Invalid
from engine.i18n import t

MIB = 1024 * 1024
MAX_PAGES = 300  # a plan with its appendices has tens of pages
MAX_PAGE_CONTENT = 8 * MIB  # one page's drawing instructions, unpacked
MAX_CONTENT = 64 * MIB  # all pages' together
MAX_OCR_PAGES = 60


def pdf_lines(data: bytes, filename: str, max_characters: int) -> Iterator[tuple[str, int]]:
    """Each line of the text layer with its page (from 1)."""
    from pypdf import PdfReader, apply_configuration
    from pypdf.errors import LimitReachedError
    limits = {"page_tree_maximum_entries": 4 * MAX_PAGES + 16, "page_tree_maximum_depth": 32,
              "zlib_maximum_output_length": 2 * MAX_PAGE_CONTENT, "lzw_maximum_output_length": 2 * MAX_PAGE_CONTENT,
              "run_length_maximum_output_length": 2 * MAX_PAGE_CONTENT}
    try:
        with apply_configuration(**limits):
            reader = PdfReader(io.BytesIO(data))
            pages = _pages(reader, filename)
            texts = _texts(pages, filename, max_characters)
    except Invalid:
        raise
    except LimitReachedError as error:
        raise Invalid(t("%(name)s is larger inside than a plan (%(error)s); it is not read", name=filename,
                        error=str(error)[:200]), errors={"file": [t("pdf limit")]}) from None
    except Exception as error:  # noqa: BLE001 - any parser failure is the file's, said plainly
        raise Invalid(t("%(name)s: the PDF could not be read: %(error)s", name=filename, error=str(error)[:200]),
                      errors={"file": [t("unreadable pdf")]}) from None
    if not any(text.strip() for text in texts):
        texts = _ocr(data, len(texts), filename)
    return ((line, number) for number, text in enumerate(texts, start=1) for line in text.splitlines())


def _pages(reader, filename: str) -> list:
    """The pages, refused past ``MAX_PAGES`` by the count the page tree declares, then by the pages it holds."""
    from pypdf.errors import LimitReachedError
    declared = reader.trailer["/Root"]["/Pages"].get("/Count", 0)
    declared = declared.get_object() if hasattr(declared, "get_object") else declared
    if isinstance(declared, int) and declared > MAX_PAGES:
        raise _too_many_pages(filename, declared)
    try:
        count = len(reader.pages)
    except LimitReachedError:
        raise _too_many_pages(filename, None) from None
    if count > MAX_PAGES:
        raise _too_many_pages(filename, count)
    return list(reader.pages)


def _texts(pages: list, filename: str, max_characters: int) -> list[str]:
    total, characters, texts = 0, 0, []
    for number, page in enumerate(pages, start=1):
        contents = page.get_contents()
        size = len(contents.get_data()) if contents is not None else 0
        total += size
        if size > MAX_PAGE_CONTENT or total > MAX_CONTENT:
            raise Invalid(t("%(name)s: page %(page)s holds more drawing instructions than a plan's page; it is not "
                            "read", name=filename, page=number), errors={"file": [t("page too large")]})
        text = page.extract_text() or ""
        characters += len(text)
        if characters > 2 * max_characters:  # spaces are closed up later: the text itself is counted there
            from engine.drafting.reading import too_long
            raise too_long(filename)
        texts.append(text)
    return texts


def _too_many_pages(filename: str, count: int | None) -> Invalid:
    if count is None:  # the page tree holds more entries than pypdf was allowed to walk
        return Invalid(t("%(name)s has more than %(limit)s pages; at most %(limit)s are read", name=filename,
                         limit=MAX_PAGES), errors={"file": [t("too many pages")]})
    return Invalid(t("%(name)s has %(count)s pages; at most %(limit)s are read", name=filename, count=count,
                     limit=MAX_PAGES), errors={"file": [t("too many pages")]})


def _ocr(data: bytes, count: int, filename: str) -> list[str]:
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
        raise Invalid(t("%(name)s has no text layer (a scan); OCR is not available on this server (it needs "
                        "tesseract-ocr with tesseract-ocr-vie, and poppler-utils), so give the document as .docx "
                        "or text", name=filename), errors={"file": [t("scanned pdf")]})
    if count > MAX_OCR_PAGES:
        raise Invalid(t("%(name)s is a scan of %(count)s pages; at most %(limit)s are read by OCR", name=filename,
                        count=count, limit=MAX_OCR_PAGES), errors={"file": [t("too many pages")]})
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
        raise Invalid(t("OCR found no text in the scan of %(name)s", name=filename), errors={"file": [t("no text")]})
    return pages
