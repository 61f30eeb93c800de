"""Finding a plan's structure in its paragraphs, by rules (deterministic; nothing leaves the machine).

The header (issuer, number and symbol, place and date, title, the documents it implements), the sections
(I. MỤC ĐÍCH, YÊU CẦU … II. NỘI DUNG … IV. TỔ CHỨC THỰC HIỆN), the numbered items of the content section
with their sub-items, and for each item what the text assigns: the lead (chủ trì), the coordinating
agencies (phối hợp), the performers of an item without a lead, the timing. Every field found keeps the
span it came from (paragraph, characters); what the text leaves open is flagged, never guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from engine.drafting.reading import Paragraph
from engine.drafting.sentences import number_in
from engine.model import search

ROMAN = r"(?:I|II|III|IV|V|VI|VII|VIII|IX|X)"
SECTION = re.compile(rf"^({ROMAN})\.\s+(.+)$")
ITEM = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
SUB_ITEM = re.compile(r"^(\d{1,2}\.\d{1,2})\.?\s+(\S.*)$")
LETTER_ITEM = re.compile(r"^([a-zđ])\)\s+(\S.*)$")
PLACE_DATE = re.compile(r"^(?P<place>[^,]{2,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})"
                        r"\s+năm\s+(?P<y>\d{4})")
MOTTO = re.compile(r"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM|Độc lập\s*-\s*Tự do\s*-\s*Hạnh phúc", re.IGNORECASE)
DOCUMENT_TYPES = {"KẾ HOẠCH": "plan", "CÔNG VĂN": "official_letter"}
TABLE_NUMBER = re.compile(r"\d{1,2}(\.\d{1,2})?")
LEADING_BULLET = re.compile(r"- [^,;:]{3,80}? chủ trì\b")
ASSIGNING_WORDS = re.compile(r"chủ trì|thực hiện|phối hợp")
ASSIGNING_LABEL = re.compile(r"(Cơ quan chủ trì|Đơn vị thực hiện|Cơ quan phối hợp|Thời gian thực hiện)\s*:",
                             re.IGNORECASE)


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
    text: list[Paragraph] = field(default_factory=list)
    assignment: Found | None = None  # the sentence that says who and when
    duty_of: Found | None = None  # in TỔ CHỨC THỰC HIỆN: the agency (or group) whose duties these are
    labelled: dict[str, Found] = field(default_factory=dict)  # "Cơ quan chủ trì: …" lines: lead, partners, time


@dataclass
class Structure:
    document_type: Found | None = None
    number: Found | None = None
    place: Found | None = None
    issued_on: Found | None = None
    issuer_lines: list[Found] = field(default_factory=list)
    title: Found | None = None
    implements: list[Found] = field(default_factory=list)
    sections: list[Found] = field(default_factory=list)
    items: list[RawItem] = field(default_factory=list)
    organisation: list[Paragraph] = field(default_factory=list)  # the TỔ CHỨC THỰC HIỆN section
    duties: list[RawItem] = field(default_factory=list)  # its numbered paragraphs: each agency's duties


#: The columns of the appendix form of a plan (folded header words → what the column holds).
TABLE_COLUMNS = (("stt", "number"), ("noi dung", "title"), ("nhiem vu", "title"), ("chu tri", "lead"),
                 ("phoi hop", "coordinating"), ("thoi gian", "time"), ("san pham", "outputs"))


def find_structure(paragraphs: list[Paragraph]) -> Structure:
    found = Structure()
    _header(paragraphs, found)
    section = None
    current: RawItem | None = None
    columns: list[str] | None = None  # inside an appendix table: what each column holds
    for paragraph in paragraphs:
        text = paragraph.text
        if paragraph.row:
            cells = [cell.strip() for cell in text.split("|")]
            header = _table_header(cells)
            if header:
                columns = header
                continue
            if columns:  # a row of the appendix: an item, or a group row over the whole width (skipped)
                if (item := _table_row(cells, columns, paragraph)) is not None:
                    found.items.append(item)
                    current = item
                continue
        else:
            columns = None
        match = SECTION.match(text)
        if match and match.group(2).upper() == match.group(2):
            section = match.group(2)
            found.sections.append(Found(f"{match.group(1)}. {section}", _span(paragraph)))
            current = None
            continue
        if section is None:
            continue
        if text.startswith("Nơi nhận"):  # the recipients: the body of the plan is over
            section = "END"
            continue
        if "TỔ CHỨC THỰC HIỆN" in section:
            found.organisation.append(paragraph)
            top = ITEM.match(text)
            if top:  # "2. Công an tỉnh" or "4. Sở Giáo dục và Đào tạo: Tăng cường …": an agency's own duties
                name, _, rest = top.group(2).partition(":")
                duty = RawItem(f"IV.{top.group(1)}", Found(top.group(2), _span(paragraph, text.index(top.group(2)))))
                duty.duty_of = Found(name.strip(), _span(paragraph, text.index(top.group(2)),
                                                         text.index(top.group(2)) + len(name.strip())))
                if rest.strip():
                    duty.text.append(paragraph)
                found.duties.append(duty)
                current = duty
            elif current is not None and found.duties and current is found.duties[-1]:
                current.text.append(paragraph)
            continue
        if "NỘI DUNG" not in section and "NHIỆM VỤ" not in section:
            continue
        sub = SUB_ITEM.match(text)
        top = ITEM.match(text)
        letter = LETTER_ITEM.match(text)
        if sub:
            parent = sub.group(1).split(".")[0]
            current = RawItem(sub.group(1), Found(sub.group(2), _span(paragraph, text.index(sub.group(2)))),
                              parent)
            found.items.append(current)
        elif top and not sub:
            current = RawItem(top.group(1), Found(top.group(2), _span(paragraph, text.index(top.group(2)))))
            found.items.append(current)
        elif letter and current is not None:
            parent = current.parent or current.number
            current = RawItem(f"{parent}.{letter.group(1)}",
                              Found(letter.group(2), _span(paragraph, text.index(letter.group(2)))), parent)
            found.items.append(current)
        elif current is not None:
            label = LABELLED.match(text)
            if label:
                kind = LABELS[search.folded(label.group(1))]
                value = label.group(2).strip()
                start = text.index(value) if value else len(text)
                current.labelled[kind] = Found(value, _span(paragraph, start, start + len(value)))
            elif _is_assignment(text):
                current.assignment = Found(text, _span(paragraph))
            else:
                current.text.append(paragraph)
    for item in found.items:  # labelled lines say it as one sentence would
        if item.labelled and item.assignment is None and ("lead" in item.labelled or "performers" in item.labelled):
            item.assignment = _sentence_of(item.labelled)
    return found


#: The labelled lines of the form "Cơ quan chủ trì: Công an tỉnh" (folded label → what it holds).
LABELS = {"co quan chu tri": "lead", "don vi chu tri": "lead", "don vi thuc hien": "performers",
          "co quan thuc hien": "performers", "co quan phoi hop": "coordinating", "don vi phoi hop": "coordinating",
          "thoi gian thuc hien": "time", "thoi gian hoan thanh": "time", "thoi gian": "time"}
LABELLED = re.compile(r"^[-–•]?\s*(Cơ quan chủ trì|Đơn vị chủ trì|Đơn vị thực hiện|Cơ quan thực hiện|"
                      r"Cơ quan phối hợp|Đơn vị phối hợp|Thời gian thực hiện|Thời gian hoàn thành|Thời gian)"
                      r"\s*:\s*(.*)$", re.IGNORECASE)


def _sentence_of(labelled: dict[str, Found]) -> Found:
    """The assignment sentence the labelled lines stand for, its span the first line's."""
    who = labelled.get("lead") or labelled.get("performers")
    sentence = f"({who.value}" + (" chủ trì" if "lead" in labelled else "")
    if "coordinating" in labelled:
        sentence += f", {labelled['coordinating'].value} phối hợp"
    sentence += " thực hiện" + (f" {labelled['time'].value}" if "time" in labelled else "") + ")"
    return Found(sentence, who.span, 0.9)


