"""Each task of the plan as a draft item: who leads it, who takes part, when, and what it gives, each field with
the span it came from and how sure the reading is.

A field read from an explicit phrase is sure (1.0): "X chủ trì", "phối hợp với Y", a labelled line
("Cơ quan chủ trì: X"), a date written whole. One inferred is marked for a look (below 1): the agency a
sentence opens with ("Sở Tài chính: …"), the agency a block of duties is headed by, a table's column
(whose header says what it holds, but whose cell may say something else), a year taken from the plan's.
Where a task names several bodies that each do a part and none that leads, they are its performers.
"""
from __future__ import annotations

import re

from engine.drafting.assigning import CROWDED, assignments, fold_chars, partners_after, subject
from engine.drafting.drafts import DraftItem, Flag
from engine.drafting.naming import AgencyNames
from engine.drafting.structure import RawItem, Span
from engine.drafting.timing import read_time
from engine.errors import Invalid
from engine.i18n import t

#: An hour of the day ("20 giờ 15 phút", "8h30"): blanked out before a time is read, so that the day after it counts.
CLOCK = re.compile(r"(?:\b[Tt]ừ\s)?\b\d{1,2}\s?(?:giờ|h)(?:\s?\d{1,2}(?:\s?phút)?)?"
                   r"(?:\s?(?:-|–|đến)\s?\d{1,2}\s?(?:giờ|h)(?:\s?\d{1,2}(?:\s?phút)?)?)?(?![\w/])")
#: How sure each kind of reading is (1.0: an explicit phrase).
SURE, COLUMN, OPENING, HEADING = 1.0, 0.9, 0.7, 0.8


