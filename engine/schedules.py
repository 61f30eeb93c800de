"""Reporting periods and their data cut-off dates.

Nghị định 09/2019/NĐ-CP, Article 12, fixes the data cut-off of periodic
reports: a monthly report covers the 15th of the previous month to the 14th
of the reporting month; a quarterly one the 15th of the month before the
quarter to the 14th of its last month; a six-monthly one 15 December to
14 June; a yearly one 15 December to 14 December. A period closes at the
end of its 14th, so its report falls due from the 15th at 00:00 local time.
"""
from __future__ import annotations

from datetime import date, datetime, time

from .clock import LOCAL_TZ

#: Months (1-12) whose 14th closes a period, by reporting frequency.
CLOSING_MONTHS = {
    "monthly": tuple(range(1, 13)),
    "quarterly": (3, 6, 9, 12),
    "six_monthly": (6, 12),
    "yearly": (12,),
}


def report_cutoffs(start: date, end: date, frequency: str) -> list[datetime]:
    """The instants at which each period between ``start`` and ``end`` closes.

    Only periods that close after ``start`` and by ``end`` are listed; what is
    left after the last one is covered by the final report.
    """
    if frequency not in CLOSING_MONTHS:
        raise ValueError(f"unknown reporting frequency '{frequency}'; use one of {', '.join(CLOSING_MONTHS)}")
    if end < start:
        raise ValueError(f"the end date {end.isoformat()} is before the start date {start.isoformat()}")
    cutoffs = []
    year, month = start.year, start.month
    while date(year, month, 14) <= end:
        if month in CLOSING_MONTHS[frequency] and date(year, month, 14) >= start:
            cutoffs.append(datetime.combine(date(year, month, 15), time(0, 0), LOCAL_TZ))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return cutoffs


def end_of_day(day: date) -> datetime:
    """The last moment of a day in Vietnam: ``đến hết năm 2022`` ends at 23:59:59 on 31/12/2022."""
    return datetime.combine(day, time(23, 59, 59), LOCAL_TZ)
