"""Evidence files are trusted by their bytes, stored once by hash, and read back only by hash."""
from __future__ import annotations

import hashlib
import io
import stat
import struct
import unicodedata
import zipfile
import zlib

import pytest

from engine.errors import Invalid, NotFound
from engine.files.evidence import NOT_ALLOWED, EvidenceStore, safe_name

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
OOXML = "application/vnd.openxmlformats-officedocument."


def png() -> bytes:
    """A real 1x1 white PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def zipped(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(document: bytes = b"<w:document/>") -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                   "word/document.xml": document})


def odf(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    """An OpenDocument-style ZIP: its first entry, stored uncompressed, names the type."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>", zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


class CountingStream(io.BytesIO):
    """An upload that remembers how many bytes were read from it."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.bytes_read = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.bytes_read += len(chunk)
        return chunk


@pytest.fixture
def evidence(tmp_path) -> EvidenceStore:
    return EvidenceStore(tmp_path / "evidence")


def upload(store: EvidenceStore, data: bytes, filename: str, declared: str | None = None):
    return store.store(io.BytesIO(data), filename, declared)


def refusal(store: EvidenceStore, data: bytes, filename: str, declared: str | None = None) -> str:
    with pytest.raises(Invalid) as refused:
        upload(store, data, filename, declared)
    assert refused.value.errors == {"file": [refused.value.message]}
    return refused.value.message


def files_in(store: EvidenceStore) -> list:
    return [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


# Storing


def test_a_pdf_is_stored_under_its_sha256(evidence):
    stored = upload(evidence, PDF, "Báo cáo tháng 9.pdf", "application/pdf")
    digest = hashlib.sha256(PDF).hexdigest()
    assert (stored.sha256, stored.size, stored.content_type, stored.extension) == (
        digest, len(PDF), "application/pdf", ".pdf")
    assert (evidence.root / digest[:2] / digest).read_bytes() == PDF


def test_a_stored_file_is_readable_by_owner_and_group_only(evidence):
    stored = upload(evidence, PDF, "report.pdf", None)
    assert stat.S_IMODE(evidence.path_of(stored.sha256).stat().st_mode) == 0o640


def test_a_stored_file_reads_back_by_its_hash(evidence):
    stored = upload(evidence, png(), "ảnh hiện trường.png", "image/png")
    with evidence.open(stored.sha256) as f:
        assert f.read() == png()


def test_the_same_file_twice_is_stored_once(evidence):
    first = upload(evidence, PDF, "a.pdf", None)
    second = upload(evidence, PDF, "b.pdf", None)
    assert first.sha256 == second.sha256
    assert files_in(evidence) == [evidence.path_of(first.sha256)]


def test_a_second_copy_leaves_the_first_file_untouched(evidence):
    first = evidence.path_of(upload(evidence, PDF, "a.pdf", None).sha256).stat()
    upload(evidence, PDF, "b.pdf", None)
    assert evidence.path_of(hashlib.sha256(PDF).hexdigest()).stat().st_ino == first.st_ino


def test_a_name_without_extension_gets_the_one_its_content_shows(evidence):
    assert upload(evidence, JPEG, "image", "image/jpeg").safe_name == "image.jpg"


def test_an_upper_case_extension_matches_its_content(evidence):
    stored = upload(evidence, JPEG, "IMG_0001.JPEG", "image/jpeg")
    assert (stored.safe_name, stored.extension, stored.content_type) == ("IMG_0001.JPEG", ".jpeg", "image/jpeg")


# Recognising the type by the bytes


def test_a_docx_is_recognised_by_its_zip_entries(evidence):
    stored = upload(evidence, docx(), "Kế hoạch.docx", None)
    assert stored.content_type == OOXML + "wordprocessingml.document"


def test_an_xlsx_is_recognised_by_its_zip_entries(evidence):
    data = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert upload(evidence, data, "số liệu.xlsx", None).content_type == OOXML + "spreadsheetml.sheet"


def test_an_odt_is_recognised_by_its_mimetype_entry(evidence):
    assert upload(evidence, odf(), "biên bản.odt", None).content_type == "application/vnd.oasis.opendocument.text"


def test_an_ods_is_recognised_by_its_mimetype_entry(evidence):
    data = odf("application/vnd.oasis.opendocument.spreadsheet")
    assert upload(evidence, data, "số liệu.ods", None).content_type == "application/vnd.oasis.opendocument.spreadsheet"


def test_a_zip_with_another_mimetype_entry_is_refused(evidence):
    assert refusal(evidence, odf("application/epub+zip"), "sách.odt", None) == NOT_ALLOWED


def test_a_docx_is_recognised_without_decompressing_its_entries(evidence):
    # Corrupting the compressed document makes any attempt to extract it fail.
    data = bytearray(docx(b"<w:document>" + b"x" * 2000 + b"</w:document>"))
    start = data.index(b"word/document.xml") + len("word/document.xml")
    data[start + 2:start + 12] = b"\xff" * 10
    assert upload(evidence, bytes(data), "report.docx", None).extension == ".docx"


def test_a_zip_that_is_not_an_office_file_is_refused(evidence):
    assert refusal(evidence, zipped({"notes.txt": b"hello"}), "report.docx", None) == NOT_ALLOWED


def test_vietnamese_utf8_text_is_stored_as_plain_text(evidence):
    stored = upload(evidence, "Đã hoàn thành 3/5 chỉ tiêu.\n".encode(), "ghi chú.txt", "text/plain")
    assert stored.content_type == "text/plain"


def test_a_csv_that_windows_declares_as_excel_is_accepted(evidence):
    stored = upload(evidence, b"xa,so_ho\nTan Lap,120\n", "so-lieu.csv", "application/vnd.ms-excel")
    assert stored.content_type == "text/csv"


def test_text_with_a_nul_byte_is_refused(evidence):
    assert refusal(evidence, b"xa,so_ho\x00\nTan Lap,120\n", "so-lieu.csv", "text/csv") == NOT_ALLOWED


def test_text_that_is_not_utf8_is_refused(evidence):
    assert refusal(evidence, "Báo cáo".encode("cp1258"), "note.txt", "text/plain") == NOT_ALLOWED


# Refusing


def test_a_png_named_pdf_is_refused(evidence):
    assert refusal(evidence, png(), "report.pdf", "application/pdf") == "The file's name says .pdf but its content is PNG."


def test_an_html_page_is_refused_even_when_named_txt(evidence):
    assert refusal(evidence, HTML, "notes.txt", "text/plain") == NOT_ALLOWED


def test_an_svg_image_is_refused(evidence):
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
    assert refusal(evidence, svg, "logo.svg", "image/svg+xml") == NOT_ALLOWED


def test_a_shell_script_is_refused_even_when_named_txt(evidence):
    assert refusal(evidence, b"#!/bin/sh\nrm -rf /\n", "readme.txt", "text/plain") == NOT_ALLOWED


def test_an_executable_is_refused(evidence):
    assert refusal(evidence, b"MZ\x90\x00\x03\x00\x00\x00", "setup.pdf", None) == NOT_ALLOWED


def test_a_pdf_with_an_executable_extension_is_refused(evidence):
    assert refusal(evidence, PDF, "report.pdf.exe", None) == NOT_ALLOWED


def test_a_declared_type_that_disagrees_with_the_content_is_refused(evidence):
    assert refusal(evidence, PDF, "report.pdf", "text/html").startswith(
        "The file was sent as text/html but its content is PDF")


def test_octet_stream_says_nothing_about_the_type(evidence):
    assert upload(evidence, PDF, "report.pdf", "application/octet-stream").content_type == "application/pdf"


def test_an_empty_file_is_refused(evidence):
    assert refusal(evidence, b"", "report.pdf", "application/pdf").startswith("The file is empty")


def test_an_oversized_upload_stops_reading_and_leaves_nothing_behind(tmp_path):
    store = EvidenceStore(tmp_path / "evidence", max_bytes=100 * 1024)
    stream = CountingStream(PDF + b"0" * (1024 * 1024))
    with pytest.raises(Invalid, match=r"^The file is larger than 100 KiB\.$"):
        store.store(stream, "big.pdf", "application/pdf")
    assert stream.bytes_read == 100 * 1024 + 1
    assert files_in(store) == []


def test_a_refused_upload_leaves_nothing_behind(evidence):
    refusal(evidence, png(), "report.pdf", None)
    assert files_in(evidence) == []


def test_the_default_limit_is_described_in_mebibytes(tmp_path):
    store = EvidenceStore(tmp_path)
    with pytest.raises(Invalid, match=r"^The file is larger than 20 MiB\.$"):
        store.store(io.BytesIO(b"%PDF-" + bytes(20 * 1024 * 1024)), "big.pdf", None)


# Reading back


@pytest.fixture
def nested(tmp_path) -> EvidenceStore:
    """A store two folders deep, so "../" in a hash could reach files beside it."""
    store = EvidenceStore(tmp_path / "a" / "b" / "evidence")
    store.root.mkdir(parents=True)
    return store


@pytest.mark.parametrize("sha256", [
    "../secret",
    "../../secret" + "0" * 52,
    hashlib.sha256(PDF).hexdigest().upper(),
    hashlib.sha256(PDF).hexdigest()[:63],
    hashlib.sha256(PDF).hexdigest() + "\n",
])
def test_a_malformed_hash_cannot_open_a_file(nested, sha256):
    # Plant a file exactly where a naive root / hash[:2] / hash would look.
    planted = nested.root / sha256[:2] / sha256
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(b"secret")
    with pytest.raises(NotFound):
        nested.open(sha256)


def test_an_unknown_hash_is_not_found(evidence):
    with pytest.raises(NotFound):
        evidence.path_of("0" * 64)


# The name offered on download


@pytest.mark.parametrize("filename", [
    "../../etc/Báo cáo.pdf", r"C:\Users\an\Desktop\Báo cáo.pdf", "/tmp/x\\Báo cáo.pdf"])
def test_a_path_in_the_filename_is_dropped(filename):
    assert safe_name(filename) == "Báo cáo.pdf"


def test_a_vietnamese_name_is_kept():
    assert safe_name("Báo cáo tháng 9.pdf") == "Báo cáo tháng 9.pdf"


def test_a_decomposed_vietnamese_name_is_composed():
    # macOS sends names decomposed (NFD); the name is stored composed (NFC).
    assert safe_name(unicodedata.normalize("NFD", "Kết quả.docx")) == unicodedata.normalize("NFC", "Kết quả.docx")


def test_control_characters_and_direction_overrides_are_removed():
    assert safe_name("report\r\n\x00\u202egpj.pdf") == "reportgpj.pdf"


def test_leading_dots_are_removed():
    assert safe_name("..htaccess.txt") == "htaccess.txt"


def test_a_long_name_is_shortened_keeping_its_extension():
    name = safe_name("Kế hoạch " * 40 + ".xlsx")
    assert len(name) == 150 and name.endswith(".xlsx")


@pytest.mark.parametrize("filename", ["", "...", "dir/", "\x00\x01"])
def test_a_name_with_nothing_left_becomes_evidence(filename):
    assert safe_name(filename) == "evidence"
