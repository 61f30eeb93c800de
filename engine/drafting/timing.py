"""The time a plan writes for a task, read into a template's schedule: "trước ngày 15/01/2026", "trong tháng
9/2026", "quý IV năm 2026", "thường xuyên trong năm", "định kỳ hằng quý", "Theo Quyết định số …".

``read_time(text, plan_year)`` gives the first time a sentence or a table's time cell writes: its schedule, where
its words are, whether the text gives it whole and, when not, a note for the coordinator. Chosen once here:
a quarter, a half-year and a range ("từ tháng 3 đến tháng 6/2026") are due at their last day (a template has no
such window); a recurring duty ("định kỳ hằng quý", "trước ngày 20 hằng tháng", "trước ngày 31/01 năm liền kề")
is continuous to the end of the plan's year, reporting at its period (the day of each report is not kept); a
time set by another document ("Theo Kế hoạch của tỉnh") or counted from an event ("Sau 03 tháng kể từ …") has
no date, nor has a cited document's name ("Quyết định số 766/QĐ-TTg ngày 23/6/2022"); of several times the
first with a date is read, unless a reference opens the text. All of these are flagged not sure. The text is
folded (no case, no diacritics, single spaces) with a map back to its characters, so that spans point into the
text as written; each pattern is tried where its keyword starts and is bounded, so reading is linear.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Callable, Iterator

from engine.i18n import Message, t
from engine.model import frequencies, search


@dataclass(frozen=True)
class Timing:
    """A task's time as a plan writes it, read into a template's schedule."""

    #: The template's schedule ({"text", and one of deadline, window, year, continuous}); None for no date.
    schedule: dict | None
    #: Where the words read are in the text given (characters, end exclusive).
    start: int
    end: int
    #: True when the text gives the date whole; False when something was inferred (see ``note``).
    sure: bool
    #: What was inferred, or why there is no date (a flag for the coordinator).
    note: Message | None
    #: deadline, month, quarter, half_year, year, continuous, recurring, range, by_reference or relative.
    kind: str


@dataclass(frozen=True)
class _Reading:
    kind: str
    body: dict | None  # the schedule without its text
    sure: bool
    note: Message | None
    start: int = 0  # in the folded text, set once the reading is placed
    end: int = 0
    opening: bool = False  # the words open the text (after a bullet, a number, "Thời gian:")


@dataclass(frozen=True)
class _Context:
    plan_year: int | None
    cued: bool  # a cue ("trước", "chậm nhất là", "trong", "hoàn thành") stands right before, or the words open the text
    opening: bool


_DMY = r"(\d{1,2})(?: ?[/.-] ?| thang )(\d{1,2})(?: ?[/.-] ?| nam )(\d{4})(?!\d)"
_YEAR = r"(?:(?: ?[/-] ?| nam )(\d{4})(?!\d))"
_ROMAN = r"(iv|i{1,3}|[1-4])(?![a-z0-9])"
_NUMBER = r"(?:\d{1,3}|mot|hai|ba|bon|nam|sau|bay|tam|chin|muoi)"

#: Where a time may start: a keyword or the first digit of a number.
ANCHOR = re.compile(r"(?<![a-z0-9/.-])(?:ngay|thang|quy|nam|thuong xuyen|dinh ky|hang|giai doan|tu|theo|sau|trong"
                    r"|khi|\d)(?![a-z])")
#: The words that make what follows a time, right before it ("hoàn thành chậm nhất là ngày …").
CUE = re.compile(r"(?<![a-z])(?:(?:hoan thanh|thuc hien|xong|ket thuc)(?: (?:truoc|cham nhat(?: la| vao| trong)?|"
                 r"muon nhat(?: la)?|trong|vao|den(?: het)?|cuoi))?|truoc|cham nhat(?: la| vao| trong)?|"
                 r"muon nhat(?: la)?|trong|vao|den(?: het)?|han(?: chot)?|thoi han|cuoi)(?: ?:)? $")
#: What may stand before a time that opens the text: a bullet, a number, "Thời gian thực hiện:".
OPENING = re.compile(r"[ \-+*•·]{0,6}(?:\(?[a-z0-9]{1,4}[.)]{1,2} ?)?(?:(?:thoi gian|thoi han|tien do)"
                     r"(?: thuc hien| hoan thanh)? ?: ?)?(?:(?:thuc hien|hoan thanh) )?")
#: A cited document's number ("số 1441", "766/qd-ttg", "34-nq/tu", "52/2015/nd-cp") before a date.
DOCUMENT_NUMBER = re.compile(r"(?<![a-z0-9])(?:so:? ?\d|\d{1,5}(?:/\d{4})?[/-][a-z])")
DOCUMENT_WORD = re.compile(r"(?<![a-z])(?:luat|quyet dinh|nghi dinh|nghi quyet|thong tu|chi thi|cong van|van ban|"
                           r"to trinh|ket luan|thong bao|cong dien|huong dan|phuong an|de an|ke hoach|chuong trinh)"
                           r"(?![a-z])")
CLAUSE_END = re.compile(r"[;|]|\.(?: |$)")

DATE_RANGE = re.compile(r"(?:tu )?(?:ngay )?(\d{1,2})(?: ?[/.-] ?| thang )(\d{1,2})(?:(?: ?[/.-] ?| nam )(\d{4}))?"
                        r" ?(?:den(?: het)?|-) ?(?:ngay )?" + _DMY)
DATE = re.compile(r"(?:ngay )?" + _DMY)
DAY_MONTH = re.compile(r"ngay (\d{1,2})(?: ?[/-] ?| thang )(\d{1,2})(?!\d)(?! ?[/.-] ?\d)(?! nam)")
RECURRING_DAY = re.compile(r"ngay (\d{1,2})(?: ?/ ?(\d{1,2}))?(?: cua)? (?:hang (thang|quy|nam)|(thang|quy|nam) "
                           r"(?:lien ke|tiep theo|ke tiep|sau))(?![a-z])")
MONTH_RANGE = re.compile(r"(?:tu )?thang (\d{1,2})" + _YEAR + r"? ?(?:den(?: het)?|-) ?(?:thang )?(\d{1,2})"
                         + _YEAR + r"?(?! ?[/.-] ?\d)")
MONTH = re.compile(r"thang (\d{1,2})(?:" + _YEAR + r"|(?! ?[/.-] ?\d)(?! nam \d))")
QUARTERS = re.compile(r"(?:tu )?quy " + _ROMAN + r"(?:(?:,| va| den| ?-) ?(?:quy )?" + _ROMAN + r"){0,3}" + _YEAR
                      + "?")
HALF = re.compile(r"(?:0?6|sau) thang (dau|cuoi) nam(?: (\d{4})(?!\d))?")
YEAR_RANGE = re.compile(r"(?:giai doan|tu nam|nam) (\d{4}) ?(?:-|den(?: het)?) ?(?:nam )?(\d{4})(?!\d)")
ONWARD = re.compile(r"nam (\d{4}) va (?:cac |nhung )?nam (?:tiep theo|sau|ke tiep)")
YEAR = re.compile(r"nam (\d{4})(?!\d)(?! ?[/-] ?\d)")
PLAN_YEAR = re.compile(r"trong nam(?![a-z])(?! ?\d)(?! (?:hoc|tai chinh|tiep|sau|ke|qua|truoc|toi)(?![a-z]))")
FROM_NOW = re.compile(r"tu nay den (?:het )?(?:nam )?(\d{4})(?!\d)")
CONTINUOUS = re.compile(r"(?<!chi )(?<!kinh phi )thuong xuyen(?:,? lien tuc)?(?: (?:(?:tu nay )?den (?:het )?nam "
                        r"(?P<until>\d{4})(?!\d)|trong nam(?: (?P<year>\d{4})(?!\d))?|(?P<month>trong thang)|"
                        r"(?P<asked>khi co yeu cau)))?")
PERIODIC = re.compile(r"(?:dinh ky (?:bao cao )?(?:hang )?|hang )(?:(thang|quy|nam)|0?6 thang|sau thang)(?![a-z])")
PERIODIC_BARE = re.compile(r"dinh ky(?![a-z])")
REFERENCE_OPENING = re.compile(r"theo (?:cac moc|moc|tien do|lo trinh|thoi gian|thoi han|quyet dinh|nghi dinh|"
                               r"nghi quyet|ke hoach|huong dan|dieu|khoan|thong tu|phuong an|de an|chuong trinh|"
                               r"van ban|cong van|chi thi|quy dinh|yeu cau|chi dao|luat|ket luan|thong bao)(?![a-z])")
REFERENCE = re.compile(r"theo (?:cac )?(?:moc thoi gian|tien do|lo trinh|thoi gian quy dinh|thoi han quy dinh)"
                       r"(?![a-z])")
RELATIVE = re.compile(r"(?:sau|trong(?: vong| thoi han)?) " + _NUMBER + r" (?:ngay(?: lam viec)?|tuan|thang|nam)"
                      r"(?![a-z])(?! (?:dau|cuoi) nam)(?: (?:ke tu|tinh tu|sau khi|tu khi|tu ngay))?")
ON_REQUEST = re.compile(r"khi co yeu cau(?![a-z])")

#: What a bad date (31/02, month 13, a year before 1990) reads as: these words are no time, nor any inside them.
_BAD = _Reading("bad", None, False, None)
_UNITS = {"thang": frequencies.MONTHLY.key, "quy": frequencies.QUARTERLY.key, "nam": frequencies.YEARLY.key}
#: Kinds whose numbers a cited document's name may hold ("Nghị quyết số 34-NQ/TU ngày 27/12/2025").
_CITABLE = {"deadline", "month", "quarter", "half_year", "year", "range"}


def read_time(text: str, plan_year: int | None) -> Timing | None:
    """The first time ``text`` writes, read into a schedule (``plan_year`` fills what the text leaves out);
    None when it writes none."""
    folded, origin = _fold(text)
    first, chosen, several = None, None, False
    for found in _readings(folded, plan_year):
        if first is None:
            first = found
            if found.kind == "by_reference" and found.opening:
                chosen = found  # a reference opening the text ("Theo kế hoạch của tỉnh; …") sets its time
        else:
            several = True
        chosen = chosen or (found if found.body else None)
        if several and chosen:
            break
    if first is None:
        return None
    chosen = chosen or first
    start, end = origin[chosen.start], origin[chosen.end] if chosen.end < len(origin) else len(text)
    written = text[start:end]
    schedule = {"text": written, **chosen.body} if chosen.body else None
    if not several:
        return Timing(schedule, start, end, chosen.sure, chosen.note, chosen.kind)
    note = (t("%(note)s; the text gives several times, '%(text)s' is read", note=chosen.note, text=written)
            if chosen.note else t("the text gives several times; '%(text)s' is read", text=written))
    return Timing(schedule, start, end, False, note, chosen.kind)


@lru_cache(maxsize=1024)
def _folded_char(char: str) -> str:
    """One character folded as ``search.folded`` folds text, dashes as "-" and any space as one space."""
    return " " if char.isspace() else "-" if char in "–—‐‑" else search.folded(char)


def _fold(text: str) -> tuple[str, list[int]]:
    """The text folded, and for each of its characters the index of the character of ``text`` it comes from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = _folded_char(char)
        if piece == " " and (not chars or chars[-1] == " "):
            continue
        chars.extend(piece)
        origin.extend([index] * len(piece))
    return "".join(chars), origin


