"""The spreadsheets of a province's people and bodies: their columns (Vietnamese headers first, English ones
accepted, either matched without case or diacritics), and the words their cells are written in (roles as
people say them, days as Vietnamese and Excel write them, lists).

A row's problems are kept by field until the whole file has been read, so that every wrong row is shown at
once; a header that does not fit refuses the file at once, naming the row it is on.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from engine.errors import Invalid
from engine.files.sheets import Sheet
from engine.i18n import Message, t
from engine.model.actors import ROLES
from engine.model.search import folded

PEOPLE_SHEET = "Người dùng"
AGENCY_SHEET = "Cơ quan"
#: How many rows above its header a sheet may give its title in.
TITLE_ROWS = 5


@dataclass(frozen=True)
class Column:
    """A column: the field it fills, its headers (the first is what an export writes), whether a file must
    have it."""

    field: str
    headers: tuple[str, ...]
    required: bool = False


PEOPLE = (
    Column("username", ("Tên đăng nhập", "username", "Tài khoản"), True),
    Column("display_name", ("Họ và tên", "display_name", "Họ tên", "name"), True),
    Column("email", ("Thư điện tử", "Email", "E-mail", "Địa chỉ thư điện tử")),
    Column("agency", ("Cơ quan", "agency", "Đơn vị"), True),
    Column("roles", ("Vai trò", "roles", "role"), True),
    Column("province", ("Tỉnh", "province", "Tỉnh/thành phố")),
)
AGENCIES = (
    Column("code", ("Mã", "code", "Mã cơ quan"), True),
    Column("name", ("Tên", "name", "Tên cơ quan"), True),
    Column("short_name", ("Tên ngắn", "short_name", "Tên viết tắt")),
    Column("province", ("Tỉnh", "province", "Tỉnh/thành phố")),
    Column("level", ("Cấp", "level")),
    Column("kind", ("Loại", "kind")),
    Column("parent", ("Cơ quan cấp trên", "parent")),
    Column("groups", ("Nhóm", "groups")),
    Column("aliases", ("Tên khác", "aliases")),
    Column("valid_from", ("Từ ngày", "valid_from")),
    Column("valid_until", ("Đến ngày", "valid_until")),
)

#: Roles as people write them, folded: the codes, their English labels and the Vietnamese words.
ROLE_WORDS = {
    **{code: code for code in ROLES},
    "dieu phoi": "coordinator", "dieu phoi vien": "coordinator",
    "can bo": "agency_member", "chuyen vien": "agency_member", "agency officer": "agency_member",
    "phe duyet": "approver", "lanh dao": "approver",
    "kiem tra": "auditor", "kiem tra vien": "auditor",
    "quan tri": "admin", "quan tri vien": "admin", "administrator": "admin",
}
#: How an export writes each role (and an import reads it back).
ROLE_NAMES = {"coordinator": "điều phối", "agency_member": "cán bộ", "approver": "phê duyệt", "auditor": "kiểm tra",
              "admin": "quản trị"}
EXCEL_EPOCH = date(1899, 12, 30)  # day 0 of Excel's (Lotus's) count, 1900's missing 29 February included
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_LIST = re.compile(r"[;\n]")
_COMMAS = re.compile(r"[;,\n]")  # roles and groups: by commas too


@dataclass
class Row:
    """A row of the sheet: its number there, its cells by field (blank: ''), and its problems by field."""

    number: int
    values: dict[str, str]
    problems: dict[str, list[Message]] = field(default_factory=dict)

    def problem(self, name: str, message: Message) -> None:
        self.problems.setdefault(name, []).append(message)


def header(columns: tuple[Column, ...]) -> list[str]:
    """The header an export writes."""
    return [column.headers[0] for column in columns]


def rows_of(sheet: Sheet, columns: tuple[Column, ...], filename: str) -> list[Row]:
    """Each row's cells by field. Refused when the header is not one: it names none of the columns (a file with
    no header), lacks a required one, names one twice or names one planflow does not read."""
    sheet = _below_its_title(sheet, columns)
    fields = _fields_of(sheet, columns, filename)
    rows = []
    for number, cells in sheet.rows:
        row = Row(number, {column.field: "" for column in columns})
        for index, cell in enumerate(cells):
            name = fields[index] if index < len(fields) else ""
            if name:
                row.values[name] = cell
            elif cell:
                row.problem("columns", t("a value (%(value)s) in a column with no header", value=cell[:60]))
        rows.append(row)
    return rows


def _below_its_title(sheet: Sheet, columns: tuple[Column, ...]) -> Sheet:
    """The sheet with its header where it is: a list often opens with a title ("DANH SÁCH CÁN BỘ …") a few rows
    above the columns. The first of its first rows that names a column is the header; else the first row."""
    known = {_key(text) for column in columns for text in column.headers}
    candidates = [(sheet.header_row, sheet.header), *sheet.rows[:TITLE_ROWS]]
    for index, (number, cells) in enumerate(candidates):
        if any(_key(cell) in known for cell in cells):
            return Sheet(cells, number, sheet.rows[index:])
    return sheet


def _fields_of(sheet: Sheet, columns: tuple[Column, ...], filename: str) -> list[str]:
    known = {_key(text): column for column in columns for text in column.headers}
    fields, problems = [], []
    for text in sheet.header:
        column = known.get(_key(text))
        if not text:
            column = None  # a blank header: whatever is written below it is the row's problem
        elif column is None:
            problems.append(t("the column '%(header)s' is not one planflow reads; the columns are %(columns)s",
                              header=text, columns=", ".join(header(columns))))
        elif column.field in fields:
            problems.append(t("the column %(header)s appears twice", header=column.headers[0]))
        fields.append(column.field if column is not None else "")
    if not any(fields):
        raise Invalid(t("%(name)s has no header row: its first row names none of the columns %(columns)s",
                        name=filename, columns=", ".join(header(columns))),
                      errors={f"row {sheet.header_row}.columns": [t("no header")]})
    for column in columns:
        if column.required and column.field not in fields:
            problems.append(t("the column %(header)s is missing", header=column.headers[0]))
    if problems:
        raise Invalid(t("the header of %(name)s (row %(row)s) is not the one planflow reads: %(first)s",
                        name=filename, row=sheet.header_row, first=problems[0]),
                      errors={f"row {sheet.header_row}.columns": problems})
    return fields


def _key(text: str) -> str:
    return folded(text).replace("_", " ").replace("-", " ")


def roles_of(text: str) -> tuple[tuple[str, ...], Message | None]:
    """The roles a cell names (separated by commas or semicolons), and what is wrong with it, if anything."""
    words = [word for word in _COMMAS.split(text) if word.strip()]
    if not words:
        return (), t("write one or more of: điều phối, cán bộ, phê duyệt, kiểm tra, quản trị")
    roles, unknown = [], []
    for word in words:
        role = ROLE_WORDS.get(folded(word))
        if role is None:
            unknown.append(word.strip())
        elif role not in roles:
            roles.append(role)
    if unknown:
        return tuple(roles), t("'%(value)s' is not a role; write one or more of: điều phối, cán bộ, phê duyệt, "
                               "kiểm tra, quản trị", value=", ".join(unknown))
    return tuple(roles), None


def role_names(roles) -> str:
    return ", ".join(ROLE_NAMES.get(role, role) for role in ROLES if role in set(roles))


def day_of(text: str) -> tuple[date | None, Message | None]:
    """A day written YYYY-MM-DD, DD/MM/YYYY or as Excel's number of the day; (None, None) for a blank."""
    text = text.strip()
    if not text:
        return None, None
    try:
        if _DAY_MONTH_YEAR.fullmatch(text):
            day, month, year = (int(part) for part in _DAY_MONTH_YEAR.fullmatch(text).groups())
            return date(year, month, day), None
        if text.isdigit() and 1 <= int(text) <= 2_958_465:
            return EXCEL_EPOCH + timedelta(days=int(text)), None
        return date.fromisoformat(text[:10]) if len(text) in (10, 19) else date.fromisoformat(text), None
    except ValueError:
        return None, t("'%(value)s' is not a day; write it as 2025-07-01 or 01/07/2025", value=text)


def items_of(text: str, groups: bool = False) -> tuple[str, ...]:
    """The items of a list cell: separated by ';' (groups: also by ',')."""
    return tuple(dict.fromkeys(part.strip() for part in (_COMMAS if groups else _LIST).split(text) if part.strip()))
