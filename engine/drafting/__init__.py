"""Drafting a template from the plan document itself: read, find the structure, match the agencies.

``draft_template(data, filename, directory)`` gives a ``Draft``: the proposed template (the format of
workflows/templates) with, for every field, the span of the document it came from, a confidence, and
flags for what the text leaves open. Nothing is stored; the coordinator checks the draft and registers
it as any other template. The document is read and drafted by a process of its own (``sandbox``), and
every step is linear in the text: its patterns are anchored, bounded or literal, the sentences they would
have searched in quadratic time are read by ``sentences``, names are looked up in one index (``naming``).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Any

from engine.drafting.drafts import Draft, DraftItem, Flag
from engine.drafting.naming import AgencyNames
from engine.drafting.reading import Paragraph, read_document
from engine.drafting.sandbox import ReadingLimits, draft_in_child
from engine.drafting.sentences import before_word, lead_and_rest, standing_body, without_closing_verb
from engine.drafting.structure import RawItem, Span, Structure, find_structure
from engine.errors import Invalid
from engine.i18n import t
from engine.model import frequencies, process_kinds, search
from engine.model.agencies import NATIONAL, AgencyDirectory

__all__ = ["Draft", "DraftItem", "Flag", "ReadingLimits", "draft_here", "draft_template"]

#: More numbered items than this is no plan (a plan has tens; its appendix table a few hundred rows at most).
MAX_ITEMS = 600
#: More flagged fields than this is no draft anyone could check: the document is refused.
MAX_FLAGS = 5000
OUTPUTS = re.compile(r"^[-–•]?\s*Sản phẩm\s*:\s*(.+)$", re.IGNORECASE)
OUTPUT_SEPARATORS = re.compile(r";|\s-\s")
PARTNERS_AFTER = re.compile(r"^phối hợp(?: với)?\s+(?P<who>.+)$")
#: The ways a plan writes an item's time, tried in this order, and what each makes of it.
TIMINGS = (
    (re.compile(r"thường xuyên(?: từ nay)? đến hết năm (\d{4})", re.IGNORECASE),
     lambda m: {"continuous": {"until": f"{m.group(1)}-12-31"}}),
    (re.compile(r"(?:trong )?tháng (\d{1,2})/(\d{4})", re.IGNORECASE),
     lambda m: {"window": {"month": int(m.group(1)), "year": m.group(2)}}),
    (re.compile(r"(?:trước|chậm nhất) ngày (\d{1,2})/(\d{1,2})/(\d{4})", re.IGNORECASE),
     lambda m: {"deadline": f"{m.group(3)}-{int(m.group(2)):02d}-{int(m.group(1)):02d}"}),
    (re.compile(r"trong năm (\d{4})", re.IGNORECASE), lambda m: {"year": m.group(1)}),
    (re.compile(r"(?:trong )?quý (I|II|III|IV)/(\d{4})", re.IGNORECASE),
     lambda m: {"deadline": _quarter_end(m.group(1), m.group(2))}),
)
MONTH_WITHOUT_YEAR = re.compile(r"trong tháng \d{1,2}(?!/)")
RECURRING = re.compile(r"thường xuyên|hàng năm|định kỳ")
KEY_UNSAFE = re.compile(r"[^a-z0-9]+")


def draft_template(data: bytes, filename: str, directory: "AgencyDirectory | bytes",
                   limits: ReadingLimits | None = None, today: date | None = None) -> Draft:
    """The draft of a plan document, read and drafted in a process of its own under ``limits`` (time, memory),
    so that a hostile document can stop only that process: whatever stops it is a refusal (``Invalid``)
    naming the file. The agencies are read as of the document's date (``today`` for a draft with none)."""
    return draft_in_child(data, filename, directory, limits or ReadingLimits(), today)


def draft_here(data: bytes, filename: str, directory: AgencyDirectory, today: date | None = None) -> Draft:
    """The draft of a plan document, read in this process (the reading process's own work)."""
    paragraphs = read_document(data, filename)
    structure = find_structure(paragraphs)
    if not structure.items or structure.number is None and structure.document_type is None:
        raise Invalid(t("no plan structure found in %(name)s: looked for a number and symbol (Số: …/KH-…), a "
                        "document type (KẾ HOẠCH), sections (I., II. NỘI DUNG …) and numbered items (1., 2. …)",
                        name=filename), errors={"file": ["no plan structure found"]})
    if len(structure.items) + len(structure.duties) > MAX_ITEMS:
        raise Invalid(t("%(name)s has more than %(limit)s numbered items; a plan has far fewer, so it is not read",
                        name=filename, limit=MAX_ITEMS), errors={"file": ["too many items"]})
    draft = _Drafter(structure, paragraphs, directory, filename, today).draft()
    if len(draft.flags) > MAX_FLAGS:
        raise Invalid(t("%(name)s would leave more than %(limit)s fields to check; it is not read as a plan",
                        name=filename, limit=MAX_FLAGS), errors={"file": ["too many flags"]})
    return draft