def _readings(folded: str, plan_year: int | None) -> Iterator[_Reading]:
    """Every time the folded text writes, in order, none inside another or inside a cited document's name."""
    resume = 0
    for anchor in ANCHOR.finditer(folded):
        if anchor.start() < resume:
            continue
        key = "digit" if anchor.group(0)[0].isdigit() else anchor.group(0).split(" ")[0]
        found, resume = _read_at(folded, anchor.start(), key, plan_year)
        if found:
            yield found


def _read_at(folded: str, pos: int, key: str, plan_year: int | None) -> tuple[_Reading | None, int]:
    """The time that starts at ``pos`` (with the cue before it) and where reading goes on."""
    for pattern, build in READERS[key]:
        match = pattern.match(folded, pos)
        if not match:
            continue
        cue = CUE.search(folded, max(0, pos - 40), pos)
        start = cue.start() if cue else pos
        opening = start <= 80 and OPENING.fullmatch(folded, 0, start) is not None
        reading = build(match, _Context(plan_year, cue is not None or opening, opening))
        if reading is None:
            continue
        if reading is _BAD or reading.kind in _CITABLE and not (cue or opening) and _cited(folded, match):
            return None, match.end()
        end = _clause_end(folded, match) if reading.kind in ("by_reference", "relative") else match.end()
        return replace(reading, start=start, end=end, opening=opening), end
    return None, pos


