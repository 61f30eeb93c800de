"""Opening an Office file (a .docx, an .xlsx) with nothing in it taken on trust, before python-docx or openpyxl
reads a byte of it.

Such a file is a zip archive of XML parts. Every member is unpacked here by streaming, with a byte cap, from
the archive's own bytes: the size the header declares is compared with the size that comes out (a part
that unpacks to more than it says is a zip bomb), the checksum is checked, the total and the ratio are
bounded, and encrypted members and compression methods an Office file does not use (ECMA-376 Part 2 allows
stored and deflated) are refused. Every part the reader could parse as XML (by its name or by its content
type) is decoded by its byte-order mark or declaration, searched for a DTD or an entity declaration, then
parsed by lxml with DTDs, entities and the network off. Each refusal is an ``Invalid`` naming the file, the
part and what is wrong with it, in the words of the kind of file it should have been (``OfficeKind``).
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from engine.errors import Invalid
from engine.i18n import Message, t

MIB = 1024 * 1024
MAX_MEMBERS = 1000
MAX_PART_BYTES = 32 * MIB  # any one part, unpacked
MAX_XML_BYTES = 16 * MIB  # an XML part, which is parsed
MAX_UNPACKED = 64 * MIB  # all the parts together
MAX_RATIO = 200  # a part of more than RATIO_FLOOR unpacking to more than this many times its packed size is a bomb
RATIO_FLOOR = MIB
_CHUNK = 64 * 1024
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature, version, flags, method, time, date, crc, sizes, lengths
_END_OF_DIRECTORY = b"PK\x05\x06"
_ENCODINGS = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\xef\xbb\xbf", "utf-8"),
              (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"), (b"\x00\x00\x00<", "utf-32-be"),
              (b"<\x00\x00\x00", "utf-32-le"), (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"))
DECLARED_ENCODING = re.compile(rb"<\?xml[^>]{0,200}?encoding\s{0,20}=\s{0,20}[\"']([^\"']{0,40})[\"']")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
DTD = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_CONTENT_TYPES_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


@dataclass(frozen=True)
class OfficeKind:
    """What the file should be, as its refusals name it: a Word document, an Excel workbook."""

    name: Message  # "Word document": a zip archive but not a Word document
    extension: str  # ".docx": save it as a plain .docx
    writer: str  # "Word": an encoding Word does not write
    holds: Message  # "a plan's .docx": more than a plan's .docx holds
    required: tuple[str, ...]  # the parts without which it is not one
    refusal: str  # the field error of an archive that is not one: "not a docx"


WORD_DOCUMENT = OfficeKind(t("Word document"), ".docx", "Word", t("a plan's .docx"),
                           ("[Content_Types].xml", "word/document.xml"), "not a docx")
EXCEL_WORKBOOK = OfficeKind(t("Excel workbook"), ".xlsx", "Excel", t("a spreadsheet of people or bodies"),
                            ("[Content_Types].xml", "xl/workbook.xml"), "not an xlsx")


def checked_parts(data: bytes, filename: str, kind: OfficeKind) -> dict[str, bytes]:
    """The XML parts of an Office file that passed every check, by name; any member that fails one is refused,
    and so is an archive without the parts ``kind`` requires."""
    entries = _entries(data, filename, kind)
    by_name = {entry.filename: entry for entry in entries}
    parts: dict[str, bytes] = {}
    xml = {name for name in by_name if name.lower().endswith((".xml", ".rels"))}
    if "[Content_Types].xml" in by_name:
        parts["[Content_Types].xml"] = _unpacked(data, by_name["[Content_Types].xml"], filename)
        check_xml(parts["[Content_Types].xml"], "[Content_Types].xml", filename, kind)
        xml |= _typed_as_xml(parts["[Content_Types].xml"], by_name)
    for entry in entries:  # every member, XML or not, is unpacked once: its size and checksum are the real ones
        if entry.filename not in parts:
            content = _unpacked(data, entry, filename)
            if entry.filename in xml:
                check_xml(content, entry.filename, filename, kind)
                parts[entry.filename] = content
    for required in kind.required:
        if required not in parts:
            raise Invalid(t("%(name)s is a zip archive but not a %(kind)s: it has no %(part)s", name=filename,
                            kind=kind.name, part=required), errors={"file": [kind.refusal]})
    return parts


def check_xml(content: bytes, part: str, filename: str, kind: OfficeKind) -> None:
    """Refuse a part that declares a DTD or entities (in any encoding), is in an encoding the kind's program
    does not write, or is not well-formed XML."""
    encoding = _encoding(content)
    try:
        text = content.decode(encoding)
    except UnicodeDecodeError:
        raise _not_xml(filename, part, f"not valid {encoding}") from None
    if text.lstrip("\ufeff \t\r\n")[:1] != "<" or "\x00" in text:  # UTF-16 without its mark, EBCDIC …
        raise _not_xml(filename, part, "it does not begin with '<', or holds a NUL character")
    if DTD.search(text):
        raise Invalid(t("%(name)s declares XML entities (%(part)s); it is not read", name=filename, part=part),
                      errors={"file": [t("xml entities")]})
    if encoding.startswith("utf-32") or encoding == "utf-8" and not _utf8_declared(content):
        declared = DECLARED_ENCODING.match(content)
        raise Invalid(t("%(name)s: the part %(part)s is in an encoding %(writer)s does not write (%(encoding)s)",
                        name=filename, part=part, writer=kind.writer,
                        encoding=declared.group(1).decode("ascii", "replace") if declared else encoding),
                      errors={"file": [t("xml encoding")]})
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             dtd_validation=False, recover=False)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as error:
        raise _not_xml(filename, part, str(error)[:200]) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # the text search above found none: said the same way
        raise Invalid(t("%(name)s declares XML entities (%(part)s); it is not read", name=filename, part=part),
                      errors={"file": [t("xml entities")]})


def _entries(data: bytes, filename: str, kind: OfficeKind) -> list[zipfile.ZipInfo]:
    """The archive's members, refused before any is unpacked if they are too many, twice named, carry macros,
    are encrypted, packed by a method Office files do not use or declared too large."""
    directory = data.rfind(_END_OF_DIRECTORY, max(0, len(data) - 65_557))
    if directory >= 0 and len(data) >= directory + 12:
        declared = struct.unpack_from("<H", data, directory + 10)[0]
        if declared != 0xFFFF and declared > MAX_MEMBERS:
            raise _too_many(filename, declared, kind)
    try:
        entries = [entry for entry in zipfile.ZipFile(io.BytesIO(data)).infolist() if not entry.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, struct.error):
        raise Invalid(t("%(name)s is not a readable %(extension)s (its zip archive is damaged)", name=filename,
                        extension=kind.extension), errors={"file": [kind.refusal]}) from None
    if len(entries) > MAX_MEMBERS:
        raise _too_many(filename, len(entries), kind)
    names = [entry.filename for entry in entries]
    twice = next((name for name, count in Counter(names).items() if count > 1), None)
    if twice is not None:
        raise Invalid(t("%(name)s: the part %(part)s appears twice in the archive; it is not read", name=filename,
                        part=twice), errors={"file": [t("duplicate part")]})
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise Invalid(t("%(name)s carries macros; save it as a plain %(extension)s", name=filename,
                        extension=kind.extension), errors={"file": [t("macros")]})
    for entry in entries:
        _check_declared(entry, filename, kind)
    if sum(entry.file_size for entry in entries) > MAX_UNPACKED:
        raise _bomb(filename)
    return entries


def _check_declared(entry: zipfile.ZipInfo, filename: str, kind: OfficeKind) -> None:
    if entry.flag_bits & 0x1:
        raise Invalid(t("%(name)s: the part %(part)s is encrypted; save the file without a password",
                        name=filename, part=entry.filename), errors={"file": [t("encrypted")]})
    if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise Invalid(t("%(name)s: the part %(part)s is packed by compression method %(method)s, which a %(kind)s "
                        "does not use; save it again from %(writer)s or LibreOffice", name=filename,
                        part=entry.filename, method=entry.compress_type, kind=kind.name, writer=kind.writer),
                      errors={"file": [t("unknown compression")]})
    if entry.file_size > RATIO_FLOOR and entry.file_size > MAX_RATIO * max(entry.compress_size, 1):
        raise _bomb(filename)
    xml = entry.filename.lower().endswith((".xml", ".rels"))
    if entry.file_size > (MAX_XML_BYTES if xml else MAX_PART_BYTES):
        raise Invalid(t("%(name)s: the part %(part)s unpacks to %(size)s MB, more than %(holds)s holds; it is not "
                        "read", name=filename, part=entry.filename, size=entry.file_size // MIB, holds=kind.holds),
                      errors={"file": [t("part too large")]})


def _unpacked(data: bytes, entry: zipfile.ZipInfo, filename: str) -> bytes:
    """A member's bytes, unpacked from the archive by streaming and never past its declared size."""
    start = _data_start(data, entry, filename)
    raw = memoryview(data)[start:start + entry.compress_size]
    if len(raw) < entry.compress_size:
        raise _damaged(filename, entry.filename)
    if entry.compress_type == zipfile.ZIP_STORED:
        content = bytes(raw)
    else:
        content = _inflated(raw, entry.file_size, filename, entry.filename)
    if len(content) != entry.file_size:
        raise _damaged(filename, entry.filename)
    if zlib.crc32(content) & 0xFFFFFFFF != entry.CRC:
        raise Invalid(t("%(name)s: the part %(part)s is damaged (its checksum does not match); it is not read",
                        name=filename, part=entry.filename), errors={"file": [t("bad crc")]})
    return content