def _table_header(cells: list[str]) -> list[str] | None:
    kinds = []
    for cell in cells:
        folded = search.folded(cell)
        kinds.append(next((kind for word, kind in TABLE_COLUMNS if word in folded), ""))
    return kinds if "lead" in kinds and "title" in kinds else None


def _table_row(cells: list[str], columns: list[str], paragraph: Paragraph) -> RawItem | None:
    """A row of the appendix table as an item, its columns read as the sentence a paragraph would write."""
    values = dict(zip(columns, cells))
    number = values.get("number", "").rstrip(".")
    if not TABLE_NUMBER.fullmatch(number) or not values.get("title"):
        return None  # a group row, or the table's own numbering of columns
    lead, partners, time = values.get("lead", ""), values.get("coordinating", ""), values.get("time", "")
    sentence = f"({lead} chủ trì" + (f", {partners} phối hợp" if partners else "") + f" thực hiện {time})"
    title = values["title"]
    start = paragraph.text.index(title)
    item = RawItem(number, Found(title, Span(paragraph.index, start, start + len(title), title)),
                   number.split(".")[0] if "." in number else None)
    item.assignment = Found(sentence, _span(paragraph), 0.9)
    return item


def _is_assignment(text: str) -> bool:
    inner = text.strip()
    if inner.startswith("- ") and LEADING_BULLET.match(inner):
        return True  # a bullet whose subject leads: "- Sở Thông tin và Truyền thông chủ trì, phối hợp …"
    if inner.startswith("(") and inner.endswith(")") and ASSIGNING_WORDS.search(inner):
        return True
    return bool(ASSIGNING_LABEL.match(inner))