def _cited(folded: str, match: re.Match) -> bool:
    """Whether the words belong to a cited document's name: a document's number before them in their clause, or
    a document's kind before a "ngày …" ("Nghị quyết của Tỉnh ủy ngày 27/12/2025")."""
    clause = max(0, match.start() - 150)  # a document's name with its issuer is shorter
    for end in CLAUSE_END.finditer(folded, clause, match.start()):
        clause = end.end()
    if DOCUMENT_NUMBER.search(folded, clause, match.start()):
        return True
    return match.group(0).startswith("ngay") and DOCUMENT_WORD.search(folded, clause, match.start()) is not None


def _clause_end(folded: str, match: re.Match) -> int:
    """Where a reference ends: its clause's end, the text's end, or the words that name it when both are far."""
    limit = min(len(folded), match.end() + 300)
    end = CLAUSE_END.search(folded, match.end(), limit)
    if end:
        return end.start()
    return len(folded) if limit == len(folded) else match.end()


def _day(year: str | int | None, month: str | int, day: str | int) -> date | None:
    """The date, when it is one of 1990-2100; None for a bad date (31/02) or a year out of range."""
    try:
        return date(int(year), int(month), int(day)) if year is not None and 1990 <= int(year) <= 2100 else None
    except ValueError:
        return None


