"""Finding a plan's structure in its paragraphs, by rules (deterministic; nothing leaves the machine).

The header (issuer, number and symbol, place and date, title, the documents it implements); the outline of
the body (``outline``) with each section's kind; and the plan's tasks wherever the plan writes them: the
numbered items of its content sections at any depth, the bullets of a "Nhiệm vụ" heading or of a dated
schedule, the rows of a task table (``tables``), and each agency's block of duties in TỔ CHỨC THỰC HIỆN
("1.2. Công an tỉnh:" and its duties). Purposes, targets and money are never tasks. When the plan assigns
its tasks in a table, the table is the task list and the body's prose about the same areas is passed
over; a section whose items name nobody and no time gives way to one whose items do. Every field keeps the
span it came from (paragraph, characters); what the text leaves open is flagged later, never guessed here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.drafting.assigning import assignments, subject
from engine.drafting.outline import Node, is_not_tasks, marker_of, outline
from engine.drafting.reading import Paragraph
from engine.drafting.tables import read_rows
from engine.drafting.timing import read_time
from engine.model import search

PLACE_DATE = re.compile(r"^(?P<place>[^,|]{2,40}),\s*ngày\s+(?P<d>\d{1,2})?\s*tháng\s+(?P<m>\d{1,2})"
                        r"\s+năm\s+(?P<y>\d{4})")
MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)
DOCUMENT_TYPES = {"KẾ HOẠCH": "plan", "CÔNG VĂN": "official_letter", "CHƯƠNG TRÌNH": "plan"}
#: "Số: 134 /KH-UBND", "Số:      /KH-UBND" (a draft's blank number), "Số 45/KH-SNV": the number and the symbol.
NUMBER = re.compile(r"\bSố\s{0,3}:?\s{0,12}(?P<number>\d{0,6})\s{0,12}/\s{0,3}(?P<symbol>[A-ZĐ][A-ZĐ0-9]{0,12}"
                    r"(?:[-–.][A-ZĐa-z0-9]{1,12}){0,4})")
PLAN_YEAR = re.compile(r"\bnăm (20\d\d)\b|\bgiai đoạn (20\d\d)\s*[-–]\s*20\d\d\b")
#: Headings that only label the list below them ("b) Nhiệm vụ"): their bullets are the tasks.
LABEL_HEADINGS = ("nhiem vu", "nhiem vu cu the", "noi dung", "nhiem vu, giai phap", "giai phap", "cac nhiem vu",
                  "hoat dong", "nhiem vu trong tam", "noi dung thuc hien", "nhiem vu, giai phap chu yeu",
                  "cac nhiem vu cu the", "nhiem vu chu yeu")
DUTY_OPENINGS = re.compile(r"^(?:Trách nhiệm của|Trách nhiệm|Nhiệm vụ của|Đề nghị|Giao)\s+", re.IGNORECASE)
HEADER_PARAGRAPHS = 60
#: Sections after the plan's body whose tables list its tasks (an appendix, or a table after the signature).
APPENDICES = ("appendix", "recipients")
#: The times that make one of a block's duties a task of its own (not "thường xuyên", not "theo …").
OWN_TIMES = ("deadline", "month", "quarter", "half_year", "range", "relative")  # not the plan's own year
#: How much of a block's first duty its title shows (characters).
DUTY_TITLE = 240
TASK_SECTIONS = ("tasks", "schedule", "audience", "other", "appendix")
#: Sections that give way when another section's items say who does them and when.
WEAK_SECTIONS = ("audience", "other")
ASSIGNING_LABEL = re.compile(r"^[-–•+]?\s*(Cơ quan chủ trì|Đơn vị chủ trì|Đơn vị thực hiện|Cơ quan thực hiện|"
                             r"Cơ quan phối hợp|Đơn vị phối hợp|Thời gian thực hiện|Thời gian hoàn thành|Thời hạn"
                             r"|Thời gian|Sản phẩm|Kết quả|Chủ trì|Phối hợp)\s*:\s*(.*)$", re.IGNORECASE)
#: The labelled lines of the form "Cơ quan chủ trì: Công an tỉnh" (folded label → what it holds).
LABELS = {"co quan chu tri": "lead", "don vi chu tri": "lead", "chu tri": "lead", "don vi thuc hien": "performers",
          "co quan thuc hien": "performers", "co quan phoi hop": "coordinating", "don vi phoi hop": "coordinating",
          "phoi hop": "coordinating", "thoi gian thuc hien": "time", "thoi gian hoan thanh": "time",
          "thoi han": "time", "thoi gian": "time", "san pham": "outputs", "ket qua": "outputs"}


@dataclass(frozen=True)
class Span:
    paragraph: int
    start: int
    end: int
    text: str

    def as_json(self) -> dict[str, Any]:
        return {"paragraph": self.paragraph, "start": self.start, "end": self.end, "text": self.text}


@dataclass
class Found:
    """A value read from the document, where it was, and how sure the reading is (0 to 1)."""

    value: Any
    span: Span | None
    confidence: float = 1.0


@dataclass
class RawItem:
    number: str
    title: Found
    parent: str | None = None
    kind: str = "task"  # task, duty (an agency's block of duties), row (of a task table)
    text: list[Paragraph] = field(default_factory=list)  # the paragraphs that say who does it and when
    duty_of: Found | None = None  # a duty block: the agency (or group) whose duties these are
    cells: dict[str, Found] = field(default_factory=dict)  # a table's row: lead, coordinating, time, outputs …
    labelled: dict[str, Found] = field(default_factory=dict)  # "Cơ quan chủ trì: …" lines


@dataclass
class Structure:
    document_type: Found | None = None
    number: Found | None = None
    symbol: str | None = None
    place: Found | None = None
    issued_on: Found | None = None
    issuer_lines: list[Found] = field(default_factory=list)
    title: Found | None = None
    implements: list[Found] = field(default_factory=list)
    sections: list[Found] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    organisation: list[Paragraph] = field(default_factory=list)  # TỔ CHỨC THỰC HIỆN and CHẾ ĐỘ BÁO CÁO
    plan_year: int | None = None
    body_start: int = 0


def find_structure(paragraphs: list[Paragraph]) -> Structure:
    found = Structure()
    _header(paragraphs, found)
    root = outline(paragraphs, found.body_start)
    sections = [node for node in root.children if node.kind == "section"] or [root]
    for node in sections:
        label = node.label or ""
        found.sections.append(Found(f"{label}. {node.title}".strip(". "), _span(node.paragraph) if node.paragraph
                                    else None))
        if node.section_kind in ("organisation", "reporting"):
            found.organisation += _paragraphs(node)
    table_items = _table_items([node for node in sections if node.section_kind in APPENDICES])
    if len([item for item in table_items if item.kind == "row"]) >= 3:
        body = []  # the appendix assigns the tasks; the body's prose about them is passed over
    else:
        body = _body_items(sections)
    duties = [item for node in sections if node.section_kind == "organisation" for item in _duties(node)]
    found.items = table_items + body + duties
    _year(found, paragraphs)
    return found


def _table_items(sections: list[Node]) -> list[RawItem]:
    items: list[RawItem] = []
    for section in sections:
        for node in [section, *section.walk()]:
            items += _rows_as_items(node.rows, "PL.", None)
    return items


def _rows_as_items(rows: list[Paragraph], prefix: str, parent: str | None) -> list[RawItem]:
    """The groups and tasks of a table's rows as items, numbered under ``prefix`` (``parent``'s number and a dot,
    or "PL." in an appendix)."""
    if not rows:
        return []
    items: list[RawItem] = []
    groups, tasks = read_rows(rows)
    for group in groups:
        items.append(RawItem(f"{prefix}{group.number}", Found(group.title, _span(
            group.paragraph, group.paragraph.text.find(group.title), None)), parent, kind="heading"))
    for row in tasks:
        above = f"{prefix}{row.group}" if row.group else parent
        number = f"{prefix}{row.group}.{row.number}" if row.group else f"{prefix}{row.number}"
        cells = {role: Found(text, Span(row.paragraph.index, start, start + len(text), text), 0.9)
                 for role, (text, start) in row.cells.items()}
        items.append(RawItem(number, cells.pop("title"), above, "row", [row.paragraph], None, cells))
    return items


def _body_items(sections: list[Node]) -> list[RawItem]:
    """The tasks of the content sections; sections whose items name nobody give way to those that do."""
    per_section = []
    for section in sections:
        if section.section_kind not in TASK_SECTIONS:
            continue
        items = _rows_as_items(section.rows, "", None)
        _walk_items(section, "", None, section.section_kind, items)
        per_section.append((section, items))
    assigned = {id(section) for section, items in per_section if any(_names_someone(item) for item in items)}
    kept = [(section, items) for section, items in per_section
            if not assigned or id(section) in assigned or not _gives_way(section)]
    several = len([1 for _, items in kept if items]) > 1
    out = []
    for section, items in kept:
        for item in items:
            if several and section.label:
                item.number = f"{section.label}.{item.number}"
                item.parent = f"{section.label}.{item.parent}" if item.parent else None
            out.append(item)
    return out


def _walk_items(node: Node, prefix: str, parent: str | None, kind: str, out: list[RawItem]) -> None:
    bullets = 0
    for child in node.children:
        if is_not_tasks(child.title):
            continue
        if child.kind in ("bullet", "sub_bullet"):
            if not _bullet_is_task(child, node, kind):
                continue
            bullets += 1
            number = f"{parent}.{bullets}" if parent else str(bullets)
        elif search.folded(child.title).rstrip(" :.") in LABEL_HEADINGS and child.kind == "lettered":
            _walk_items(child, prefix, parent, "label", out)  # "b) Nhiệm vụ": its bullets are its parent's tasks
            continue
        elif child.kind == "lettered":
            number = f"{parent}.{child.label}" if parent else child.label
        else:
            number = child.label
        item = RawItem(number, Found(child.title, _span(child.paragraph, child.title_start)), parent)
        item.text = _own_text(child)
        _labelled(item)
        out.append(item)
        _walk_items(child, prefix, number, kind, out)
        out += _rows_as_items(child.rows, f"{number}.", number)  # a table under the item: its rows are its tasks


def _bullet_is_task(bullet: Node, parent: Node, kind: str) -> bool:
    """A bullet is a task of its own under a label heading ("Nhiệm vụ"), in a dated schedule, or when it opens
    with its time ("- Tháng 9/2026: …")."""
    if kind in ("label", "schedule"):
        return True
    return bool(marker_of(bullet.title)[0] is None and bullet.title[:1].isupper() and _dated_opening(bullet.title))


def _dated_opening(text: str) -> bool:
    folded = search.folded(text[:40])
    return folded.startswith(("thang ", "quy ", "nam 20", "truoc ngay", "tu ngay", "tu thang", "ngay ", "dot "))


def _own_text(node: Node) -> list[Paragraph]:
    """The paragraphs that belong to an item: its own, and its bullets' (which are not tasks of their own)."""
    out = [node.paragraph] if node.paragraph is not None else []
    out += node.text
    for child in node.children:
        if child.kind in ("bullet", "sub_bullet"):
            out += _own_text(child)
    return out


