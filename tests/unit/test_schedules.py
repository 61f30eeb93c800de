"""Reporting periods close at the data cut-off dates of Nghị định 09/2019."""
from datetime import date

import pytest

from engine.model.schedules import end_of_day, report_cutoffs


def test_monthly_reports_of_the_rest_of_2022_close_on_each_14th():
    cutoffs = report_cutoffs(date(2022, 5, 25), end_of_day(date(2022, 12, 31)).date(), "monthly")
    assert [c.date().isoformat() for c in cutoffs] == [
        "2022-06-15", "2022-07-15", "2022-08-15", "2022-09-15", "2022-10-15", "2022-11-15", "2022-12-15"]
    assert all(c.utcoffset().total_seconds() == 7 * 3600 for c in cutoffs)


def test_quarterly_and_yearly_periods_close_at_the_end_of_quarter_and_year():
    assert [c.month for c in report_cutoffs(date(2022, 1, 1), date(2022, 12, 31), "quarterly")] == [3, 6, 9, 12]
    assert [c.date() for c in report_cutoffs(date(2022, 1, 1), date(2023, 12, 31), "yearly")] == [
        date(2022, 12, 15), date(2023, 12, 15)]


def test_an_unknown_frequency_is_refused_by_name():
    with pytest.raises(ValueError, match="weekly"):
        report_cutoffs(date(2022, 1, 1), date(2022, 12, 31), "weekly")
