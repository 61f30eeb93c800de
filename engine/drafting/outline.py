"""A plan's outline: its paragraphs as a tree by the numbering they carry.

Plans number their parts in a fixed order of kinds: Roman sections (I., II.), items (1., 2.), items at any
depth (1.1., 1.1.1.), lettered items (a), b)), bullets (-, •) and sub-bullets (+). Each paragraph that
carries such a number opens a node one level below the nearest open node of a shallower kind; a paragraph
without one belongs to the node open above it. One pass, one stack.

A section may also be a heading in capitals without a number (PHỤ LỤC), and each section is given a kind
by the words of its heading, which the drafting uses to tell tasks from purposes, money and the
organisation of the work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.drafting.reading import Paragraph
from engine.model import search

ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X|XI|XII)"
MARKERS = (
    ("section", re.compile(rf"^(?:Phần\s+|PHẦN\s+)?({ROMAN})[.:/]\s*(\S.*)$")),
    ("numbered", re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")),
    ("numbered", re.compile(r"^(\d{1,2})[.)]\s*([^\d\s/].*)$")),
    ("lettered", re.compile(r"^([a-zđ])[)]\s*(\S.*)$")),
    ("bullet", re.compile(r"^([-–•*])\s*(\S.*)$")),
    ("sub_bullet", re.compile(r"^(\+)\s*(\S.*)$")),
)
#: How deep each kind of number sits (a numbered item's depth grows with its parts: 1. → 2, 1.1. → 3).
DEPTHS = {"section": 0, "lettered": 6, "bullet": 7, "sub_bullet": 8}
APPENDIX = re.compile(r"^PHỤ LỤC\b|^Phụ lục\s+(?:\d|[IVX]|số)|^DANH MỤC\b", re.IGNORECASE)

#: Section kinds by the words of their heading (folded), tried in order; the first that matches wins.
SECTION_KINDS = (
    ("organisation", ("to chuc thuc hien", "phan cong thuc hien", "trach nhiem thuc hien", "phan cong nhiem vu")),
    ("reporting", ("che do bao cao", "che do thong tin", "thong tin bao cao")),
    ("funding", ("kinh phi", "von dau tu", "nguon von", "nguon kinh phi")),
    ("schedule", ("tien do", "lo trinh", "thoi gian thuc hien", "thoi gian, ", "ke hoach cu the")),
    ("audience", ("doi tuong", "hinh thuc")),
    ("tasks", ("nhiem vu", "noi dung", "giai phap", "hoat dong", "chuong trinh")),
    ("purpose", ("muc dich", "yeu cau", "quan diem", "muc tieu", "can cu", "su can thiet", "danh gia")),
)
#: Headings whose contents are targets or purposes, never tasks, wherever they stand.
NOT_TASKS = ("muc tieu", "muc dich", "yeu cau", "chi tieu", "quan diem", "ket qua dat duoc", "muc tieu cu the",
             "muc tieu chung", "kinh phi", "kinh phi thuc hien", "nguon kinh phi")


@dataclass
class Node:
    kind: str  # section, numbered, lettered, bullet, sub_bullet, or "root"
    label: str  # as printed: "II", "1", "1.1", "a", "-"
    title: str  # the heading's words after the label
    paragraph: Paragraph | None
    depth: int
    parent: "Node | None" = None
    children: list["Node"] = field(default_factory=list)
    text: list[Paragraph] = field(default_factory=list)  # paragraphs without a number of their own
    rows: list[Paragraph] = field(default_factory=list)  # table rows that follow the heading
    section_kind: str = "other"

    @property
    def title_start(self) -> int:
        """Where the title starts in its paragraph (after the label)."""
        if self.paragraph is None:
            return 0
        return self.paragraph.text.find(self.title) if self.title else len(self.paragraph.text)

    def walk(self):
        for child in self.children:
            yield child
            yield from child.walk()


def outline(paragraphs: list[Paragraph], start: int = 0) -> Node:
    """The tree of the paragraphs from ``start`` (the body, after the header)."""
    root = Node("root", "", "", None, -1)
    stack = [root]
    for paragraph in paragraphs[start:]:
        if paragraph.row:
            stack[-1].rows.append(paragraph)
            continue
        kind, label, title = marker_of(paragraph.text)
        if kind == "section" and not label and _in_appendix(stack) and not title.startswith(("Nơi", "NƠI")):
            kind = None  # an appendix's own title in capitals ("PHÂN CÔNG THỰC HIỆN NHIỆM VỤ …")
        if kind is None:
            stack[-1].text.append(paragraph)
            continue
        depth = DEPTHS.get(kind, 1 + label.count("."))
        while stack[-1].depth >= depth:
            stack.pop()
        node = Node(kind, label, title, paragraph, depth, stack[-1])
        if kind == "section":
            node.section_kind = section_kind(title)
        else:
            node.section_kind = stack[-1].section_kind if stack[-1].kind != "root" else "other"
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _in_appendix(stack: list[Node]) -> bool:
    return len(stack) > 1 and stack[1].section_kind == "appendix"


def marker_of(text: str) -> tuple[str | None, str, str]:
    """The kind of number a paragraph starts with, the number and the words after it."""
    if text.startswith(("Nơi nhận", "NƠI NHẬN")):
        return "section", "", text  # the recipients: the plan's body is over (an appendix may follow)
    if APPENDIX.match(text) and text.upper() == text:
        return "section", "PL", text
    for kind, pattern in MARKERS:
        match = pattern.match(text)
        if match:
            if kind == "section" and not _heading_case(match.group(2)):
                continue
            return kind, match.group(1), match.group(2).strip()
    if _capitals(text) and any(words in search.folded(text) for _, phrases in SECTION_KINDS[:4]
                               for words in phrases):
        return "section", "", text  # "TỔ CHỨC THỰC HIỆN" as a heading without a number
    return None, "", ""


def section_kind(title: str) -> str:
    folded = search.folded(title)
    if folded.startswith("noi nhan"):
        return "recipients"
    if "phu luc" in folded[:10] or folded.startswith("danh muc"):
        return "appendix"
    for kind, phrases in SECTION_KINDS:
        if any(phrase in folded for phrase in phrases):
            if kind == "purpose" and any(word in folded for word in ("nhiem vu", "noi dung", "giai phap")):
                return "tasks"  # "MỤC TIÊU, NHIỆM VỤ": its tasks count
            return kind
    return "other"


def is_not_tasks(title: str) -> bool:
    """Whether a heading introduces targets, purposes or money ("a) Mục tiêu", "2. Kinh phí thực hiện")."""
    folded = search.folded(title).rstrip(" :.")
    return folded in NOT_TASKS or any(folded.startswith(words + " ") and len(folded) < 40 for words in NOT_TASKS[:3])


def _heading_case(title: str) -> bool:
    """A section's heading is in capitals ("II. NỘI DUNG") or short ("II. Nhiệm vụ và giải pháp")."""
    return _capitals(title) or len(title) < 80


def _capitals(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)