def _month_end(year: str | int | None, month: str | int) -> date | None:
    first = _day(year, month, 1)
    return first and first.replace(day=calendar.monthrange(first.year, first.month)[1])


def _no_year(kind: str) -> _Reading:  # a time of the plan's year, in a plan of no known year
    return _Reading(kind, None, False, t("the text gives no year and the plan's year is not known: no date"))


def _through_plan_year(context: _Context, reporting: str | None, note: Message | None = None) -> _Reading:
    """A duty the text gives no end: continuous to the end of the plan's year, reporting at ``reporting``."""
    kind, year = "recurring" if reporting else "continuous", context.plan_year
    if _day(year, 12, 31) is None:
        return _Reading(kind, None, False, t("a recurring duty with no end date")) if reporting else _no_year(kind)
    body = {"continuous": {"until": f"{year}-12-31"}, **({"reporting": reporting} if reporting else {})}
    return _Reading(kind, body, False, note or (
        t("a recurring duty, read as continuous to the end of the plan's year %(year)s with its reports", year=year)
        if reporting else t("a continuous duty with no end, read to the end of the plan's year %(year)s", year=year)))


def _due(kind: str, end: date | None, sure: bool = False, note: Message | None = None) -> _Reading:
    return _Reading(kind, {"deadline": end.isoformat()}, sure, note) if end else _BAD


def _deadline(match: re.Match, context: _Context) -> _Reading | None:
    return _due("deadline", _day(match.group(3), match.group(2), match.group(1)), True)


def _day_month(match: re.Match, context: _Context) -> _Reading | None:
    if _day(2000, match.group(2), match.group(1)) is None:
        return _BAD
    if not context.cued:
        return None
    if context.plan_year is None:
        return _no_year("deadline")
    return _due("deadline", _day(context.plan_year, match.group(2), match.group(1)), False,
                t("a day with no year, read in the plan's year %(year)s", year=context.plan_year))


def _recurring_day(match: re.Match, context: _Context) -> _Reading | None:
    if _day(2000, match.group(2) or 1, match.group(1)) is None:
        return _BAD
    return _through_plan_year(context, _UNITS[match.group(3) or match.group(4)], t(
        "a report due on a set day of each period, read as continuous to the end of the plan's year %(year)s with "
        "its reports (the day is not kept)", year=context.plan_year))


def _date_range(match: re.Match, context: _Context) -> _Reading | None:
    end = _day(match.group(6), match.group(5), match.group(4))
    if end is None or _day(match.group(3) or end.year, match.group(2), match.group(1)) is None:
        return _BAD
    return _due("range", end, False, t("a period, read as due at its end"))


def _month_range(match: re.Match, context: _Context) -> _Reading | None:
    first, first_year, last, last_year = match.groups()
    year = last_year or first_year or context.plan_year
    if _month_end(2000, first) is None or _month_end(2000, last) is None:
        return None
    return _due("range", _month_end(year, last), False, t("a period, read as due at its end")) if year \
        else _no_year("range")


def _month(match: re.Match, context: _Context) -> _Reading | None:
    month, year = int(match.group(1)), match.group(2) or context.cued and context.plan_year
    if not (year or context.cued):
        return None
    if year and _day(year, month, 1) is None or _day(2000, month, 1) is None:
        return _BAD
    if not year:
        return _no_year("month")
    note = None if match.group(2) else t("a month with no year, read in the plan's year %(year)s", year=year)
    return _Reading("month", {"window": {"month": month, "year": str(year)}}, note is None, note)


def _period_end(kind: str, month: int, year: str | None, context: _Context) -> _Reading | None:
    """A quarter or a half-year, due at its last day: in the year written, else (cued) in the plan's year."""
    if not (year or context.cued):
        return None
    if (year or context.plan_year) is None:
        return _no_year(kind)
    if kind == "quarter":
        note = t("a quarter, read as due at its end (the template has no quarter window)") if year else t(
            "a quarter with no year, read in the plan's year %(year)s and as due at its end", year=context.plan_year)
    else:
        note = t("a half-year, read as due at its end") if year else t(
            "a half-year with no year, read in the plan's year %(year)s and as due at its end", year=context.plan_year)
    return _due(kind, _month_end(year or context.plan_year, month), False, note)