class _Drafter:
    def __init__(self, structure: Structure, paragraphs: list[Paragraph], directory: AgencyDirectory,
                 filename: str, today: date | None = None) -> None:
        self.structure, self.paragraphs = structure, paragraphs
        self.flags: list[Flag] = []
        self.spans: dict[str, Span] = {}
        self.day = _issued(structure) or today
        self.directory = directory.as_of(self.day)
        self.province = self._province()
        self.names = AgencyNames(self.directory, self.province, self.flags, filename)

    def draft(self) -> Draft:
        s = self.structure
        issuer = self._issuer()
        number, symbol = self._number()
        items = [self._item(raw) for raw in s.items] + [duty for raw in s.duties if (duty := self._duty(raw))]
        nested = self._nest(items)
        standing = self._standing_body()
        if standing is None:
            self.flags.append(Flag("standing_body", t("the document names no standing body (cơ quan thường trực); "
                                                          "the issuer is proposed")))
            standing = issuer
        template: dict[str, Any] = {
            "key": _key(s, self.province),
            "name": s.title.value if s.title else "",
            "document_type": s.document_type.value if s.document_type else "plan",
            "province": self.province or "",
            "issuer": issuer or "",
            "symbol": symbol,
            "implements": [found.value for found in s.implements],
            "standing_body": standing or "",
            "reporting": self._reporting(standing),
            "parameters": {"number": {"type": "string", "default": number, "label": "Số kế hoạch"},
                           "issued_on": {"type": "date", "default": s.issued_on.value if s.issued_on else None,
                                         "label": "Ngày ban hành"}},
            "items": nested,
        }
        if self.names.uses_relevant_units:
            template["parameters"]["relevant_units"] = {
                "type": "agencies", "default": [], "label": "Các đơn vị, địa phương có liên quan (phối hợp)"}
        for name, found in (("number", s.number), ("issued_on", s.issued_on), ("name", s.title)):
            if found is not None and found.span is not None:
                self.spans[name] = found.span
        return Draft(template, items, self.flags, self.spans, self.paragraphs)

    # --- header ----------------------------------------------------------------
    def _province(self) -> str | None:
        place = search.folded(self.structure.place.value) if self.structure.place else None
        written = " ".join(found.value for found in self.structure.issuer_lines)
        issuer = search.folded(written)
        lines = search.folded(written + " " + (self.structure.title.value if self.structure.title else ""))
        if self.directory.provinces:
            return self._named_province(place, issuer, lines)
        for agency in self.directory.agencies.values():
            if agency.kind == "people_committee" and agency.level == "province":
                province_name = search.folded(agency.name).split(" tinh ")[-1]
                if (place and place == province_name) or f"tinh {province_name}" in lines or province_name in issuer:
                    return agency.province
        self.flags.append(Flag("province", t("the province could not be told from the header")))
        return None

    def _named_province(self, place: str | None, issuer: str, lines: str) -> str | None:
        """The province the header names (the issuer's lines, the place before the date, the title), among
        those of the document's date: "UBND TỈNH LÂM ĐỒNG", "Lâm Đồng, ngày …", "… trên địa bàn tỉnh …"."""
        units = [p for p in self.directory.provinces.values() if p.exists_on(self.day) and p.code != NATIONAL]
        units.sort(key=lambda p: (p.valid_until is not None, -len(p.short_name)))
        for text in (issuer, place or "", lines):
            for unit in units:
                short = search.folded(unit.short_name)
                if f"{search.folded(unit.division)} {short}" in text or text == short:
                    return unit.code
        self.flags.append(Flag("province", t("the province could not be told from the header")))
        return None

    def _issuer(self) -> str | None:
        lines = self.structure.issuer_lines
        for found in reversed(lines):  # the lower line is the body that issues; the upper its parent
            code = self.names.code_of(found.value)
            if code:
                self.spans["issuer"] = found.span
                return code
        if lines:
            self.flags.append(Flag("issuer", t("the issuer '%(name)s' is not in the agency directory",
                                               name=lines[-1].value),
                                   lines[-1].span, self.names.suggest(lines[-1].value)))
            return None
        committee = next((a.code for a in self.directory.agencies.values() if a.province == self.province
                          and a.kind == "people_committee" and a.level == "province"), None)
        self.flags.append(Flag("issuer", t("the header names no issuer; the province's People's Committee "
                                           "(%(code)s) is proposed", code=committee or "?")))
        return committee

    def _number(self) -> tuple[str, str]:
        found = self.structure.number
        if found is None:
            self.flags.append(Flag("symbol", t("the document has no number and symbol (Số: …)")))
            return "", "{number}/KH"
        number = found.value.split("/", 1)[0]
        return number, "{number}/" + found.value.split("/", 1)[1]

    def _standing_body(self) -> str | None:
        for paragraph in self.structure.organisation:
            found = standing_body(paragraph.text)
            if found:
                name = paragraph.text[found[0]:found[1]]
                code = self.names.code_of(name)
                self.spans["standing_body"] = Span(paragraph.index, found[0], found[1], name)
                if code is None:
                    self.flags.append(Flag("standing_body", t("'%(name)s' is not in the agency directory", name=name),
                                           self.spans["standing_body"], self.names.suggest(name)))
                return code
        return None

    def _reporting(self, standing: str | None) -> dict[str, Any]:
        reporting: dict[str, Any] = {"to": standing} if standing else {}
        for paragraph in self.structure.organisation:
            text = search.folded(paragraph.text)
            if "bao cao" not in text:
                continue
            if "che do thong tin bao cao" in text or "bao cao dinh ky" in text or "dot xuat" in text:
                reporting["basis"] = paragraph.text
                self.spans["reporting"] = Span(paragraph.index, 0, len(paragraph.text), paragraph.text)
                periodic = frequencies.written_in(text)
                if periodic:
                    reporting["periodic"] = periodic
                if "dot xuat" in text or "theo yeu cau" in text:
                    reporting["ad_hoc"] = True
        return reporting

    # --- items -----------------------------------------------------------------
    def _item(self, raw: RawItem) -> DraftItem:
        path = f"items.{raw.number}"
        spans = {"title": raw.title.span}
        confidence = {"title": 1.0}
        lead, performers, coordinating, schedule = None, None, [], None
        if raw.assignment is not None:
            spans["assignment"] = raw.assignment.span
            lead, performers, coordinating, schedule = self._assignment(raw, path)
        body, outputs = [], []
        for paragraph in raw.text:
            match = OUTPUTS.match(paragraph.text)
            if match:
                outputs += [part.strip(" .") for part in OUTPUT_SEPARATORS.split(match.group(1)) if part.strip(" .")]
                spans["outputs"] = Span(paragraph.index, match.start(1), match.end(1), match.group(1))
            else:
                body.append(paragraph.text)
        item = DraftItem(raw.number, raw.title.value, raw.parent, " ".join(body) or None, None, lead, performers,
                         coordinating, schedule, spans, confidence)
        item.outputs = outputs
        return item

    def _duty(self, raw: RawItem) -> DraftItem | None:
        """An agency's duties in TỔ CHỨC THỰC HIỆN ("2. Công an tỉnh", "4. Sở Giáo dục và Đào tạo: …"): the
        agency (or group) its heading names leads or performs them. A numbered sentence is no such heading."""
        path = f"items.{raw.number}"
        spans = {"title": raw.title.span, "agency": raw.duty_of.span}
        name = raw.duty_of.value
        if len(name) > 90 or not self.names.names_only(name):
            return None
        named = self.names.agencies_of(name, f"{path}.lead", raw.duty_of.span)
        lead = {"agency": named[0]} if len(named) == 1 and isinstance(named[0], str) else None
        performers = None if lead else named
        schedule = None
        body = " ".join(p.text for p in raw.text)
        if body:
            schedule, _ = self._timing(body, path, raw.title.span)
        return DraftItem(raw.number, raw.title.value, None, body or None, None, lead, performers, [], schedule,
                         spans, {"title": 1.0, "agency": 0.9})

    def _nest(self, items: list[DraftItem]) -> list[dict[str, Any]]:
        by_number: dict[str, dict[str, Any]] = {}
        top: list[dict[str, Any]] = []
        children = {item.parent for item in items if item.parent}
        for item in items:
            entry: dict[str, Any] = {"number": item.number.split(".")[-1] if item.parent else item.number,
                                     "title": item.title}
            if item.number.count(".") and item.parent:
                entry["number"] = item.number
            if item.text:
                entry["text"] = item.text
            if item.number not in children:  # a heading's sub-items carry the work
                item.process = process_kinds.for_schedule(item.schedule).key
                if not item.schedule:
                    self.flags.append(Flag(f"items.{item.number}.schedule", t("the text gives no time for this item"),
                                           item.spans.get("assignment") or item.spans["title"]))
                entry["process"] = item.process
                if item.lead:
                    entry["lead"] = item.lead["agency"]
                elif item.performers:
                    entry["performers"] = _agency_list(item.performers)
                else:
                    self.flags.append(Flag(f"items.{item.number}.lead", t("the text names no lead (chủ trì) and no "
                                             "performer for this item"), item.spans["title"]))
                if item.coordinating:
                    entry["coordinating"] = _agency_list(item.coordinating)
                if item.schedule:
                    entry["schedule"] = item.schedule
                if item.outputs:
                    entry["outputs"] = item.outputs
            by_number[item.number] = entry
            if item.parent and item.parent in by_number:
                by_number[item.parent].setdefault("items", []).append(entry)
            else:
                top.append(entry)
        return top

    def _assignment(self, raw: RawItem, path: str):
        text = raw.assignment.value.strip().strip("()").strip().lstrip("-").strip()
        span = raw.assignment.span
        schedule, rest = self._timing(text, path, span)
        rest = without_closing_verb(rest, ("thực hiện", "triển khai")).strip(" ,;")
        lead, performers, coordinating = None, None, []
        found = lead_and_rest(rest)
        if found:
            lead_code = self.names.agencies_of(found[0], f"{path}.lead", span)
            lead = {"agency": lead_code[0]} if len(lead_code) == 1 and isinstance(lead_code[0], str) else None
            if lead is None:
                performers = lead_code
            tail = (found[1] or "").strip()
            after = PARTNERS_AFTER.match(tail)
            who = before_word(tail, "phối hợp") or (after.group("who") if after else None)
            if who:
                coordinating = self.names.agencies_of(who, f"{path}.coordinating", span)
        elif rest:
            performers = self.names.agencies_of(rest, f"{path}.performers", span)
            if len(performers) == 1 and isinstance(performers[0], str) and performers[0] in self.directory:
                lead, performers = {"agency": performers[0]}, None  # one agency does it: it leads
        return lead, performers, coordinating, schedule

    def _timing(self, text: str, path: str, span: Span) -> tuple[dict | None, str]:
        for pattern, build in TIMINGS:
            match = pattern.search(text)
            if match:
                schedule = {"text": match.group(0), **build(match)}
                rest = (text[:match.start()] + text[match.end():]).strip()
                if "quý" in match.group(0).lower():
                    self.flags.append(Flag(f"{path}.schedule", t("a quarter, read as due at its end (the template "
                                             "has no quarter window)"), span))
                return schedule, rest
        if MONTH_WITHOUT_YEAR.search(text):
            self.flags.append(Flag(f"{path}.schedule", t("a month with no year"), span))
        elif RECURRING.search(text):
            self.flags.append(Flag(f"{path}.schedule", t("a recurring duty with no end date"), span))
        return None, text


def _quarter_end(roman: str, year: str) -> str:
    month = {"I": 3, "II": 6, "III": 9, "IV": 12}[roman]
    return f"{year}-{month:02d}-{30 if month in (6, 9) else 31}"


def _agency_list(found: list):
    """Codes, {group} and {param} as a template writes them: a list, or {groups: [...]} for groups alone."""
    groups = [entry["group"] for entry in found if isinstance(entry, dict) and "group" in entry]
    if groups and len(groups) == len(found):
        return {"groups": groups}
    return [{"groups": [entry["group"]]} if isinstance(entry, dict) and "group" in entry else entry
            for entry in found]


def _key(structure: Structure, province: str | None) -> str:
    number = structure.number.value if structure.number else "draft"
    return KEY_UNSAFE.sub("-", f"{(province or 'x').lower()}-{search.folded(number)}").strip("-")


def _issued(structure: Structure) -> date | None:
    """The document's date of issue, where its header gives one whole."""
    if structure.issued_on is None or not structure.issued_on.value:
        return None
    try:
        return date.fromisoformat(str(structure.issued_on.value))
    except ValueError:
        return None