def _header(paragraphs: list[Paragraph], found: Structure) -> None:
    for paragraph in paragraphs[:40]:
        text = paragraph.text
        if SECTION.match(text):
            break
        motto = MOTTO.search(text)
        if motto and motto.start() > 0:
            left = text[:motto.start()].strip()
            found.issuer_lines.append(Found(left, _span(paragraph, 0, len(left))))
        elif motto is None and not found.issuer_lines and text.isupper() and len(text) < 80 \
                and text not in DOCUMENT_TYPES:
            found.issuer_lines.append(Found(text, _span(paragraph)))
        if found.number is None and (where := number_in(text)):
            found.number = Found(text[where[0]:where[1]], _span(paragraph, *where))
        if found.issued_on is None and (match := PLACE_DATE.match(text)):
            found.place = Found(match.group("place").strip(), _span(paragraph, 0, match.end("place")))
            found.issued_on = Found(f"{match.group('y')}-{int(match.group('m')):02d}-{int(match.group('d')):02d}",
                                    _span(paragraph, match.start("d"), match.end("y")))
        if found.document_type is None and text.upper() in DOCUMENT_TYPES:
            found.document_type = Found(DOCUMENT_TYPES[text.upper()], _span(paragraph))
            continue
        if found.document_type is not None and found.title is None and not number_in(text) \
                and not PLACE_DATE.match(text):
            found.title = Found(text, _span(paragraph))
            continue
        if text.startswith(("Căn cứ", "Thực hiện")) and found.title is not None \
                and paragraph.index != found.title.span.paragraph:
            found.implements.append(Found(text, _span(paragraph)))


def _span(paragraph: Paragraph, start: int = 0, end: int | None = None) -> Span:
    end = len(paragraph.text) if end is None else end
    return Span(paragraph.index, start, end, paragraph.text[start:end])
