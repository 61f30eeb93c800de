"""Old Word documents: a Word 97-2003 .doc (an OLE2 compound file) or an RTF, which many provincial offices
still send, read as the .docx LibreOffice makes of it; where LibreOffice is not installed, refused with the
way out (save it as .docx in Word).

A document is told by its first bytes, never by its name: a .docx named .doc is read as a .docx, a text
named .doc as text. LibreOffice runs headless in a folder of its own, with a new profile (so that runs do not
share or lock one), under limits of its own (address space, CPU, file size) and a wall-time budget past
which it is killed with everything it started; the folder is removed afterwards. The .docx it makes is then
read like any other, through every check of ``archive``. LibreOffice runs as ``engine.files.office`` runs it.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

from engine.errors import Invalid
from engine.files.office import SECONDS, TooSlow, convert, libreoffice  # noqa: F401 - libreoffice: for callers
from engine.i18n import t

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .doc, but also .xls, .ppt, a password-protected .docx
RTF = b"{\\rtf"
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream every Word 97-2003 document holds, by its name


def is_legacy(data: bytes) -> bool:
    """Whether ``data`` is an old Office file or an RTF, by its first bytes."""
    return data.startswith((OLE2, RTF))


def docx_from_legacy(data: bytes, filename: str) -> bytes:
    """The .docx LibreOffice makes of an old Word document or an RTF; an ``Invalid`` naming the file where it
    is not a Word document, LibreOffice is not installed, or the conversion fails or overruns its time."""
    if data.startswith(OLE2) and _WORD_STREAM not in data:
        raise Invalid(t("%(name)s is an old Office file but not a Word document (or it is protected by a "
                        "password): give .docx, .pdf or .txt", name=filename),
                      errors={"file": [t("not a word document")]})
    office = libreoffice()
    if office is None:
        raise Invalid(t("%(name)s is an old Word document (.doc or .rtf), which this server cannot read (LibreOffice "
                        "is not installed): open it in Word, save it as .docx and send that", name=filename),
                      errors={"file": [t("old word format")]})
    with tempfile.TemporaryDirectory(prefix="planflow-doc-") as folder:
        source = Path(folder) / ("document.rtf" if data.startswith(RTF) else "document.doc")
        source.write_bytes(data)
        made = _convert(office, source, filename)
        from engine.drafting.reading import MAX_BYTES
        if made is None or made.stat().st_size > MAX_BYTES:
            raise Invalid(t("LibreOffice could not make a .docx of %(name)s: open it in Word, save it as .docx and "
                            "send that", name=filename), errors={"file": [t("conversion failed")]})
        return made.read_bytes()


def _convert(office: str, source: Path, filename: str) -> Path | None:
    try:
        return convert(office, source, "docx:MS Word 2007 XML", "docx")
    except TooSlow:
        raise Invalid(t("%(name)s took LibreOffice longer than %(seconds)s s to convert: open it in Word, save it "
                        "as .docx and send that", name=filename, seconds=SECONDS),
                      errors={"file": [t("too slow")]}) from None
