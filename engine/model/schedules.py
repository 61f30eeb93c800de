"""Reporting periods and their data cut-off dates.

Nghị định 09/2019/NĐ-CP, Article 12, fixes the data cut-off of periodic
reports: a monthly report covers the 15th of the previous month to the 14th
of the reporting month; a quarterly one the 15th of the month before the
quarter to the 14th of its last month; a six-monthly one 15 December to
14 June; a yearly one 15 December to 14 December. A period closes at the
end of its 14th, so its report falls due from the 15th at 00:00 local time.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from engine.model.clock import LOCAL_TZ
from engine.model.frequencies import MONTHLY, QUARTERLY, SIX_MONTHLY
from engine.model.frequencies import frequency as frequency_named
from engine.model.working_days import is_working_day


def report_cutoffs(start: date, end: date, frequency: str) -> list[datetime]:
    """The instants at which each period between ``start`` and ``end`` closes.

    Only periods that close after ``start`` and by ``end`` are listed; what is
    left after the last one is covered by the final report.
    """
    closing = frequency_named(frequency).closing_months
    if end < start:
        raise ValueError(f"the end date {end.isoformat()} is before the start date {start.isoformat()}")
    cutoffs = []
    year, month = start.year, start.month
    while date(year, month, 14) <= end:
        if month in closing and date(year, month, 14) >= start:
            cutoffs.append(datetime.combine(date(year, month, 15), time(0, 0), LOCAL_TZ))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return cutoffs


#: How long an agency has to send a period's report after its cut-off when the plan fixes no date:
#: planflow's default, 5 working days from the day the period closes.
DEFAULT_SUBMISSION = {"working_days": 5}

_ROMAN = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class ReportingPeriod:
    """One period of a reporting regime: the data it covers and when its report is due."""

    frequency: str
    first_day: date  # the data cut-off period: from the 15th …
    last_day: date  # … to the 14th it closes on
    closes_at: datetime  # the 15th at 00:00, when the report may be written
    due_at: datetime  # the end of the day the report must be in

    @property
    def label(self) -> str:
        """The period as Vietnamese documents name it: Tháng 6/2022, Quý III/2022, 6 tháng đầu năm 2022, Năm 2022."""
        month, year = self.last_day.month, self.last_day.year
        if self.frequency == MONTHLY.key:
            return f"Tháng {month}/{year}"
        if self.frequency == QUARTERLY.key:
            return f"Quý {_ROMAN[(month - 1) // 3]}/{year}"
        if self.frequency == SIX_MONTHLY.key:
            return f"6 tháng {'đầu' if month == 6 else 'cuối'} năm {year}"
        return f"Năm {year}"

    def as_json(self) -> dict:
        return {"frequency": self.frequency, "label": self.label, "first_day": self.first_day.isoformat(),
                "last_day": self.last_day.isoformat(), "closes_at": self.closes_at.isoformat(),
                "due_at": self.due_at.isoformat()}


def reporting_period(closes_at: datetime, frequency: str, submission: dict | None = None) -> ReportingPeriod:
    """The period that closes at ``closes_at`` (a cut-off of :func:`report_cutoffs`), with its due date."""
    last = closes_at.astimezone(LOCAL_TZ).date() - timedelta(days=1)
    year, month = last.year, last.month - frequency_named(frequency).months
    while month < 1:
        year, month = year - 1, month + 12
    return ReportingPeriod(frequency, date(year, month, 15), last, closes_at,
                           submission_deadline(closes_at, submission))


def submission_deadline(closes_at: datetime, submission: dict | None = None) -> datetime:
    """When a period's report is due: ``{"day_of_month": 18}`` (the 18th of the closing month) or
    ``{"working_days": 5}`` (the end of the 5th working day from the 15th, which counts if it is one)."""
    rule = submission or DEFAULT_SUBMISSION
    opened = closes_at.astimezone(LOCAL_TZ).date()
    if "day_of_month" in rule:
        due = opened.replace(day=int(rule["day_of_month"]))
        if due < opened:
            raise ValueError(f"a report due on day {rule['day_of_month']} would be due before its period closes "
                             "on the 14th: give a day from 15 to 28")
        return end_of_day(due)
    left, day = int(rule["working_days"]), opened
    while True:
        if is_working_day(day):
            left -= 1
            if left <= 0:
                return end_of_day(day)
        day += timedelta(days=1)


def deadline_from(text: str) -> datetime:
    """A deadline as people give it: a date (the end of that day in Vietnam) or an ISO 8601 instant (one
    without an offset read in Asia/Ho_Chi_Minh). ValueError for anything else."""
    text = text.strip()
    if len(text) == 10:
        return end_of_day(date.fromisoformat(text))
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=LOCAL_TZ)


def end_of_day(day: date) -> datetime:
    """The last moment of a day in Vietnam: ``đến hết năm 2022`` ends at 23:59:59 on 31/12/2022."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ)
