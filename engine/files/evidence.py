"""Evidence files (minh chứng): the file-level rules for storing and reading them.

An upload is trusted by its bytes, never by its name or the browser's word: the
type is sniffed from magic bytes (and, for Office files, the ZIP's central
directory), and the name and declared type must agree with it. Files are
content-addressed by SHA-256, so the same report attached twice is stored once
and no stored path is ever built from user input. The service layer records
rows and authorises; this module knows nothing of databases or Flask.
"""
from __future__ import annotations

import codecs
import hashlib
import os
import re
import tempfile
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from engine.errors import Invalid, NotFound
from engine.i18n import N_, t

CHUNK = 64 * 1024
HEAD = 512  # enough bytes to recognise every allowed type by its magic
MAX_NAME = 150
FILE_MODE = 0o640
NOT_ALLOWED = N_("Files of this type cannot be attached as evidence (allowed: PDF, images, Word, Excel, "
                 "PowerPoint, OpenDocument, text).")
_HASH = re.compile(r"[0-9a-f]{64}")
# Characters Windows refuses in a file name; the name is offered on download.
_RESERVED = re.compile(r'[<>:"|?*]')


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    size: int
    content_type: str
    safe_name: str
    extension: str  # lower case with the dot, e.g. ".pdf"


@dataclass(frozen=True)
class _Kind:
    """An allowed type: its name for people, its extensions and the types browsers declare for it."""

    label: str
    types: dict[str, str]  # extension -> content type stored for it
    also_declared: frozenset[str] = frozenset()

    def accepts_declared(self, declared: str) -> bool:
        return declared in self.types.values() or declared in self.also_declared


_OOXML = "application/vnd.openxmlformats-officedocument."
_ODF = "application/vnd.oasis.opendocument."
PDF = _Kind("PDF", {".pdf": "application/pdf"})
PNG = _Kind("PNG", {".png": "image/png"})
JPEG = _Kind("JPEG", {".jpg": "image/jpeg", ".jpeg": "image/jpeg"}, frozenset({"image/pjpeg", "image/jpg"}))
GIF = _Kind("GIF", {".gif": "image/gif"})
WEBP = _Kind("WebP", {".webp": "image/webp"})
DOCX = _Kind("Word", {".docx": _OOXML + "wordprocessingml.document"})
XLSX = _Kind("Excel", {".xlsx": _OOXML + "spreadsheetml.sheet"})
PPTX = _Kind("PowerPoint", {".pptx": _OOXML + "presentationml.presentation"})
ODT = _Kind(N_("OpenDocument text"), {".odt": _ODF + "text"})
ODS = _Kind(N_("OpenDocument spreadsheet"), {".ods": _ODF + "spreadsheet"})
# Windows browsers declare .csv as Excel's type when Excel is installed.
TEXT = _Kind(N_("text"), {".txt": "text/plain", ".csv": "text/csv"},
             frozenset({"application/vnd.ms-excel", "application/csv", "text/x-csv"}))
ALLOWED_EXTENSIONS = frozenset(ext for kind in (PDF, PNG, JPEG, GIF, WEBP, DOCX, XLSX, PPTX, ODT, ODS, TEXT)
                               for ext in kind.types)
_OOXML_FOLDERS = (("word/", DOCX), ("xl/", XLSX), ("ppt/", PPTX))
_ODF_MIMETYPES = {(_ODF + "text").encode(): ODT, (_ODF + "spreadsheet").encode(): ODS}


