"""Working days as the Government sets them: weekdays less the holidays, plus the Saturdays worked in exchange for
a day off moved next to a holiday (Saturday 4 May 2024 for Monday 29 April; Saturday 26 April 2025 for Friday
2 May), so that deadlines and reminders counted in working days fall where an office counts them."""
from __future__ import annotations

from datetime import date

import pytest

from engine.model.working_days import is_working_day, working_days_before, working_days_between


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
