"""Loops do not grow the workflow: 500 returns of an item, ten years of monthly reports.

SpiffWorkflow 3.2 alone fails near 165 passes of a loop (RecursionError) or
silently reads the workflow as finished. The figures printed here (run with
-s) show state size and step time staying flat; the assertions check sizes,
never times.
"""
import time
from datetime import date

from engine.model.actors import SYSTEM
from engine.model.schedules import end_of_day, report_cutoffs, submission_deadline
from engine.services import processes, tasks
from tests.conftest import approver_of, member_of, only_task

LEAD, STANDING = member_of("CONG_AN_TINH"), approver_of("BCD138")


def stored_state(uow, instance_id):
    with uow:
        return uow.instances.get(instance_id).state


def test_an_item_returned_500_times_still_runs_and_completes(uow, clock, standard_processes):
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "title": "Item 4", "lead_agency": "CONG_AN_TINH", "coordinating_agencies": ["SO_TTTT"],
        "standing_body": "BCD138", "deadline": "2022-09-30T23:59:59+07:00"})
    sizes, started = {}, time.perf_counter()
    for rework in range(1, 501):
        view = tasks.complete_task(uow, clock, LEAD, only_task(view, "report_result").id,
                                       {"summary": f"Lần {rework}"})
        view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_result").id,
                                       {"approved": False, "return_reason": f"Trả lại lần {rework}"})
        if rework in (10, 100, 250, 500):
            sizes[rework] = len(stored_state(uow, view.id))
            elapsed = (time.perf_counter() - started) * 1000 / (2 * rework)
            print(f"after {rework} returns: state {sizes[rework]} bytes, {elapsed:.1f} ms per step so far")
    assert sizes[500] <= sizes[10] * 1.1, sizes
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "report_result").id, {"summary": "Xong"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_result").id, {"approved": True})
    view = tasks.complete_task(uow, clock, member_of("SO_TTTT"), only_task(view, "contribute").id,
                                   {"contribution": {"summary": "ok"}})
    assert view.status == "completed"


def test_a_ten_year_duty_with_monthly_reports_runs_to_its_end(uow, clock, standard_processes):
    cutoffs = report_cutoffs(date(2022, 6, 1), date(2032, 5, 31), "monthly")
    assert len(cutoffs) == 120
    view = processes.start_instance(uow, clock, SYSTEM, "continuous_duty", {
        "title": "Báo cáo tháng", "lead_agency": "CONG_AN_TINH", "standing_body": "BCD138",
        "coordinating_agencies": ["SO_TTTT"], "report_dates": [c.isoformat() for c in cutoffs],
        "report_deadlines": [submission_deadline(c).isoformat() for c in cutoffs],
        "end_date": end_of_day(date(2032, 5, 31)).isoformat()})
    sizes, step_ms = {}, {}
    for month, cutoff in enumerate(cutoffs, start=1):
        clock.set(cutoff)
        started = time.perf_counter()
        processes.fire_due_timers(uow, clock)
        view = processes.get_instance(uow, view.id)
        view = tasks.complete_task(uow, clock, member_of("SO_TTTT"), only_task(view, "contribute_period").id,
                                   {"contribution": {"summary": f"Phối hợp tháng {cutoff:%m/%Y}"}})
        view = tasks.complete_task(uow, clock, LEAD, only_task(view, "periodic_report").id,
                                   {"summary": f"Tháng {cutoff:%m/%Y}"})
        if month in (12, 60, 120):
            sizes[month], step_ms[month] = len(stored_state(uow, view.id)), (time.perf_counter() - started) * 1000
            print(f"after {month} months: state {sizes[month]} bytes, last period took {step_ms[month]:.1f} ms")
    assert sizes[120] <= sizes[12] * 1.1, sizes
    clock.set("2032-06-01T08:00+07:00")
    processes.fire_due_timers(uow, clock)
    view = processes.get_instance(uow, view.id)
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_report").id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id, {"approved": True})
    assert view.status == "completed"