class EvidenceStore:
    """Evidence files under ``root``, which must lie outside any web root."""

    def __init__(self, root: Path, max_bytes: int = 20 * 1024 * 1024) -> None:
        self.root = Path(root)
        self.max_bytes = max_bytes

    def store(self, stream: BinaryIO, filename: str, declared_type: str | None) -> StoredFile:
        """Check an upload and keep it; raises ``Invalid`` (errors under "file") and keeps nothing if refused."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(dir=self.root, prefix=".upload-")
        temp = Path(temp_name)
        try:
            with os.fdopen(fd, "wb") as out:
                digest, size, head, is_text = self._copy(stream, out)
                out.flush()
                os.fsync(out.fileno())
            name = safe_name(filename)
            kind = _sniff(head, temp, is_text)
            extension = _check(kind, name, declared_type)
            if not Path(name).suffix:
                name += extension  # a camera's "image" becomes "image.jpg"
            final = self._path(digest)
            final.parent.mkdir(exist_ok=True)
            if final.exists():
                temp.unlink()
            else:
                os.chmod(temp, FILE_MODE)
                os.replace(temp, final)
        except BaseException:
            temp.unlink(missing_ok=True)
            raise
        return StoredFile(digest, size, kind.types[extension], name, extension)

    def open(self, sha256: str) -> BinaryIO:
        """A stored file opened for reading; ``NotFound`` for a malformed or unknown hash."""
        return self.path_of(sha256).open("rb")

    def path_of(self, sha256: str) -> Path:
        """Where a stored file lies, for senders that stream from a path."""
        path = self._path(sha256)
        if not path.is_file():
            raise NotFound(t("The evidence file was not found; it may have been removed."))
        return path

    def _path(self, sha256: str) -> Path:
        # Only a well-formed hash ever becomes a path, so "../" and friends cannot.
        if not isinstance(sha256, str) or not _HASH.fullmatch(sha256):
            raise NotFound(t("The evidence file was not found; it may have been removed."))
        return self.root / sha256[:2] / sha256

    def _copy(self, stream: BinaryIO, out: BinaryIO) -> tuple[str, int, bytes, bool]:
        """Copy in chunks, hashing and measuring, stopping one byte past the limit."""
        digest = hashlib.sha256()
        decoder = codecs.getincrementaldecoder("utf-8")()
        size, head, is_text = 0, b"", True
        while chunk := stream.read(min(CHUNK, self.max_bytes + 1 - size)):
            size += len(chunk)
            if size > self.max_bytes:
                raise _refuse(t("The file is larger than %(size)s.", size=_describe_size(self.max_bytes)))
            digest.update(chunk)
            out.write(chunk)
            if len(head) < HEAD:
                head += chunk[:HEAD - len(head)]
            if is_text:
                is_text = _decodes(decoder, chunk)
        if size == 0:
            raise _refuse(t("The file is empty; choose the file again and re-upload it."))
        return digest.hexdigest(), size, head, is_text and _decodes(decoder, b"", final=True)


def safe_name(filename: str) -> str:
    """The name shown and offered on download: a plain base name that cannot name a path."""
    name = re.split(r"[/\\]", filename or "")[-1]
    name = unicodedata.normalize("NFC", name)
    # Cc are control characters; Cf includes the right-to-left override that disguises "gpj.exe".
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf"))
    name = _RESERVED.sub("_", name).strip().lstrip(".").rstrip(". ")
    if len(name) > MAX_NAME:
        stem, suffix = os.path.splitext(name)
        if 1 < len(suffix) <= 10:
            name = stem[:MAX_NAME - len(suffix)].rstrip(". ") + suffix
        else:
            name = name[:MAX_NAME].rstrip(". ")
    return name or "evidence"


def _sniff(head: bytes, path: Path, is_text: bool) -> _Kind:
    """The allowed type the bytes show, or ``Invalid`` if they show none."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head.startswith(b"PK\x03\x04"):
        if kind := _office_kind(path):
            return kind
    elif is_text and not _looks_executable(head):
        return TEXT
    raise _refuse(t(NOT_ALLOWED))


def _office_kind(path: Path) -> _Kind | None:
    """Office files are ZIPs. Only the central directory and ODF's tiny "mimetype"
    entry are read, so a zip bomb is never unpacked."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" in names:
                for folder, kind in _OOXML_FOLDERS:
                    if any(n.startswith(folder) for n in names):
                        return kind
            if "mimetype" not in names or archive.getinfo("mimetype").file_size > 100:
                return None
            with archive.open("mimetype") as entry:
                return _ODF_MIMETYPES.get(entry.read(101).strip())
    # BadZipFile, zlib.error, RuntimeError (encrypted) …: each means "not an Office file".
    except Exception:  # noqa: BLE001 - a malformed archive fails in many ways
        return None


def _looks_executable(head: bytes) -> bool:
    """Markup (HTML, SVG, XML) and scripts a browser or shell might run, though they decode as text."""
    start = head.removeprefix(codecs.BOM_UTF8).lstrip()
    return start.startswith((b"<", b"#!"))


def _check(kind: _Kind, name: str, declared_type: str | None) -> str:
    """The extension to keep; the name is checked before the browser's word, which derives from it."""
    extension = Path(name).suffix.lower()
    if extension and extension not in ALLOWED_EXTENSIONS:
        raise _refuse(t(NOT_ALLOWED))
    if extension and extension not in kind.types:
        raise _refuse(t("The file's name says %(extension)s but its content is %(kind)s.", extension=extension,
                        kind=t(kind.label)))
    declared = (declared_type or "").split(";")[0].strip().lower()
    if declared and declared != "application/octet-stream" and not kind.accepts_declared(declared):
        raise _refuse(t("The file was sent as %(declared)s but its content is %(kind)s; save it again in its real "
                        "format and re-upload it.", declared=declared, kind=t(kind.label)))
    return extension or next(iter(kind.types))


def _decodes(decoder: codecs.IncrementalDecoder, chunk: bytes, final: bool = False) -> bool:
    if b"\0" in chunk:
        return False
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def _describe_size(size: int) -> str:
    for unit, factor in (("MiB", 1024 * 1024), ("KiB", 1024)):
        if size >= factor and size % factor == 0:
            return f"{size // factor} {unit}"
    return f"{size} bytes"


def _refuse(message: str) -> Invalid:
    return Invalid(message, errors={"file": [message]})
