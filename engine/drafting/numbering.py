"""Word's automatic numbering, as Word shows it: the "I.", "1.", "1.1.", "a)", "-" before a paragraph that the
document does not hold as text but asks Word to count (a list, ECMA-376 Part 1 §17.9).

A provincial plan typed in Word numbers its sections and items this way as often as by hand, and without
the labels its structure (sections, items, sub-items, duties) cannot be read. ``paragraph_labels`` counts
the body's paragraphs in order as Word does: each paragraph's list and level come from its own ``w:numPr``
or its style's (through ``w:basedOn``); a list (``w:num``) counts with its abstract definition's counters,
shared by every list that uses that definition, a level advancing resets the levels below it, and a list
that overrides a level's start begins that level again the first time it is used.

The numbering part comes from the file: every number in it is checked before it is used and every chain it
draws (styles based on styles, lists linked through styles) is walked once, so that a malformed or hostile
part gives paragraphs without labels, never an error or unbounded work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterator

from docx.oxml.ns import qn

LEVELS = 9  # Word's levels, 0 to 8
MAX_COUNT = 32767  # the largest start Word accepts
_PLACEHOLDER = re.compile(r"%([1-9])")
_DIGITS = re.compile(r"[0-9]{1,5}")
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
          (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
_FALSE = {"0", "false", "off"}
_P, _R = qn("w:p"), qn("w:r")


@dataclass(frozen=True)
class Level:
    """One level of a list: where it starts, how its number is written, and the text around it."""

    start: int = 0  # the standard's default where w:start is absent
    format: str = "decimal"
    text: str = ""  # "%1.", "%1.%2.", "%3)", a bullet's glyph
    restart: int | None = None  # w:lvlRestart: restarted after this level (1-based) or above; 0 never
    legal: bool = False  # w:isLgl: every number in its text written in decimal
    style: str | None = None  # the paragraph style that takes this level


@dataclass
class _List:
    """A ``w:num``: the abstract definition whose counters it shares, its levels and the starts it overrides."""

    number: str
    abstract: str
    levels: dict[int, Level]
    starts: dict[int, int] = field(default_factory=dict)


def paragraph_labels(document: Any) -> dict[Any, str]:
    """The label Word shows before each numbered paragraph of the body (tables' included, in order), by its
    ``w:p`` element; an empty dict where the document has no numbering or its numbering cannot be read."""
    numbering = _part_element(document, "/numbering")
    if numbering is None:
        return {}
    try:
        counter = _Counter(numbering, _part_element(document, "/styles"))
        labels = {}
        for paragraph in _flow_paragraphs(document.element.body):
            label = counter.label(paragraph)
            if label:
                labels[paragraph] = label
        return labels
    except Exception:  # noqa: BLE001 - a numbering part past what is checked here: the text reads unlabelled
        return {}


def _part_element(document: Any, kind: str) -> Any:
    """The XML of the document's part related as ``kind`` ("/numbering", "/styles"), or None."""
    for relationship in document.part.rels.values():
        if not relationship.is_external and relationship.reltype.endswith(kind):
            return getattr(relationship.target_part, "element", None)
    return None


def _flow_paragraphs(body: Any) -> Iterator[Any]:
    """The paragraphs of the text's flow in document order, those in tables and content controls included;
    never those inside a run (a text box's, whose copy for older readers would be counted twice)."""
    stack = [iter(body)]
    while stack:
        for element in stack[-1]:
            if element.tag == _P:
                yield element
            elif element.tag != _R:
                stack.append(iter(element))
                break
        else:
            stack.pop()


class _Counter:
    """The lists of one document and their counters, advanced paragraph after paragraph."""

    def __init__(self, numbering: Any, styles: Any) -> None:
        self.lists = _lists(numbering)
        self.styles = {style.get(qn("w:styleId")): style for style in _children(styles, "w:style")}
        self.default_style = next((name for name, style in self.styles.items() if style.get(qn("w:type")) ==
                                   "paragraph" and style.get(qn("w:default")) in ("1", "true", "on")), None)
        self.counts: dict[str, list[int | None]] = {}
        self.used: set[str] = set()
        self.style_numbering: dict[str | None, tuple[str | None, int | None]] = {}

    def label(self, paragraph: Any) -> str | None:
        """The paragraph's label, its list's counters advanced; None for a paragraph outside any list."""
        found = self._list_of(paragraph)
        if found is None:
            return None
        listed, level = found
        counts = self.counts.setdefault(listed.abstract, [None] * LEVELS)
        if listed.number not in self.used:
            self.used.add(listed.number)
            for overridden in listed.starts:
                counts[overridden] = None
        definition = listed.levels.get(level, Level())
        counts[level] = _start(listed, level) if counts[level] is None else min(counts[level] + 1, MAX_COUNT)
        for deeper in range(level + 1, LEVELS):
            restart = listed.levels.get(deeper, Level()).restart
            if restart is None or level < restart:
                counts[deeper] = None
        return _written(listed, level, definition, counts)

    def _list_of(self, paragraph: Any) -> tuple[_List, int] | None:
        """The list and level of a paragraph: its own ``w:numPr``, what it leaves out taken from its style."""
        properties = paragraph.find(qn("w:pPr"))
        numbered = properties.find(qn("w:numPr")) if properties is not None else None
        style = _value(properties, "w:pStyle") if properties is not None else None
        style = style or self.default_style
        number = _id(_value(numbered, "w:numId")) if numbered is not None else None
        level = _index(_value(numbered, "w:ilvl")) if numbered is not None else None
        if number is None or level is None:
            style_number, style_level = self._style_numbering(style)
            number = style_number if number is None else number
            level = style_level if level is None else level
        listed = self.lists.get(number) if number is not None else None
        if listed is None:  # numId 0 takes the paragraph out of any list; a numId that names none is ignored
            return None
        if level is None:
            level = next((index for index, each in listed.levels.items() if each.style == style), 0)
        return listed, level

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """The numId and level a style gives, each from the nearest of it and the styles it is based on; every
        style is resolved once for the document (a chain or a cycle of ``w:basedOn`` is walked once)."""
        path, on_path, current = [], set(), style
        while current in self.styles and current not in self.style_numbering and current not in on_path:
            path.append(current)
            on_path.add(current)
            current = _value(self.styles[current], "w:basedOn")
        number, level = self.style_numbering.get(current, (None, None))
        for name in reversed(path):
            numbered = self.styles[name].find(f"{qn('w:pPr')}/{qn('w:numPr')}")
            if numbered is not None:
                number = _id(_value(numbered, "w:numId")) or number
                own = _index(_value(numbered, "w:ilvl"))
                level = level if own is None else own
            self.style_numbering[name] = (number, level)
        return self.style_numbering.get(style, (None, None))


def _lists(numbering: Any) -> dict[str, _List]:
    """Each ``w:num`` by its id, with the levels of the abstract definition it names (followed once through
    a ``w:numStyleLink`` to the definition that holds them) and its overrides."""
    abstracts = {_id(element.get(qn("w:abstractNumId"))): element
                 for element in _children(numbering, "w:abstractNum")}
    linked = {_value(element, "w:styleLink"): key for key, element in abstracts.items()
              if _value(element, "w:styleLink")}
    lists = {}
    for element in _children(numbering, "w:num"):
        number, abstract = _id(element.get(qn("w:numId"))), _id(_value(element, "w:abstractNumId"))
        if number in (None, "0") or number in lists or abstract not in abstracts:
            continue
        link = _value(abstracts[abstract], "w:numStyleLink")
        abstract = linked.get(link, abstract) if link else abstract
        listed = _List(number, abstract, _levels(abstracts[abstract]))
        for override in _children(element, "w:lvlOverride"):
            level = _index(override.get(qn("w:ilvl")))
            if level is None:
                continue
            redefined = _levels(override).get(level)
            if redefined is not None:
                listed.levels[level] = redefined
            start = _count(_value(override, "w:startOverride"))
            if start is not None:
                listed.starts[level] = start
        lists[number] = listed
    return lists


def _levels(container: Any) -> dict[int, Level]:
    levels: dict[int, Level] = {}
    for element in _children(container, "w:lvl"):
        index = _index(element.get(qn("w:ilvl")))
        if index is None or index in levels:
            continue
        legal = element.find(qn("w:isLgl"))
        levels[index] = Level(start=_count(_value(element, "w:start")) or 0,
                              format=_value(element, "w:numFmt") or "decimal",
                              text=_value(element, "w:lvlText") or "",
                              restart=_index(_value(element, "w:lvlRestart"), LEVELS + 1),
                              legal=legal is not None and _on(legal.get(qn("w:val"))),
                              style=_value(element, "w:pStyle"))
    return levels


def _start(listed: _List, level: int) -> int:
    return listed.starts.get(level, listed.levels.get(level, Level()).start)


def _written(listed: _List, level: int, definition: Level, counts: list[int | None]) -> str | None:
    """The level's text with each "%n" replaced by the count of level n written in that level's format (in
    decimal for a legal level); a bullet as "-", or "+" where its glyph is one."""
    if definition.format == "bullet":
        glyph = definition.text.strip()
        return None if not glyph else "+" if glyph == "+" else "-"

    def number(match: re.Match) -> str:
        index = int(match.group(1)) - 1
        count = counts[index] if counts[index] is not None else _start(listed, index)
        shown = "decimal" if definition.legal else listed.levels.get(index, Level()).format
        return _formatted(count, shown)
    return _PLACEHOLDER.sub(number, definition.text).strip() or None


def _formatted(count: int, style: str) -> str:
    """A count as Word writes it in a numbering format; formats not listed here, in decimal."""
    if style == "none":
        return ""
    if style in ("upperRoman", "lowerRoman") and 0 < count < 4000:
        roman = ""
        for value, letters in _ROMAN:
            times, count = divmod(count, value)
            roman += letters * times
        return roman if style == "upperRoman" else roman.lower()
    if style in ("upperLetter", "lowerLetter") and 0 < count <= 26 * 10:  # 27 is "aa", 53 "aaa"
        letter = chr(ord("a") + (count - 1) % 26) * ((count - 1) // 26 + 1)
        return letter.upper() if style == "upperLetter" else letter
    if style == "decimalZero" and 0 <= count < 10:
        return f"0{count}"
    return str(count)


def _children(element: Any, tag: str) -> list[Any]:
    return element.findall(qn(tag)) if element is not None else []


def _value(element: Any, tag: str) -> str | None:
    """The ``w:val`` of ``element``'s child ``tag``."""
    child = element.find(qn(tag))
    return child.get(qn("w:val")) if child is not None else None


def _id(text: str | None) -> str | None:
    """An identifier as Word compares it: a number by its value ("01" is list 1), anything else as written."""
    if text is None:
        return None
    return str(int(text)) if _DIGITS.fullmatch(text.strip()) else text.strip()


def _count(text: str | None) -> int | None:
    """A start given as text, where it is one Word accepts (0 to ``MAX_COUNT``)."""
    return int(text) if text is not None and _DIGITS.fullmatch(text.strip()) and int(text) <= MAX_COUNT else None


def _index(text: str | None, levels: int = LEVELS) -> int | None:
    """A level's index given as text, where it is one (0 to ``levels`` - 1)."""
    return int(text) if text is not None and _DIGITS.fullmatch(text.strip()) and int(text) < levels else None


def _on(value: str | None) -> bool:
    """An on/off attribute of the standard: absent is on."""
    return value is None or value.strip().lower() not in _FALSE
