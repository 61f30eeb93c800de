"""A continuous duty (thường xuyên … đến hết năm 2022): periodic reports until the end date, then a final one."""
from datetime import date

import pytest

from engine.schedules import end_of_day, report_cutoffs
from engine.services import processes, tasks
from tests.conftest import approver_of, member_of, only_task

LEAD, STANDING = member_of("SO_TTTT"), approver_of("BCD138")


def duty_variables(start=date(2022, 5, 25), end=date(2022, 12, 31), frequency="quarterly"):
    return {
        "title": "Tuyên truyền thường xuyên trên không gian mạng",
        "lead_agency": "SO_TTTT",
        "standing_body": "BCD138",
        "report_dates": [c.isoformat() for c in report_cutoffs(start, end, frequency)],
        "end_date": end_of_day(end).isoformat(),
    }


@pytest.fixture
def duty(uow, clock, standard_processes):
    return processes.start_instance(uow, clock, LEAD, "continuous_duty", duty_variables())


def move_to(uow, clock, when, instance_id):
    clock.set(when)
    processes.fire_due_timers(uow, clock)
    return processes.get_instance(uow, instance_id)


def test_nothing_is_asked_of_the_lead_before_the_first_cut_off(duty):
    assert duty.open_tasks == []
    assert duty.next_timer_at.isoformat() == "2022-06-14T17:00:00+00:00"


def test_each_cut_off_asks_the_lead_for_that_periods_report(uow, clock, duty):
    seen = []
    for cutoff in ["2022-06-15T08:00+07:00", "2022-09-15T08:00+07:00", "2022-12-15T08:00+07:00"]:
        view = move_to(uow, clock, cutoff, duty.id)
        task = only_task(view, "periodic_report")
        assert task.assigned_agency == "SO_TTTT"
        seen.append(cutoff[:10])
        view = tasks.complete_task(uow, clock, LEAD, task.id, {"summary": f"Báo cáo kỳ {cutoff[:7]}"})
    assert seen == ["2022-06-15", "2022-09-15", "2022-12-15"]
    assert view.open_tasks == []
    assert view.next_timer_at.isoformat() == "2022-12-31T16:59:59+00:00"


def test_the_final_report_after_the_end_date_is_approved_or_returned(uow, clock, duty):
    for cutoff in ["2022-06-15T08:00+07:00", "2022-09-15T08:00+07:00", "2022-12-15T08:00+07:00"]:
        view = move_to(uow, clock, cutoff, duty.id)
        tasks.complete_task(uow, clock, LEAD, only_task(view, "periodic_report").id, {"summary": "ok"})
    view = move_to(uow, clock, "2023-01-02T08:00+07:00", duty.id)
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_report").id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id,
                                   {"approved": False, "return_reason": "Bổ sung số liệu"})
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_report").id, {"summary": "Đã bổ sung"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id, {"approved": True})
    assert view.status == "completed"


def test_a_worker_that_was_down_for_months_asks_for_the_missed_report_once(uow, clock, duty):
    view = move_to(uow, clock, "2022-10-01T08:00+07:00", duty.id)
    assert len(view.open_tasks) == 1  # the June report; the September one follows when it is done
    view = tasks.complete_task(uow, clock, LEAD, view.open_tasks[0].id, {"summary": "late"})
    assert only_task(view, "periodic_report")  # September's cut-off has passed as well


def test_a_duty_with_no_reporting_period_goes_straight_to_the_final_report(uow, clock, standard_processes):
    variables = {**duty_variables(), "report_dates": []}
    view = processes.start_instance(uow, clock, LEAD, "continuous_duty", variables)
    assert view.open_tasks == []
    view = move_to(uow, clock, "2023-01-01T08:00+07:00", view.id)
    assert only_task(view, "final_report").assigned_agency == "SO_TTTT"