def _data_start(data: bytes, entry: zipfile.ZipInfo, filename: str) -> int:
    header = data[entry.header_offset:entry.header_offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size:
        raise _damaged(filename, entry.filename)
    signature, _, flags, _, _, _, _, _, _, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    name_start = entry.header_offset + _LOCAL_HEADER.size
    name = data[name_start:name_start + name_length].decode("utf-8" if entry.flag_bits & 0x800 else "cp437",
                                                            "replace")
    if signature != b"PK\x03\x04" or name != entry.orig_filename or flags & 0x1:
        raise _damaged(filename, entry.filename)
    return name_start + name_length + extra_length


def _inflated(raw: memoryview, declared: int, filename: str, part: str) -> bytes:
    """Deflated bytes unpacked a chunk at a time; more than ``declared`` bytes out is a bomb, whatever the
    header said."""
    inflater = zlib.decompressobj(-15)
    out, position = bytearray(), 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                chunk = inflater.unconsumed_tail
            else:
                chunk, position = raw[position:position + _CHUNK], position + _CHUNK
            piece = inflater.decompress(chunk, _CHUNK)
            if not piece and len(inflater.unconsumed_tail) == len(chunk) > 0:
                break  # no progress: a stream zlib cannot take further
            out += piece
            if len(out) > declared:
                raise Invalid(t("%(name)s: the part %(part)s unpacks to more than its declared size (a zip bomb); "
                                "it is not read", name=filename, part=part), errors={"file": [t("zip bomb")]})
            if not piece and not inflater.unconsumed_tail and position >= len(raw):
                break  # the input is spent and nothing more comes out
    except zlib.error:
        raise _damaged(filename, part) from None
    if not inflater.eof:
        raise _damaged(filename, part)
    return bytes(out)


def _typed_as_xml(content_types: bytes, names: Iterable[str]) -> set[str]:
    """The parts [Content_Types].xml gives an XML content type, which the reader would parse whatever their
    name."""
    from lxml import etree
    root = etree.fromstring(content_types, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))
    defaults, overrides = {}, {}
    for element in root:
        kind = str(element.get("ContentType") or "").lower()
        if element.tag == f"{_CONTENT_TYPES_NS}Default":
            defaults[str(element.get("Extension") or "").lower()] = kind
        elif element.tag == f"{_CONTENT_TYPES_NS}Override":
            overrides[str(element.get("PartName") or "").lower()] = kind
    typed = set()
    for name in names:
        kind = overrides.get("/" + name.lower()) or defaults.get(name.rsplit(".", 1)[-1].lower())
        if kind and kind.endswith("xml"):
            typed.add(name)
    return typed


