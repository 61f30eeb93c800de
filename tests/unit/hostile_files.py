"""Hostile plan documents, made byte by byte: a minimal Word document and the ways to break it (a zip archive
whose headers say what the test wants), a PDF of a hundred thousand pages, texts that send a parser into
quadratic time. Each builder takes milliseconds; none needs a file on disk."""
from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/>'
                 '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
                 'wordprocessingml.document.main+xml"/></Types>')
RELATIONSHIPS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                 'officeDocument" Target="word/document.xml"/></Relationships>')
PLAN = ("UBND TỈNH QUẢNG NGÃI CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Số: 12/KH-UBND",
        "Quảng Ngãi, ngày 2 tháng 3 năm 2023", "KẾ HOẠCH", "Tuyên truyền pháp luật năm 2023",
        "II. NỘI DUNG THỰC HIỆN", "1. Tuyên truyền trên báo chí",
        "(Sở Thông tin và Truyền thông chủ trì, Công an tỉnh phối hợp thực hiện trong tháng 4/2023)",
        "IV. TỔ CHỨC THỰC HIỆN", "1. Giao Công an tỉnh là cơ quan thường trực.")
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def body(lines=PLAN, head: str = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>') -> str:
    """word/document.xml holding ``lines`` as paragraphs, after ``head`` (a declaration, a DTD …)."""
    paragraphs = "".join(f"<w:p><w:r><w:t>{line}</w:t></w:r></w:p>" for line in lines)
    return f'{head}<w:document xmlns:w="{W}"><w:body>{paragraphs}</w:body></w:document>'


@dataclass
class Member:
    """One member of a zip archive, its header fields as the test wants them (by default, the truth)."""

    name: str
    content: bytes
    method: int = 8  # deflated
    flags: int = 0
    crc: int | None = None
    size: int | None = None  # the unpacked size the headers declare
    packed: bytes | None = None  # the bytes stored, when not the content packed by ``method``

    def stored(self) -> bytes:
        if self.packed is not None:
            return self.packed
        if self.method == 8:
            packer = zlib.compressobj(6, zlib.DEFLATED, -15)
            return packer.compress(self.content) + packer.flush()
        return self.content


def word_members(parts: dict[str, bytes | str | None] | None = None) -> list[Member]:
    """The members of a minimal Word document; ``parts`` adds or replaces parts by name (None: leaves it out)."""
    members = {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": RELATIONSHIPS, "word/document.xml": body()}
    members.update(parts or {})
    return [Member(name, content.encode() if isinstance(content, str) else content)
            for name, content in members.items() if content is not None]


def zip_of(members: list[Member]) -> bytes:
    """A zip archive written field by field, so that its headers may lie."""
    out, directory = bytearray(), bytearray()
    for member in members:
        name, stored = member.name.encode(), member.stored()
        crc = zlib.crc32(member.content) if member.crc is None else member.crc
        size = len(member.content) if member.size is None else member.size
        offset = len(out)
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, member.flags, member.method, 0, 0x21, crc, len(stored),
                           size, len(name), 0) + name + stored
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, member.flags, member.method, 0, 0x21, crc,
                                 len(stored), size, len(name), 0, 0, 0, 0, 0, offset) + name
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(out), 0)
    return bytes(out + directory + end)


def word(parts: dict[str, bytes | str | None] | None = None) -> bytes:
    return zip_of(word_members(parts))


def deflated_zeros(mebibytes: int) -> bytes:
    """A raw deflate stream of ``mebibytes`` MiB of zeros, about a thousandth of that: one block, repeated."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = packer.compress(b"\0" * (1 << 20)) + packer.flush(zlib.Z_FULL_FLUSH)
    return block * mebibytes + packer.flush()


def zip_bomb(declared: int | None = 1000) -> bytes:
    """A 1 MB .docx whose body unpacks to 1 GiB, its headers declaring ``declared`` bytes (None: the truth)."""
    members = word_members()
    members[2] = Member("word/document.xml", b"", packed=deflated_zeros(1024), crc=0,
                        size=(1 << 30) if declared is None else declared)
    return zip_of(members)


def pdf_of_pages(count: int = 99_000, declared: int | None = None) -> bytes:
    """A PDF of ``count`` pages sharing one content stream (14 MB for 99,000), its page tree declaring
    ``declared`` pages (by default, the truth)."""
    content = b"BT /F1 12 Tf 72 712 Td (Ke hoach) Tj ET"
    kids = b" ".join(b"%d 0 R" % (number + 5) for number in range(count))
    objects = [b"<</Type/Catalog/Pages 2 0 R>>",
               b"<</Type/Pages/Count %d/Kids[%s]>>" % (count if declared is None else declared, kids),
               b"<</Length %d>>stream\n%s\nendstream" % (len(content), content),
               b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>"]
    page = b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>>>/Contents 3 0 R>>"
    return pdf_of(objects + [page] * count)


def pdf_of_shared_pages(fan_out: int = 315, declared: int = 1) -> bytes:
    """A PDF of a few hundred bytes whose page tree holds fan_out² pages: each node lists one node (then one
    page) ``fan_out`` times, and the root declares ``declared`` pages."""
    twice = b" ".join([b"3 0 R"] * fan_out)
    once = b" ".join([b"4 0 R"] * fan_out)
    return pdf_of([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Count %d/Kids[%s]>>" % (declared, twice),
                   b"<</Type/Pages/Parent 2 0 R/Count %d/Kids[%s]>>" % (fan_out, once),
                   b"<</Type/Page/Parent 3 0 R/MediaBox[0 0 595 842]>>"])


def pdf_of_a_heavy_page(mebibytes: int = 10) -> bytes:
    """A one-page PDF whose drawing instructions unpack to ``mebibytes`` MiB of spaces, packed in a few KB."""
    packed = zlib.compress(b" " * (mebibytes << 20), 9)
    return pdf_of([b"<</Type/Catalog/Pages 2 0 R>>", b"<</Type/Pages/Count 1/Kids[3 0 R]>>",
                   b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R>>",
                   b"<</Length %d/Filter/FlateDecode>>stream\n%s\nendstream" % (len(packed), packed)])


def pdf_of(objects: list[bytes]) -> bytes:
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj" % number + content + b"endobj\n"
    start = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, start)
    return bytes(out)


def names_sentence(count: int = 400) -> str:
    """One assignment sentence naming ``count`` agencies, separated by commas (5.4 KB for 400)."""
    return "(" + ", ".join(f"Đơn vị số {number}" for number in range(count)) + " chủ trì thực hiện trong tháng 4/2023)"


def plan_with(*lines: str, organisation: tuple[str, ...] = ()) -> str:
    """The short plan with ``lines`` as the body of its first item, and ``organisation`` after TỔ CHỨC THỰC HIỆN."""
    return "\n".join(PLAN[:7] + lines + ("IV. TỔ CHỨC THỰC HIỆN",) + (organisation or PLAN[9:])) + "\n"