def _duties(section: Node) -> list[RawItem]:
    """Each agency's block of duties: a heading that is nothing but a body's name ("1. Sở Công Thương",
    "1.2. Công an tỉnh:", "a) Sở Nội vụ: …", "- Sở Tài chính: …"), at any depth."""
    out: list[RawItem] = []
    prefix = section.label or "TC"

    def walk(node: Node, number: str) -> None:
        bullets = 0
        for child in node.children:
            label = child.label
            if child.kind in ("bullet", "sub_bullet"):
                bullets += 1
                label = str(bullets)
            child_number = f"{number}.{label}" if child.kind in ("lettered", "bullet", "sub_bullet") or \
                number != prefix else f"{prefix}.{label}"
            name = _duty_heading(child)
            if name is None:
                walk(child, child_number)
                continue
            item = RawItem(child_number, _duty_title(child), None, "duty")
            item.duty_of = name
            timed = [bullet for bullet in child.children if bullet.kind == "bullet" and _has_own_time(bullet)]
            item.text = [p for p in _own_text(child) if not any(p is bullet.paragraph for bullet in timed)]
            item.text += [p for grand in child.walk() for p in [grand.paragraph, *grand.text]
                          if grand.kind not in ("bullet", "sub_bullet") and p is not None]
            out.append(item)
            for index, bullet in enumerate(timed, 1):  # a duty with a deadline of its own is a task of its own
                own = RawItem(f"{child_number}.{index}", Found(bullet.title, _span(bullet.paragraph,
                                                                                    bullet.title_start)), None, "duty")
                named = subject(bullet.title)
                own.duty_of = Found(bullet.title[named[0]:named[1]], _span(bullet.paragraph, bullet.title_start +
                                    named[0], bullet.title_start + named[1])) if named else name
                own.text = _own_text(bullet)
                out.append(own)
    walk(section, prefix)
    return out


