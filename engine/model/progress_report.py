"""A progress report as a value: the plan, the period, each item with its lead, status and results.

The periods are those of Nghị định 09/2019/NĐ-CP (``2022``, ``2022-H1``,
``2022-Q3``, ``2022-09``), each closing on the 14th of its last month and
opening on the 15th of the month before its first. ``engine.services.progress_reports``
fills a report from the database; ``engine.files.report_files`` writes it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from engine.errors import Invalid
from engine.i18n import t
from engine.model.clock import LOCAL_TZ
from engine.model.progress import COUNTED_AS
from engine.model.report_texts import ReportTexts, Signer

_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<half>H[12])|(?P<quarter>Q[1-4])|(?P<month>\d{2})))?$")


@dataclass(frozen=True)
class Period:
    """A reporting period: its name as written (2022-H1), the words for it, and the data cut-off it spans."""

    code: str
    words: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class ReportedItem:
    number: str
    title: str
    lead_agency: str | None
    lead_name: str | None
    coordinating: list[str]
    due: datetime | None
    status: str
    results: list[str]
    heading: bool = False


@dataclass
class ProgressReport:
    plan_id: int
    plan_symbol: str
    plan_title: str
    plan_launched: datetime
    issuer_name: str  # who sends the report: the plan's standing body
    province_name: str
    recipient_names: list[str]
    period: Period | None
    as_of: datetime
    written_on: date
    items: list[ReportedItem] = field(default_factory=list)
    texts: ReportTexts = field(default_factory=ReportTexts)  # the sections people wrote
    signer: Signer | None = None  # None: the block is left for a hand signature

    @property
    def counts(self) -> dict[str, int]:
        counted = {"done_on_time": 0, "done_late": 0, "in_progress": 0, "report_late": 0, "overdue": 0}
        for item in self.items:
            if not item.heading:
                counted[COUNTED_AS.get(item.status, "in_progress")] += 1
        return counted

    @property
    def overdue(self) -> list[ReportedItem]:
        return [item for item in self.items if item.status == "overdue"]

    @property
    def report_late(self) -> list[ReportedItem]:
        """The items late in their periodic reports (chậm báo cáo)."""
        return [item for item in self.items if item.status == "report_late"]


def parse_period(text: str | None) -> Period | None:
    """``2022`` (a year), ``2022-H1`` / ``-H2``, ``2022-Q1`` … ``-Q4``, ``2022-09`` (a month); None for none."""
    if text is None or not text.strip():
        return None
    match = _PERIOD.match(text.strip().upper())
    if not match or not 1990 <= int(match["year"]) <= 2100 or (match["month"] and not 1 <= int(match["month"]) <= 12):
        raise Invalid(t("the period is a year (2022), a half (2022-H1), a quarter (2022-Q3) or a month (2022-09), "
                        "not '%(text)s'", text=text), errors={"period": ["2022, 2022-H1, 2022-Q3 or 2022-09"]})
    year = int(match["year"])
    if match["half"] == "H1":
        last, months, words = 6, 6, t("the first six months of %(year)s", year=year)
    elif match["half"] == "H2":
        last, months, words = 12, 6, t("the last six months of %(year)s", year=year)
    elif match["quarter"]:
        number = int(match["quarter"][1])
        last, months, words = 3 * number, 3, t("quarter %(quarter)s of %(year)s", quarter="I II III IV".split()[number - 1],
                                               year=year)
    elif match["month"]:
        last, months, words = int(match["month"]), 1, t("month %(month)s of %(year)s", month=int(match["month"]),
                                                        year=year)
    else:
        last, months, words = 12, 12, t("the year %(year)s", year=year)
    # Nghị định 09/2019, Article 12: a period runs from the 15th before its first month to the 14th of its last.
    end = datetime.combine(date(year, last, 14), time.max, LOCAL_TZ)
    first_month = last - months + 1
    start_year, start_month = (year - 1, 12) if first_month == 1 else (year, first_month - 1)
    start = datetime.combine(date(start_year, start_month, 15), time.min, LOCAL_TZ)
    return Period(match.group(0), words, start, end)