def _quarters(match: re.Match, context: _Context) -> _Reading | None:
    last = match.group(2) or match.group(1)
    quarter = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(last) or int(last)
    return _period_end("quarter", quarter * 3, match.group(3), context)


def _half(match: re.Match, context: _Context) -> _Reading | None:
    return _period_end("half_year", 6 if match.group(1) == "dau" else 12, match.group(2), context)


def _year(match: re.Match, context: _Context) -> _Reading | None:
    return _Reading("year", {"year": match.group(1)}, True, None) \
        if context.cued and _day(match.group(1), 1, 1) else None


def _plan_year(match: re.Match, context: _Context) -> _Reading:
    year = context.plan_year
    return _Reading("year", {"year": str(year)}, False, t("'in the year' with no year, read as the plan's year "
                                                         "%(year)s", year=year)) if year else _no_year("year")


def _until(year: str | int, sure: bool = True, note: Message | None = None) -> _Reading:
    end = _day(year, 12, 31)
    return _Reading("continuous", {"continuous": {"until": end.isoformat()}}, sure, note) if end else _BAD


def _year_range(match: re.Match, context: _Context) -> _Reading | None:
    first, last = match.groups()
    return _until(last) if _day(first, 1, 1) and int(first) <= int(last) else _BAD


def _onward(match: re.Match, context: _Context) -> _Reading | None:
    year = max(int(match.group(1)), context.plan_year or 0)
    return _until(year, False, t("'and the following years' has no end, read to the end of %(year)s", year=year))


def _continuous(match: re.Match, context: _Context) -> _Reading | None:
    if match.group("until") or match.group("year"):
        return _until(match.group("until") or match.group("year"))
    if match.group("month"):
        return _through_plan_year(context, frequencies.MONTHLY.key)
    return _no_date(match, context) if match.group("asked") else _through_plan_year(context, None)


def _periodic(match: re.Match, context: _Context) -> _Reading:
    if match.re is PERIODIC_BARE:
        return _Reading("recurring", None, False, t("a recurring duty with no period stated: no date"))
    return _through_plan_year(context, _UNITS[match.group(1)] if match.group(1) else frequencies.SIX_MONTHLY.key)


def _no_date(match: re.Match, context: _Context) -> _Reading | None:
    """A time set by another document, counted from an event, or whenever asked; "Theo …" and "Khi có yêu cầu"
    are one where they open the text (or "khi có yêu cầu" follows "thường xuyên")."""
    if match.re in (REFERENCE_OPENING, ON_REQUEST) and not context.opening:
        return None
    if match.re is RELATIVE:
        return _Reading("relative", None, False, t("the time counts from an event the text names: no date"))
    if match.re in (ON_REQUEST, CONTINUOUS):
        return _Reading("recurring", None, False, t("done whenever asked: no date"))
    return _Reading("by_reference", None, False, t("the time is set by another document: no date"))


#: What may be read where each keyword starts, tried in this order.
READERS: dict[str, tuple[tuple[re.Pattern, Callable[[re.Match, _Context], "_Reading | None"]], ...]] = {
    "ngay": ((RECURRING_DAY, _recurring_day), (DATE_RANGE, _date_range), (DATE, _deadline), (DAY_MONTH, _day_month)),
    "digit": ((DATE_RANGE, _date_range), (DATE, _deadline), (HALF, _half)),
    "thang": ((MONTH_RANGE, _month_range), (MONTH, _month)),
    "quy": ((QUARTERS, _quarters),),
    "nam": ((YEAR_RANGE, _year_range), (ONWARD, _onward), (YEAR, _year)),
    "thuong": ((CONTINUOUS, _continuous),),
    "dinh": ((PERIODIC, _periodic), (PERIODIC_BARE, _periodic)),
    "hang": ((PERIODIC, _periodic),),
    "giai": ((YEAR_RANGE, _year_range),),
    "tu": ((DATE_RANGE, _date_range), (MONTH_RANGE, _month_range), (QUARTERS, _quarters), (YEAR_RANGE, _year_range),
           (FROM_NOW, lambda match, context: _until(match.group(1)))),
    "theo": ((REFERENCE_OPENING, _no_date), (REFERENCE, _no_date)),
    "sau": ((RELATIVE, _no_date), (HALF, _half)),
    "trong": ((RELATIVE, _no_date), (PLAN_YEAR, _plan_year)),
    "khi": ((ON_REQUEST, _no_date),),
}
