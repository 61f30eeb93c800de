"""A plan's task table: its header row found by its words, whatever their order, and each row read by them.

Plans put their tasks in a table, in the body or in an appendix (Phụ lục), with columns such as
``STT | Nhiệm vụ | Sản phẩm | Thời gian hoàn thành | Chủ trì thực hiện | Phối hợp thực hiện`` or ``TT | Tên
nhiệm vụ | Sở, ngành chủ trì tham mưu | Đơn vị phối hợp thực hiện | Thời gian thực hiện | Ghi chú``. A row
numbered with a Roman numeral or a capital letter and nothing else is a group (the area its rows belong
to); a row with neither number nor task but a product of its own is one more task of the row above (a task
with two products and two deadlines); a row with fewer cells than the header had a cell merged across
columns, and is read from both ends.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.drafting.reading import Paragraph
from engine.model import search

#: What a header cell's words say the column holds, tried in order (folded words → the column's role).
COLUMN_WORDS = (
    ("lead", ("chu tri",)),
    ("coordinating", ("phoi hop",)),
    ("time", ("thoi gian", "thoi han", "tien do", "hoan thanh", "moc thoi gian")),
    ("outputs", ("san pham", "ket qua du kien", "hinh thuc van ban", "ket qua dau ra")),
    ("follow_up", ("theo doi", "don doc")),
    ("note", ("ghi chu",)),
    ("performers", ("don vi thuc hien", "co quan thuc hien", "thuc hien", "don vi", "co quan")),
    ("title", ("nhiem vu", "noi dung", "cong viec", "hoat dong", "ten de an", "giai phap", "ten")),
)
HEADER_CELL = 60
NUMBER_CELLS = ("stt", "tt", "so tt", "so thu tu")
ROW_NUMBER = re.compile(r"^(\d{1,3}(?:\.\d{1,2}){0,3})\.?$")
COLUMN_NUMBER = re.compile(r"\(?\d{1,2}\)?")
LETTER_LABEL = re.compile(r"^[a-zđ]\)?\.?$")
#: What a lettered row takes from the row above it when its own cell is empty.
INHERITED = ("lead", "coordinating", "time")
GROUP_NUMBER = re.compile(r"^(?:[IVX]{1,5}|[A-Z]|[a-zđ]\)?|Phần\s+[IVX]{1,5})\.?$")


@dataclass
class TableRow:
    """A task of the table: its number, and the text of each column that holds something, with where it is."""

    number: str
    group: str | None  # the number of the group row above it
    cells: dict[str, tuple[str, int]] = field(default_factory=dict)  # role → (text, start in the paragraph)
    paragraph: Paragraph | None = None


@dataclass
class TableGroup:
    number: str
    title: str
    paragraph: Paragraph


def header_of(cells: list[str]) -> list[str] | None:
    """Each column's role, if the row is a task table's header: it names the task and who or when."""
    if any(len(cell) > HEADER_CELL for cell in cells):
        return None  # a header names its columns in a few words
    roles = []
    for cell in cells:
        folded = f" {search.folded(cell).strip(' .')} "
        if folded.strip() in NUMBER_CELLS:
            roles.append("number")
            continue
        roles.append(next((role for role, words in COLUMN_WORDS if any(f" {w} " in folded for w in words)), ""))
    if "title" not in roles or not {"lead", "performers", "time"} & set(roles) or len(set(roles) - {""}) < 3:
        return None
    if "lead" in roles and "performers" in roles:  # "Đơn vị chủ trì" beside "Đơn vị thực hiện": the latter helps
        roles = ["coordinating" if role == "performers" and "coordinating" not in roles else role for role in roles]
    return roles


def read_rows(rows: list[Paragraph]) -> tuple[list[TableGroup], list[TableRow]]:
    """The groups and tasks of every task table among ``rows`` (rows of other tables are passed over)."""
    state = _Table()
    for paragraph in rows:
        cells = [cell.strip() for cell in paragraph.text.split("|")]
        header = header_of(cells)
        if header:
            state.roles = _with_labels(header)
            continue
        if state.roles is None or _column_numbers(cells):
            continue
        state.row(_aligned(cells, state.roles, paragraph.text), paragraph)
    return state.groups, state.tasks


@dataclass
class _Table:
    roles: list[str] | None = None
    groups: list[TableGroup] = field(default_factory=list)
    tasks: list[TableRow] = field(default_factory=list)
    group: str | None = None
    parent: TableRow | None = None  # a row numbered by its own label ("12") whose lettered rows follow ("a)")

    def row(self, values: dict[str, tuple[str, int]], paragraph: Paragraph) -> None:
        number = values.get("number", ("", 0))[0].rstrip(".")
        label = values.get("label", ("", 0))[0].strip()
        title = values.get("title", ("", 0))[0]
        others = [text for role, (text, _) in values.items() if role not in ("number", "title", "label") and text]
        if title and not others and not label and (GROUP_NUMBER.match(number) or not number):
            self.group = number or f"G{len(self.groups) + 1}"  # a group row: the area the rows below belong to
            self.groups.append(TableGroup(self.group, title, paragraph))
            self.parent = None
            return
        if not title and not number and not label and self.tasks and values.get("outputs", ("", 0))[0]:
            self._another_output(values, paragraph)
            return
        if not title:
            return
        if label and LETTER_LABEL.match(label) and self.parent is not None:  # "a)" under the row labelled "12"
            child = TableRow(label.rstrip(").").strip(), self.parent.number, dict(values), paragraph)
            for role in INHERITED:
                if not child.cells.get(role, ("", 0))[0] and self.parent.cells.get(role, ("", 0))[0]:
                    child.cells[role] = self.parent.cells[role]
            self.tasks.append(child)
            return
        own = label.rstrip(".") if label and ROW_NUMBER.match(label.rstrip(".")) else number
        task = TableRow(own or str(len(self.tasks) + 1), self.group, values, paragraph)
        if label:
            task.group = None
            self.parent = task
        self.tasks.append(task)

    def _another_output(self, values: dict[str, tuple[str, int]], paragraph: Paragraph) -> None:
        """A row with neither number nor task but a product: one more task of the row above."""
        above = self.tasks[-1]
        extra = TableRow(_next_suffix(above.number, self.tasks), above.group, dict(values), paragraph)
        extra.cells["title"] = values["outputs"]
        for role in INHERITED + ("performers",):
            if not extra.cells.get(role, ("", 0))[0] and role in above.cells:
                extra.cells[role] = above.cells[role]
        self.tasks.append(extra)


def _with_labels(roles: list[str]) -> list[str]:
    """A column without a heading right after the row number holds the task's own label ("2", "a)")."""
    out = list(roles)
    for index in range(1, len(out)):
        if out[index] == "" and out[index - 1] == "number":
            out[index] = "label"
    return out