def _encoding(content: bytes) -> str:
    """The encoding of an XML document by its first bytes (XML 1.0, appendix F); UTF-8 when they say nothing."""
    return next((name for mark, name in _ENCODINGS if content.startswith(mark)), "utf-8")


def _utf8_declared(content: bytes) -> bool:
    """Whether an XML document read as UTF-8 declares no encoding, or UTF-8 (or its ASCII subset)."""
    declared = DECLARED_ENCODING.match(content[3:] if content.startswith(b"\xef\xbb\xbf") else content)
    return declared is None or declared.group(1).decode("ascii", "replace").lower() in _UTF8_NAMES


def _too_many(filename: str, count: int, kind: OfficeKind) -> Invalid:
    return Invalid(t("%(name)s has %(count)s parts; a %(kind)s has a few dozen, so it is not read",
                     name=filename, count=count, kind=kind.name), errors={"file": [t("too many parts")]})


def _bomb(filename: str) -> Invalid:
    return Invalid(t("%(name)s unpacks to far more than it weighs (a zip bomb); it is not read", name=filename),
                   errors={"file": [t("zip bomb")]})


def _damaged(filename: str, part: str) -> Invalid:
    return Invalid(t("%(name)s: the part %(part)s is damaged (its packed data does not match its header); it is "
                     "not read", name=filename, part=part), errors={"file": [t("damaged part")]})


def _not_xml(filename: str, part: str, reason: str) -> Invalid:
    return Invalid(t("%(name)s: the part %(part)s is not well-formed XML (%(reason)s); it is not read",
                     name=filename, part=part, reason=reason), errors={"file": [t("not xml")]})