def _has_own_time(bullet: Node) -> bool:
    timing = read_time(bullet.title, None)
    return timing is not None and timing.kind in OWN_TIMES


def _duty_title(node: Node) -> Found:
    """A block's title: its heading, and its first duty where the heading says nothing more ("Sở Nội vụ: Chủ
    trì, phối hợp … đưa kết quả thực hiện Kế hoạch vào tiêu chí đánh giá …"), to its first sentence."""
    title = Found(node.title, _span(node.paragraph, node.title_start))
    first = next(iter(node.text), None) or next((child.paragraph for child in node.children if child.paragraph), None)
    if ":" in node.title.rstrip(" :") or first is None:
        return title
    duty = first.text.lstrip("-–•+ ")
    end = duty.find(". ")
    duty = duty[:end if 0 < end < DUTY_TITLE else DUTY_TITLE].rstrip(" .;")
    return Found(f"{node.title.rstrip(' :')}: {duty}", title.span)


def _duty_heading(node: Node) -> Found | None:
    if node.paragraph is None or node.kind == "section":
        return None
    head = node.title.split(":", 1)[0].strip()
    opening = DUTY_OPENINGS.match(head)
    offset = opening.end() if opening else 0
    head = head[offset:].strip()
    if not head or len(head.split()) > 20:
        return None
    where = subject(head)
    if where is None or where[1] < len(head.rstrip(" .")) - 1 or where[0] > 0:
        return None
    start = node.title_start + offset
    return Found(head.rstrip(" ."), _span(node.paragraph, start, start + len(head.rstrip(" ."))), 0.9)


