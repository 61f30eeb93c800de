"""Working days as the Government sets them: weekdays less the holidays, plus the Saturdays worked in exchange for
a day off moved next to a holiday (Saturday 4 May 2024 for Monday 29 April; Saturday 26 April 2025 for Friday
2 May), so that deadlines and reminders counted in working days fall where an office counts them."""
from __future__ import annotations

from datetime import date, datetime

import pytest

from engine.model.clock import LOCAL_TZ, parse_instant
from engine.model.progress import due_soon_until, open_status
from engine.model.working_days import is_working_day, working_days_after, working_days_before, working_days_between


@pytest.mark.parametrize("day, working", [
    (date(2024, 5, 4), True),  # Saturday worked for Monday 29 April 2024
    (date(2024, 4, 29), False),  # the day off it bought
    (date(2024, 5, 11), False),  # an ordinary Saturday
    (date(2025, 4, 26), True),  # Saturday worked for Friday 2 May 2025
    (date(2025, 5, 2), False),
    (date(2025, 4, 30), False),  # Reunification Day
    (date(2025, 4, 25), True),  # an ordinary Friday
])
def test_a_day_is_worked_as_the_calendar_of_its_year_says(day, working):
    assert is_working_day(day) is working


def test_counts_across_a_worked_saturday_include_it():
    # Fri 3 May 2024 → Mon 6 May 2024: Saturday the 4th is worked, Sunday the 5th is not
    assert working_days_between(date(2024, 5, 3), date(2024, 5, 6)) == 2
    # three working days before Tuesday 29 April 2025: Monday 28th, Saturday 26th, Friday 25th
    assert working_days_before(date(2025, 4, 29), 3) == date(2025, 4, 25)


def test_the_due_soon_horizon_is_the_fourth_working_day_after_today():
    now = parse_instant("2022-04-28T10:00+07:00")  # a Thursday before 30 April, 1 May and their days off
    horizon = due_soon_until(now)
    assert horizon.astimezone(LOCAL_TZ).date().isoformat() == "2022-05-06"  # Fri 29, Wed 4, Thu 5 are working
    just_before = datetime.fromisoformat("2022-05-05T23:59:59+07:00")
    assert open_status(just_before, now) == "due_soon" and open_status(horizon, now) == "in_progress"


def test_working_days_after_skip_the_days_off():
    # from Friday 26 April 2024: the weekend, Monday 29 (swapped for Saturday 4 May), 30 April and 1 May are off
    assert working_days_after(date(2024, 4, 26), 1) == date(2024, 5, 2)
    assert working_days_after(date(2024, 4, 26), 2) == date(2024, 5, 3)
    assert working_days_after(date(2024, 5, 3), 1) == date(2024, 5, 4)  # the Saturday worked in exchange
