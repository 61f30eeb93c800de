"""A plan read from a report about it: a news item or a notice saying that a body "ban hành Kế hoạch số 22/KH-BCĐ
về …" and, sentence by sentence, who is to do what ("UBND tỉnh yêu cầu Sở Thông tin và Truyền thông chủ trì …",
"Công an tỉnh chỉ đạo …").

Provinces often publish such a report before (or instead of) the plan's own text. Its header is read from the
sentence that names the plan: the issuer before "ban hành" or "đã có", the number and symbol, the title after
"về", the day ("Ngày 28-3") with the year of the report's own date. Each later paragraph that gives work to a
body is an item. A report is not the plan: the drafting says so in a flag, and the coordinator checks every
field against the plan itself before registering it.
"""
from __future__ import annotations

import re

from engine.drafting.assigning import assignments, subject
from engine.drafting.reading import Paragraph
from engine.drafting.structure import Found, RawItem, Span, Structure

#: "Kế hoạch số 22/KH-BCĐ", "Công văn số 930/UBND-KGVX": the document a report is about (and its kind).
REPORTED = re.compile(r"\b(Kế hoạch|Công văn|Chương trình|Đề án) số\s{0,2}(\d{1,6})\s{0,2}/\s{0,2}"
                      r"([A-ZĐ][A-ZĐa-z0-9]{0,12}(?:[-–.][A-ZĐa-z0-9]{1,12}){0,4})")
KINDS = {"kế hoạch": "plan", "chương trình": "plan", "đề án": "plan", "công văn": "official_letter"}
#: "Ngày 28-3", "ngày 12/7": a day and month whose year is the report's.
DAY = re.compile(r"\b[Nn]gày (\d{1,2})[-/](\d{1,2})(?:[-/](\d{4}))?\b")
#: The report's own date: "10:33, 29/03/2024", "date 2021-07".
STAMP = re.compile(r"\b\d{1,2}/\d{1,2}/(\d{4})\b|\bdate (\d{4})-\d{2}\b")
ISSUING = (" ban hành ", " đã có ", " có ", " đã ban hành ", " triển khai ")
CONNECTIVES = ("Theo đó, ", "Đồng thời, ", "Ngoài ra, ", "Bên cạnh đó, ", "Cụ thể, ")
#: Where a report names its plan: in its first paragraphs.
OPENING = 6
TITLE = 240


def reported_structure(paragraphs: list[Paragraph]) -> Structure | None:
    """The plan a report is about, as a structure whose items are the report's assigning paragraphs; None when
    the text names no plan in its opening paragraphs."""
    for paragraph in paragraphs[:OPENING]:
        mention = REPORTED.search(paragraph.text)
        if mention:
            break
    else:
        return None
    found = Structure(body_start=len(paragraphs))
    found.document_type = Found(KINDS[mention.group(1).lower()], _span(paragraph, *mention.span(1)), 0.5)
    found.number = Found(mention.group(2), _span(paragraph, *mention.span(2)), 0.5)
    found.symbol = mention.group(3)
    _issuer(paragraph, mention.start(), found)
    _title(paragraph, mention.end(), found)
    _day(paragraphs, paragraph, mention.start(), found)
    number = 0
    for later in paragraphs[paragraphs.index(paragraph) + 1:]:
        if later.row or not _gives_work(later.text):
            continue
        number += 1
        text = later.text
        start = next((len(word) for word in CONNECTIVES if text.startswith(word)), 0)
        end = text.find(". ", start)
        end = end if 0 < end - start < TITLE else min(len(text), start + TITLE)
        found.items.append(RawItem(str(number), Found(text[start:end].rstrip(" ."), _span(later, start, end), 0.5),
                                   text=[later]))
    return found if found.items else None


def _gives_work(text: str) -> bool:
    """A paragraph that gives a body work: "… X chủ trì …", or one that opens with a body ("Công an tỉnh chỉ đạo")."""
    body = next((text[len(word):] for word in CONNECTIVES if text.startswith(word)), text)
    return any(found.lead for found in assignments(text)) or subject(body) is not None and len(body) > 40


def _issuer(paragraph: Paragraph, mention: int, found: Structure) -> None:
    """The body before "ban hành"/"đã có" in the clause that names the plan ("Ban Chỉ đạo 138 tỉnh")."""
    text = paragraph.text
    verb = max((text.rfind(word, 0, mention), word) for word in ISSUING)
    if verb[0] < 0:
        return
    start = max(text.rfind(", ", 0, verb[0]) + 2, text.rfind("- ", 0, verb[0]) + 2, 0)
    name = text[start:verb[0]].strip()
    name = name[:-len(" đã")] if name.endswith(" đã") else name
    if name and subject(name):
        found.issuer_lines.append(Found(name, _span(paragraph, start, start + len(name)), 0.5))


def _title(paragraph: Paragraph, after: int, found: Structure) -> None:
    """What the plan is about: the words after its symbol ("về xây dựng mô hình …"), to the sentence's end."""
    text = paragraph.text
    start = after + len(text[after:]) - len(text[after:].lstrip())
    end = text.find(". ", start)
    end = end if end > start else len(text)
    if text.startswith("về ", start):  # "… số 22/KH-BCĐ về xây dựng mô hình …": what it is about
        start += len("về ")
    if end > start:
        title = text[start:end].strip(" .")
        found.title = Found(title[:1].upper() + title[1:], _span(paragraph, start, end), 0.5)


def _day(paragraphs: list[Paragraph], paragraph: Paragraph, mention: int, found: Structure) -> None:
    """The day the plan was issued: "Ngày 28-3" before its mention, in the year of the report's date."""
    day = None
    for match in DAY.finditer(paragraph.text, 0, mention):
        day = match
    years = [int(stamp.group(1) or stamp.group(2)) for p in paragraphs[:OPENING] for stamp in STAMP.finditer(p.text)]
    if day is None or not (day.group(3) or years):
        return
    year = int(day.group(3) or years[0])
    month, date = int(day.group(2)), int(day.group(1))
    if 1 <= month <= 12 and 1 <= date <= 31:
        found.issued_on = Found(f"{year}-{month:02d}-{date:02d}", _span(paragraph, *day.span()), 0.5)


def _span(paragraph: Paragraph, start: int = 0, end: int | None = None) -> Span:
    end = len(paragraph.text) if end is None else end
    return Span(paragraph.index, start, end, paragraph.text[start:end])