def _names_someone(item: RawItem) -> bool:
    return bool(item.labelled) or any(assignments(p.text) or subject(p.text.lstrip("-–• ")) for p in item.text[:20])


def _gives_way(section: Node) -> bool:
    """Whether a section whose items name nobody gives way to one whose items do: an audience or unnamed section,
    or a list of solutions (not of tasks)."""
    folded = search.folded(section.title)
    solutions = section.section_kind == "tasks" and "giai phap" in folded and "nhiem vu" not in folded
    return section.section_kind in WEAK_SECTIONS or solutions


def _labelled(item: RawItem) -> None:
    for paragraph in item.text:
        label = ASSIGNING_LABEL.match(paragraph.text)
        if label:
            kind = LABELS[search.folded(label.group(1))]
            value = label.group(2).strip()
            start = paragraph.text.find(value) if value else len(paragraph.text)
            item.labelled[kind] = Found(value, _span(paragraph, start, start + len(value)))


def _paragraphs(node: Node) -> list[Paragraph]:
    out = ([node.paragraph] if node.paragraph is not None else []) + node.text
    for child in node.children:
        out += _paragraphs(child)
    return out


def _year(found: Structure, paragraphs: list[Paragraph]) -> None:
    """The year the plan is for: the title's ("… năm 2026"), else the year of issue."""
    if found.title is not None and (match := PLAN_YEAR.search(found.title.value)):
        found.plan_year = int(match.group(1) or match.group(2))
    elif found.issued_on is not None and found.issued_on.value:
        found.plan_year = int(str(found.issued_on.value)[:4])