class ItemReader:
    def __init__(self, names: AgencyNames, flags: list[Flag], plan_year: int | None) -> None:
        self.names, self.flags, self.plan_year = names, flags, plan_year

    def item(self, raw: RawItem) -> DraftItem:
        item = DraftItem(raw.number, raw.title.value, raw.parent, None, None, None, None, [], None,
                         {"title": raw.title.span}, {"title": 1.0})
        if raw.kind == "heading":
            return item
        if raw.kind == "row":
            self._row(raw, item)
        elif raw.kind == "duty" and raw.duty_of is not None:  # the block's body leads its duties
            self._lead(item, raw.duty_of.value, raw.duty_of.span, HEADING)
            self._duty_partners(raw, item)
            self._first_time(raw, item)
        else:
            self._sentences(raw, item)
        body = [p.text for p in raw.text if raw.title.span is None or p.index != raw.title.span.paragraph]
        item.text = (" ".join(body) or None) if raw.kind != "row" else None
        said = item.spans.get("lead") or item.spans.get("schedule")
        whole = next((p for p in raw.text if said is not None and p.index == said.paragraph), None)
        if whole is not None:  # the sentence that gives the item to its lead, shown beside the item
            item.spans["assignment"] = Span(whole.index, 0, len(whole.text), whole.text)
        return item

    # --- a table's row -----------------------------------------------------------------------------------
    def _row(self, raw: RawItem, item: DraftItem) -> None:
        cells = raw.cells
        lead_cell = cells.get("lead") or cells.get("performers")
        if lead_cell is not None and lead_cell.value:
            self._lead(item, lead_cell.value, lead_cell.span, COLUMN)
        partners = cells.get("coordinating") if cells.get("lead") else None
        if partners is not None and partners.value:
            item.coordinating = self.names.agencies_of(partners.value, f"items.{item.number}.coordinating",
                                                       partners.span)
            item.spans["coordinating"], item.confidence["coordinating"] = partners.span, COLUMN
        time = cells.get("time")
        if time is not None and time.value:
            self._time(item, time.value, time.span, COLUMN)
        else:
            self._time(item, raw.title.value, raw.title.span, COLUMN)
        outputs = cells.get("outputs")
        if outputs is not None and outputs.value:
            item.outputs = [part.strip(" .") for part in outputs.value.split(";") if part.strip(" .")]
            item.spans["outputs"] = outputs.span

    # --- sentences ---------------------------------------------------------------------------------------
    def _sentences(self, raw: RawItem, item: DraftItem) -> None:
        labelled = raw.labelled
        if "lead" in labelled or "performers" in labelled:
            found = labelled.get("lead") or labelled["performers"]
            self._lead(item, found.value, found.span, SURE if "lead" in labelled else COLUMN)
            if "coordinating" in labelled:
                partners = labelled["coordinating"]
                item.coordinating = self.names.agencies_of(partners.value, f"items.{item.number}.coordinating",
                                                           partners.span)
                item.spans["coordinating"] = partners.span
        else:
            self._who(raw, item)
        if "outputs" in labelled:
            item.outputs = [part.strip(" .") for part in labelled["outputs"].value.split(";") if part.strip(" .")]
            item.spans["outputs"] = labelled["outputs"].span
        if "time" in labelled:
            self._time(item, labelled["time"].value, labelled["time"].span, SURE)
            return
        self._first_time(raw, item)

    def _first_time(self, raw: RawItem, item: DraftItem) -> None:
        """The time of the sentence that assigns the item ("(Công an tỉnh chủ trì … trong tháng 9/2022)"),
        else the first its paragraphs write."""
        assigning = [p for p in raw.text if p.text.startswith("(") or assignments(p.text)]
        for paragraph in assigning + [p for p in raw.text if p not in assigning]:
            if self._time(item, paragraph.text, Span(paragraph.index, 0, len(paragraph.text), paragraph.text), SURE,
                          quiet=True):
                return
        item.schedule = None

    def _who(self, raw: RawItem, item: DraftItem) -> None:
        """The lead of the item's "chủ trì" sentences; else the bodies its sentences open with, as performers."""
        leads: list[tuple[str, Span, Span | None]] = []
        openers: list[tuple[str, Span]] = []
        for paragraph in raw.text:
            text = paragraph.text
            for found in assignments(text):
                if found.crowded:
                    raise Invalid(t("%(name)s: %(path)s names more than %(limit)s agencies in one sentence; a plan "
                                    "names far fewer, so the document is not read", name=self.names.filename,
                                    path=f"items.{item.number}.lead", limit=CROWDED),
                                  errors={"file": [t("too many agencies in one sentence")]})
                if found.lead is None:
                    continue
                lead = Span(paragraph.index, *found.lead, text[found.lead[0]:found.lead[1]])
                partners = Span(paragraph.index, *found.partners, text[found.partners[0]:found.partners[1]]) \
                    if found.partners else None
                leads.append((lead.text, lead, partners))
            body = text.lstrip("-–•+( ")
            offset = len(text) - len(body)
            named = subject(body)
            if named and raw.kind != "duty":
                span = Span(paragraph.index, offset + named[0], offset + named[1], body[named[0]:named[1]])
                openers.append((span.text, span))
        distinct = list(dict.fromkeys(fold_chars(name) for name, _, _ in leads))
        if len(distinct) == 1:
            name, span, partners = leads[0]
            self._lead(item, name, span, SURE)
            if partners is not None:
                item.coordinating = self.names.agencies_of(partners.text, f"items.{item.number}.coordinating",
                                                           partners)
                item.spans["coordinating"], item.confidence["coordinating"] = partners, SURE
            return
        if raw.kind == "duty":
            self._duty_partners(raw, item)
            return
        named = [(name, span) for name, span, _ in leads] or openers
        if named:
            performers: list = []
            for name, span in named:
                for entry in self.names.agencies_of(name, f"items.{item.number}.performers", span):
                    if entry not in performers:
                        performers.append(entry)
            if len(performers) == 1 and isinstance(performers[0], str):
                item.lead = {"agency": performers[0]}
            else:
                item.performers = performers
            item.spans["lead"], item.confidence["lead"] = named[0][1], OPENING

    def _duty_partners(self, raw: RawItem, item: DraftItem) -> None:
        """A block's own "Chủ trì, phối hợp với …": the partners of its body."""
        for paragraph in raw.text:
            folded = fold_chars(paragraph.text)
            partners = partners_after(paragraph.text, folded, 0)
            if partners:
                span = Span(paragraph.index, *partners, paragraph.text[partners[0]:partners[1]])
                item.coordinating = self.names.agencies_of(span.text, f"items.{item.number}.coordinating", span)
                item.spans["coordinating"], item.confidence["coordinating"] = span, SURE
                return

    def _lead(self, item: DraftItem, name: str, span: Span | None, confidence: float) -> None:
        found = self.names.agencies_of(name, f"items.{item.number}.lead", span)
        if len(found) == 1 and isinstance(found[0], str) and found[0] in self.names.directory:
            item.lead = {"agency": found[0]}
        elif len(found) == 1 and isinstance(found[0], str):
            item.lead = {"agency": found[0]}  # a name not in the directory, kept as written (flagged)
        else:
            item.performers = found
        item.spans["lead"], item.confidence["lead"] = span, confidence

    def _time(self, item: DraftItem, text: str, span: Span | None, confidence: float, quiet: bool = False) -> bool:
        timing = read_time(CLOCK.sub(_blank, text), self.plan_year)  # "từ 20 giờ 15 phút - 20 giờ 45 phút ngày 23 …"
        if timing is None:
            return False
        where = Span(span.paragraph, span.start + timing.start, span.start + timing.end,
                     text[timing.start:timing.end]) if span is not None else None
        if timing.schedule is None and quiet and timing.kind not in ("by_reference", "relative"):
            return False
        item.schedule = timing.schedule
        item.spans["schedule"] = where
        item.confidence["schedule"] = confidence if timing.sure else min(confidence, OPENING)
        if timing.note is not None:
            self.flags.append(Flag(f"items.{item.number}.schedule", timing.note, where))
        return True



def _blank(match: re.Match) -> str:
    return " " * len(match.group(0))
