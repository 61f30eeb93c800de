"""Working days in Vietnam: Monday to Friday, less the public holidays, plus the Saturdays worked in exchange.

The holidays, Tết included (its dates follow the lunar calendar and the days
off the Government sets around it), come from the maintained ``holidays``
library, observed days included; so do the Saturdays the Government makes
working days when it moves a day off next to a holiday (4 May 2024 for 29
April; 26 April 2025 for 2 May). Reminders and "due soon" count only these
working days, so "3 working days before" a deadline after Tết lands before
the holiday.
"""
from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=128)
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("VN", years=year))


@lru_cache(maxsize=128)
def _worked_weekends(year: int) -> frozenset[date]:
    """The weekend days of ``year`` worked in exchange for a day off moved next to a holiday."""
    return frozenset(day for day in holidays.country_holidays("VN", years=year).weekend_workdays if day.year == year)


def is_working_day(day: date) -> bool:
    weekday = day.weekday() < 5 or day in _worked_weekends(day.year)
    return weekday and day not in _public_holidays(day.year)


def holiday_name(day: date) -> str | None:
    return holidays.country_holidays("VN", years=day.year).get(day)


def working_days_before(day: date, count: int) -> date:
    """The date ``count`` working days before ``day`` (``day`` itself need not be a working day)."""
    current = day
    while count > 0:
        current -= timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_after(day: date, count: int) -> date:
    """The date ``count`` working days after ``day`` (``day`` itself not counted)."""
    current = day
    while count > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            count -= 1
    return current


def working_days_between(start: date, end: date, at_most: int | None = None) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end is not later).

    With ``at_most`` the count stops there: "is it within 3 working days?"
    need not walk to a deadline a year away.
    """
    days, current = 0, start
    while current < end and (at_most is None or days < at_most):
        current += timedelta(days=1)
        if is_working_day(current):
            days += 1
    return days
