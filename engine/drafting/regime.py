"""The plan's standing body and its reporting regime, as TỔ CHỨC THỰC HIỆN and CHẾ ĐỘ BÁO CÁO write them.

The standing body (cơ quan thường trực, or đầu mối) is named in one of three ways: "Giao Sở X là cơ quan
thường trực", "Sở X là cơ quan thường trực …", or as the first duty of the body's own block ("1. Sở Công
Thương" then "- Là cơ quan thường trực, …"). The reporting regime is read from the sentences about
reports: who reports, to whom ("gửi về Sở X", "báo cáo Ủy ban nhân dân tỉnh"), how often ("hằng tháng",
"định kỳ 6 tháng", "hằng quý"), by which day ("trước ngày 20 hằng tháng") and whether ad-hoc reports are
asked for ("báo cáo đột xuất khi có yêu cầu").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from engine.drafting.assigning import fold_chars, subject
from engine.drafting.reading import Paragraph
from engine.drafting.sentences import standing_body as given_as_standing
from engine.drafting.structure import RawItem, Span
from engine.model import frequencies

STANDING_WORDS = ("co quan thuong truc", "co quan dau moi", "don vi thuong truc", "thuong truc giup")
CUTOFF = re.compile(r"trước ngày (\d{1,2})(?: của)? (?:hằng|hàng) tháng|ngày (\d{1,2}) (?:hằng|hàng) tháng",
                    re.IGNORECASE)
SENT_TO = ("gui ve ", "gui cho ", "gui ", "ve ")
TO_END = (" truoc ngay", " de ", " dinh ky", " theo ", " dong thoi", ",", ";", ".", " va bao cao", " truoc ")


@dataclass
class Regime:
    """What the plan says of its reports; spans where they were read."""

    reporters: str | None = None
    to: str | None = None  # the name as written
    periodic: list[str] = field(default_factory=list)
    day_of_month: int | None = None
    ad_hoc: bool = False
    basis: str | None = None
    span: Span | None = None


def standing_body(paragraphs: list[Paragraph], duties: list[RawItem]) -> tuple[str, Span] | None:
    """The standing body's name as written, and where."""
    for item in duties:
        if item.duty_of is None:
            continue
        for paragraph in item.text[:4]:
            folded = fold_chars(paragraph.text)
            at = max(folded.find(word) for word in STANDING_WORDS)
            if at >= 0 and folded.lstrip("-–• ").startswith(("la co quan", "lam co quan", "la don vi", "la dau moi")):
                return item.duty_of.value, item.duty_of.span
    for paragraph in paragraphs:
        folded = fold_chars(paragraph.text)
        if not any(word in folded for word in STANDING_WORDS):
            continue
        given = given_as_standing(paragraph.text)
        if given:
            name = paragraph.text[given[0]:given[1]]
            return name, Span(paragraph.index, given[0], given[1], name)
        text = paragraph.text.lstrip("-–•0123456789. ")
        offset = len(paragraph.text) - len(text)
        named = subject(text)
        if named and fold_chars(text[named[1]:]).lstrip(" ,-–").startswith(("la ", "lam ")):
            name = text[named[0]:named[1]]
            return name, Span(paragraph.index, offset + named[0], offset + named[1], name)
    return None


def reporting(paragraphs: list[Paragraph]) -> Regime:
    regime = Regime()
    for paragraph in paragraphs:
        folded = fold_chars(paragraph.text)
        if "bao cao" not in folded:
            continue
        periodic = frequencies.written_in(folded)
        cutoff = CUTOFF.search(paragraph.text)
        about_reports = periodic or cutoff or "dot xuat" in folded or "dinh ky" in folded or "che do" in folded
        if not about_reports:
            continue
        regime.periodic += [key for key in periodic if key not in regime.periodic]
        if cutoff and regime.day_of_month is None:
            regime.day_of_month = int(cutoff.group(1) or cutoff.group(2))
            if "monthly" not in regime.periodic:
                regime.periodic.insert(0, "monthly")
        regime.ad_hoc = regime.ad_hoc or "dot xuat" in folded or "khi co yeu cau" in folded
        if regime.basis is None:
            regime.basis = paragraph.text
            regime.span = Span(paragraph.index, 0, len(paragraph.text), paragraph.text)
            regime.reporters, regime.to = _who_and_to(paragraph.text, folded)
    return regime


def _who_and_to(text: str, folded: str) -> tuple[str | None, str | None]:
    body = text.lstrip("-–•0123456789. ")
    offset = len(text) - len(body)
    named = subject(body)
    reporters = body[named[0]:named[1]] if named else None
    via = folded.find("(qua ", offset)  # "về Ủy ban nhân dân tỉnh (qua Sở Thông tin và Truyền thông)": the reports go to the latter
    if via >= 0 and (close := folded.find(")", via)) > via:
        return reporters, text[via + len("(qua "):close].strip()
    to = None
    for word in SENT_TO:
        at = folded.find(word, offset)
        if at >= 0:
            start = at + len(word)
            ends = [end for end in (folded.find(stop, start) for stop in TO_END) if end > start]
            end = min(ends) if ends else len(text)
            candidate = text[start:end].strip(" ,")
            if subject(candidate):
                to = candidate
                break
    return reporters, to
