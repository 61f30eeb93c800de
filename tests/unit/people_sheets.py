"""Spreadsheets of people as a provincial administrator of Lâm Đồng brings them: thirty people of its departments
and communes, written as .xlsx or CSV, and the malformed files that must be refused (a zip bomb made byte by
byte among them)."""
from __future__ import annotations

import csv
import io

from tests.unit import hostile_files as hostile

HEADER = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Cơ quan", "Vai trò", "Tỉnh"]
#: Where the thirty work, as an administrator writes it: codes, and names as the directory writes them.
BODIES = ["LDG-STP", "Sở Tư pháp", "UBND phường Xuân Hương - Đà Lạt", "Ủy ban nhân dân xã Lạc Dương", "LDG-CA",
          "Sở Y tế", "Văn phòng UBND tỉnh", "ldg-snv", "UBND phường 1 Bảo Lộc", "Sở Nông nghiệp và Môi trường"]
ROLES = ["cán bộ", "chuyên viên", "lãnh đạo", "phê duyệt, cán bộ", "agency_member"]


def thirty() -> list[list[str]]:
    """Thirty people of Lâm Đồng: every third has no e-mail address (their link is handed over)."""
    return [[f"canbo{number:02}.ldg", f"Nguyễn Văn {number:02}",
             "" if number % 3 == 0 else f"canbo{number:02}@lamdong.gov.vn", BODIES[number % len(BODIES)],
             ROLES[number % len(ROLES)], "Lâm Đồng" if number % 2 else ""] for number in range(1, 31)]


def xlsx(rows: list[list], header: list[str] | None = HEADER, title: str = "Người dùng") -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in ([header] if header else []) + rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_of(rows: list[list], header: list[str] | None = HEADER, encoding: str = "utf-8-sig",
           delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter)
    for row in ([header] if header else []) + rows:
        writer.writerow(row)
    return out.getvalue().encode(encoding)


def with_row(row: list[str], at: int = 5) -> list[list[str]]:
    """The thirty, ``row`` put in among them (at sheet row ``at + 2``: the header is row 1)."""
    rows = thirty()
    rows.insert(at, row)
    return rows


WORKBOOK = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets/></workbook>')


def xlsx_bomb(declared: int | None = 1000, mebibytes: int = 512) -> bytes:
    """An .xlsx of a few hundred kilobytes whose sheet unpacks to ``mebibytes`` MiB, its headers declaring
    ``declared`` bytes (None: the truth, a ratio no workbook has)."""
    sheet = hostile.Member("xl/worksheets/sheet1.xml", b"", packed=hostile.deflated_zeros(mebibytes), crc=0,
                           size=(mebibytes << 20) if declared is None else declared)
    return hostile.zip_of([hostile.Member("[Content_Types].xml", hostile.CONTENT_TYPES.encode()),
                           hostile.Member("xl/workbook.xml", WORKBOOK.encode()), sheet])