def _aligned(cells: list[str], roles: list[str], text: str) -> dict[str, tuple[str, int]]:
    """Each role's cell and where it starts. A row with fewer cells than roles had a cell merged across
    columns: the cells are read from the left, the last from the right, and the one before the last takes
    the first of the roles it spans."""
    if len(cells) >= len(roles) or len(cells) < 2:
        pairs = list(zip(roles, cells))
    else:
        merged = len(cells) - 2
        pairs = list(zip(roles[:merged + 1], cells[:merged + 1])) + [(roles[-1], cells[-1])]
    values: dict[str, tuple[str, int]] = {}
    position = 0
    for role, cell in pairs:
        start = text.find(cell, position) if cell else -1
        if start >= 0:
            position = start + len(cell)
        if role and cell and role not in values:
            values[role] = (cell, max(start, 0))
    return values


def _column_numbers(cells: list[str]) -> bool:
    """The row that numbers the columns: (1) | (2) | (3) …"""
    return all(COLUMN_NUMBER.fullmatch(cell) for cell in cells if cell) and len(cells) > 2


def _next_suffix(number: str, tasks: list[TableRow]) -> str:
    taken = {task.number for task in tasks}
    for suffix in "bcdefghik":
        if f"{number}{suffix}" not in taken:
            return f"{number}{suffix}"
    return f"{number}z"