def _header(paragraphs: list[Paragraph], found: Structure) -> None:
    """The header's fields, read cell by cell (a .docx header is a table; a text's two columns are split by
    the reader), up to the first section, where the body starts."""
    found.body_start = len(paragraphs)
    for paragraph in paragraphs[:HEADER_PARAGRAPHS]:
        if not paragraph.row and marker_of(paragraph.text)[0] == "section":
            found.body_start = paragraph.index
            break
        offset = 0
        for cell in paragraph.text.split("|") if paragraph.row else [paragraph.text]:
            start = paragraph.text.find(cell, offset)
            offset = start + len(cell)
            _header_cell(cell.strip(), paragraph, start, found)
    if found.body_start == len(paragraphs):  # no section: the body starts after the title's paragraph
        found.body_start = found.title.span.paragraph + 1 if found.title is not None and found.title.span else 0


def _header_cell(text: str, paragraph: Paragraph, start: int, found: Structure) -> None:
    if not text or text.startswith("#"):
        return
    motto = MOTTO.search(text)
    if motto:
        left = text[:motto.start()].strip()
        if left and found.document_type is None:
            found.issuer_lines.append(Found(left, _span(paragraph, start, start + len(left))))
        return
    number = NUMBER.search(text)
    if number and found.number is None:
        found.number = Found(number.group("number"), _span(paragraph, start + number.start("number"),
                                                           start + number.end("number")))
        found.symbol = number.group("symbol")
        rest = text[number.end():].lstrip()  # "Số: 134 /KH-UBND Lào Cai, ngày 26 tháng 3 năm 2026" on one line
        if rest:
            _header_cell(rest, paragraph, start + text.find(rest, number.end()), found)
        return
    date = PLACE_DATE.match(text)
    if date:
        if found.place is None:
            found.place = Found(date.group("place").strip(), _span(paragraph, start, start + date.end("place")))
        if found.issued_on is None and date.group("d"):
            found.issued_on = Found(f"{date.group('y')}-{int(date.group('m')):02d}-{int(date.group('d')):02d}",
                                    _span(paragraph, start + date.start("d"), start + date.end("y")))
        return
    kind = DOCUMENT_TYPES.get(" ".join(text.upper().split()))
    if found.document_type is None and kind:
        found.document_type = Found(kind, _span(paragraph, start, start + len(text)))
        return
    if found.document_type is None:
        if text.isupper() and len(text) < 80 and not text.startswith("("):
            found.issuer_lines.append(Found(text, _span(paragraph, start, start + len(text))))
        return
    if found.title is None:
        found.title = Found(text, _span(paragraph, start, start + len(text)))
    elif paragraph.index == found.title.span.paragraph + 1 and text[:1].islower() and not found.implements:
        found.title = Found(f"{found.title.value} {text}", found.title.span)  # a title printed on two lines
    elif text.startswith(("Căn cứ", "Thực hiện", "Triển khai")) and paragraph.index != found.title.span.paragraph:
        found.implements.append(Found(text, _span(paragraph)))


def _span(paragraph: Paragraph, start: int = 0, end: int | None = None) -> Span:
    end = len(paragraph.text) if end is None else end
    return Span(paragraph.index, start, end, paragraph.text[start:end])
