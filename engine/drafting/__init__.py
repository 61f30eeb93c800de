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
from engine.drafting.items import ItemReader
from engine.drafting.regime import reporting, standing_body
from engine.drafting.reported import reported_structure
from engine.drafting.structure import Span, Structure, find_structure
from engine.errors import Invalid
from engine.i18n import t
from engine.model import process_kinds, search
from engine.model.agencies import NATIONAL, AgencyDirectory

__all__ = ["Draft", "DraftItem", "Flag", "ReadingLimits", "draft_here", "draft_template"]

#: More numbered items than this is no plan (a plan has tens; its appendix table a few hundred rows at most).
MAX_ITEMS = 600
#: More flagged fields than this is no draft anyone could check: the document is refused.
MAX_FLAGS = 5000
KEY_UNSAFE = re.compile(r"[^a-z0-9]+")
YEAR = re.compile(r"\bnăm (\d{4})\b|\b\d{1,2}/\d{1,2}/(\d{4})\b")


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
    reported = None
    if not structure.items or structure.number is None and structure.document_type is None:
        structure = reported = reported_structure(paragraphs)
    if structure is None:
        raise Invalid(t("no plan structure found in %(name)s: looked for a number and symbol (Số: …/KH-…), a "
                        "document type (KẾ HOẠCH), sections (I., II. NỘI DUNG …) and numbered items (1., 2. …)",
                        name=filename), errors={"file": [t("no plan structure found")]})
    if len(structure.items) > MAX_ITEMS:
        raise Invalid(t("%(name)s has more than %(limit)s numbered items; a plan has far fewer, so it is not read",
                        name=filename, limit=MAX_ITEMS), errors={"file": [t("too many items")]})
    draft = _Drafter(structure, paragraphs, directory, filename, today).draft()
    if reported is not None:
        draft.flags.insert(0, Flag("document_type", t(
            "%(name)s is a report about the plan, not the plan itself: every field is read from the report's "
            "sentences; check each against the plan before registering it", name=filename)))
    if len(draft.flags) > MAX_FLAGS:
        raise Invalid(t("%(name)s would leave more than %(limit)s fields to check; it is not read as a plan",
                        name=filename, limit=MAX_FLAGS), errors={"file": [t("too many flags")]})
    return draft


class _Drafter:
    def __init__(self, structure: Structure, paragraphs: list[Paragraph], directory: AgencyDirectory,
                 filename: str, today: date | None = None) -> None:
        self.structure, self.paragraphs = structure, paragraphs
        self.flags: list[Flag] = []
        self.spans: dict[str, Span] = {}
        self.day = _issued(structure) or _written_year_end(paragraphs[:min(structure.body_start, 60)], today) or today
        self.whole = directory
        self.directory = directory.as_of(self.day)
        self.province = self._province()
        self.names = AgencyNames(self.directory, self.province, self.flags, filename)
        unit = self.directory.provinces.get(self.province) if self.province else None
        self.names.place = search.folded(unit.short_name) if unit is not None else ""

    def draft(self) -> Draft:
        s = self.structure
        issuer = self._issuer()
        number, symbol = self._number()
        reader = ItemReader(self.names, self.flags, s.plan_year)
        items = [reader.item(raw) for raw in s.items]
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
        preamble = " ".join(p.text for p in self.paragraphs[:min(self.structure.body_start, 60)])
        lines = search.folded(written + " " + (self.structure.title.value if self.structure.title else "") + " " +
                              preamble)  # "… trên địa bàn tỉnh Tiền Giang, cụ thể như sau:"
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
        if _issued(self.structure) is None:  # an undated plan of a province merged away: read as of its last day
            for unit in self.directory.provinces.values():
                division = f"{search.folded(unit.division)} {search.folded(unit.short_name)}"
                if unit.valid_until is not None and any(division in text for text in (issuer, lines)):
                    self.day = unit.valid_until
                    self.directory = self.whole.as_of(self.day)
                    self.flags.append(Flag("parameters.issued_on", t(
                        "the document has no date and names %(province)s, which was merged on %(day)s: its bodies "
                        "are read as they were that day", province=unit.name, day=unit.valid_until.isoformat())))
                    return unit.code
        self.flags.append(Flag("province", t("the province could not be told from the header")))
        return None

    def _issuer(self) -> str | None:
        lines = self.structure.issuer_lines
        for count in range(1, len(lines) + 1):  # the lower line names the body that issues; with the one above,
            joined = " ".join(found.value for found in lines[-count:])  # "ỦY BAN NHÂN DÂN" + "TỈNH LÀO CAI"
            code = self.names.code_of(joined) or self.names.code_of(lines[-count].value)
            if code:
                self.spans["issuer"] = lines[-count].span
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
        found, symbol = self.structure.number, self.structure.symbol
        if found is None or not symbol:
            self.flags.append(Flag("symbol", t("the document has no number and symbol (Số: …)")))
            return "", "{number}/KH"
        if not found.value:
            self.flags.append(Flag("parameters.number", t("the number is left blank, as in a draft; give it at "
                                                              "launch"), found.span))
        return found.value, "{number}/" + symbol

    def _standing_body(self) -> str | None:
        duties = [raw for raw in self.structure.items if raw.kind == "duty"]
        found = standing_body(self.structure.organisation, duties)
        if found is None:
            return None
        name, span = found
        self.spans["standing_body"] = span
        code = self.names.code_of(name)
        if code is None:
            self.flags.append(Flag("standing_body", t("'%(name)s' is not in the agency directory of the plan's "
                                                          "province", name=name), span, self.names.suggest(name)))
        return code

    def _reporting(self, standing: str | None) -> dict[str, Any]:
        regime = reporting(self.structure.organisation)
        out: dict[str, Any] = {}
        to = self.names.code_of(regime.to) if regime.to else None
        if to or standing:
            out["to"] = to or standing
        if regime.reporters:
            out["reporters"] = regime.reporters
        if regime.periodic:
            out["periodic"] = regime.periodic
        if regime.day_of_month and 15 <= regime.day_of_month <= 28:
            out["submission"] = {"day_of_month": regime.day_of_month}
        if regime.ad_hoc:
            out["ad_hoc"] = True
        if regime.basis:
            out["basis"] = regime.basis
            self.spans["reporting"] = regime.span
        if regime.to and not to:
            self.flags.append(Flag("reporting.to", t("'%(name)s' is not in the agency directory of the plan's "
                                                         "province", name=regime.to), regime.span,
                                   self.names.suggest(regime.to)))
        return out

    # --- items -----------------------------------------------------------------
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


def _written_year_end(paragraphs: list[Paragraph], today: date | None) -> date | None:
    """For a document without a date: the last day of the latest year its header and preamble write ("ngày 03
    tháng 8 năm 2017"), not after today; None when they write none."""
    years = [int(match.group(1) or match.group(2)) for p in paragraphs for match in YEAR.finditer(p.text)]
    years = [year for year in years if today is None or year <= today.year]
    if not years:
        return None
    latest = date(max(years), 12, 31)
    return min(latest, today) if today is not None else latest


def _issued(structure: Structure) -> date | None:
    """The document's date of issue, where its header gives one whole."""
    if structure.issued_on is None or not structure.issued_on.value:
        return None
    try:
        return date.fromisoformat(str(structure.issued_on.value))
    except ValueError:
        return None

