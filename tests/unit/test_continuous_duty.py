"""A continuous duty (thường xuyên … đến hết năm 2022): periodic reports until the end date, then a final one."""
from datetime import date

import pytest

from engine.errors import ProcessFailed
from engine.model.actors import SYSTEM
from engine.model.schedules import end_of_day, report_cutoffs, submission_deadline
from engine.services import launches, processes, tasks, templates, worklists
from tests.conftest import (
    TEMPLATES,
    agencies_at,
    approver_of,
    complete_for,
    member_of,
    only_task,
    tasks_named,
)

LEAD, STANDING = member_of("SO_TTTT"), approver_of("BCD138")
PARTNERS = ["CONG_AN_TINH", "SO_GDDT"]


def duty_variables(start=date(2022, 5, 25), end=date(2022, 12, 31), frequency="quarterly", coordinating=()):
    return {
        "title": "Tuyên truyền thường xuyên trên không gian mạng",
        "lead_agency": "SO_TTTT",
        "coordinating_agencies": list(coordinating),
        "standing_body": "BCD138",
        "report_dates": [c.isoformat() for c in report_cutoffs(start, end, frequency)],
        "report_deadlines": [submission_deadline(c).isoformat() for c in report_cutoffs(start, end, frequency)],
        "end_date": end_of_day(end).isoformat(),
    }


@pytest.fixture
def duty(uow, clock, standard_processes):
    return processes.start_instance(uow, clock, SYSTEM, "continuous_duty", duty_variables())


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
    view = processes.start_instance(uow, clock, SYSTEM, "continuous_duty", variables)
    assert view.open_tasks == []
    view = move_to(uow, clock, "2023-01-01T08:00+07:00", view.id)
    assert only_task(view, "final_report").assigned_agency == "SO_TTTT"


# --- Coordinating agencies (phối hợp) contribute to each period's report ----------------------------------

@pytest.fixture
def shared_duty(uow, clock, standard_processes):
    return processes.start_instance(uow, clock, SYSTEM, "continuous_duty", duty_variables(coordinating=PARTNERS))


def contributors(view):
    return agencies_at(view, "contribute_period")


def contribute(uow, clock, view, agency):
    return complete_for(uow, clock, view, "contribute_period", agency,
                        {"contribution": {"summary": f"{agency} đã phối hợp"}})


def report_period(uow, clock, view, summary="Báo cáo kỳ"):
    return tasks.complete_task(uow, clock, LEAD, only_task(view, "periodic_report").id, {"summary": summary})


def test_each_cut_off_asks_every_coordinating_agency_for_a_contribution_alongside_the_lead(uow, clock,
                                                                                        shared_duty):
    view = move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id)
    assert only_task(view, "periodic_report").assigned_agency == "SO_TTTT"
    assert contributors(view) == PARTNERS
    assert {t.name for t in tasks_named(view, "contribute_period")} == {"Contribute to the periodic report"}
    assert {t.form_key for t in tasks_named(view, "contribute_period")} == {"coordinating_contribution"}


def test_a_coordinating_agency_finds_its_contribution_in_its_own_worklist(uow, clock, shared_duty):
    move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id)
    worklist = worklists.worklist(uow, clock, member_of("SO_GDDT")).tasks
    assert [(t.element_id, t.assigned_agency) for t in worklist] == [("contribute_period", "SO_GDDT")]


def test_nothing_is_asked_of_the_coordinating_agencies_before_the_first_cut_off(shared_duty):
    assert shared_duty.open_tasks == []


def test_the_period_stays_open_after_the_lead_reports_until_every_contribution_is_in(uow, clock, shared_duty):
    view = report_period(uow, clock, move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id))
    assert contributors(view) == PARTNERS
    assert "timer Period cut-off" not in view.waiting_for  # the next period is not opened yet …
    assert view.next_timer_at.isoformat() == "2022-06-21T16:59:59+00:00"  # … the contributions are due by the 21st
    view = contribute(uow, clock, view, "SO_GDDT")
    assert contributors(view) == ["CONG_AN_TINH"]
    assert "timer Period cut-off" not in view.waiting_for
    view = contribute(uow, clock, view, "CONG_AN_TINH")
    assert view.open_tasks == []
    assert view.next_timer_at.isoformat() == "2022-09-14T17:00:00+00:00"


def test_the_period_stays_open_after_every_contribution_until_the_lead_reports(uow, clock, shared_duty):
    view = move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id)
    for agency in PARTNERS:
        view = contribute(uow, clock, view, agency)
    assert [t.element_id for t in view.open_tasks] == ["periodic_report"]
    assert view.waiting_for == ["timer Report due", "join period_join"]
    view = report_period(uow, clock, view)
    assert view.open_tasks == []
    assert view.next_timer_at.isoformat() == "2022-09-14T17:00:00+00:00"


def test_a_contribution_missing_past_the_next_cut_off_holds_the_next_period_back_until_it_comes(uow, clock,
                                                                                               shared_duty):
    view = report_period(uow, clock, move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id))
    view = contribute(uow, clock, view, "SO_GDDT")
    view = move_to(uow, clock, "2022-09-16T08:00+07:00", shared_duty.id)
    assert [(t.element_id, t.assigned_agency) for t in view.open_tasks] == [("contribute_period", "CONG_AN_TINH")]
    view = contribute(uow, clock, view, "CONG_AN_TINH")
    assert only_task(view, "periodic_report")  # September's cut-off has passed: its report is asked at once
    assert contributors(view) == PARTNERS


def test_a_duty_with_no_coordinating_agency_asks_the_lead_alone_and_closes_the_period_on_its_report(uow, clock,
                                                                                                    duty):
    view = move_to(uow, clock, "2022-06-15T08:00+07:00", duty.id)
    assert [t.element_id for t in view.open_tasks] == ["periodic_report"]
    view = report_period(uow, clock, view)
    assert view.open_tasks == []
    assert view.next_timer_at.isoformat() == "2022-09-14T17:00:00+00:00"


@pytest.mark.parametrize("needed", ["coordinating_agencies", "report_deadlines"])
def test_a_duty_started_without_its_agencies_or_deadlines_is_refused_at_start_naming_them(uow, clock,
                                                                                        standard_processes, needed):
    variables = duty_variables()
    del variables[needed]
    with pytest.raises(ProcessFailed, match=needed):
        processes.start_instance(uow, clock, SYSTEM, "continuous_duty", variables)


def test_ten_monthly_periods_with_two_coordinating_agencies_run_to_the_final_report(uow, clock, standard_processes):
    cutoffs = report_cutoffs(date(2022, 6, 1), date(2023, 3, 31), "monthly")
    assert len(cutoffs) == 10
    variables = duty_variables(date(2022, 6, 1), date(2023, 3, 31), "monthly", coordinating=PARTNERS)
    view = processes.start_instance(uow, clock, SYSTEM, "continuous_duty", variables)
    for period, cutoff in enumerate(cutoffs, start=1):
        clock.set(cutoff)
        assert processes.fire_due_timers(uow, clock)["failed"] == 0
        view = processes.get_instance(uow, view.id)
        assert contributors(view) == PARTNERS, f"period {period}"
        if period % 2:  # the lead reports first in odd periods, last in even ones
            view = report_period(uow, clock, view, f"Tháng {cutoff:%m/%Y}")
        for agency in PARTNERS:
            view = contribute(uow, clock, view, agency)
        if not period % 2:
            view = report_period(uow, clock, view, f"Tháng {cutoff:%m/%Y}")
        assert view.open_tasks == [], f"period {period}"
    with uow:
        assert uow.incidents.for_instance(view.id) == []
    view = move_to(uow, clock, "2023-04-01T08:00+07:00", view.id)
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_report").id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id, {"approved": True})
    assert view.status == "completed"


def test_each_contribution_is_kept_with_its_own_task(uow, clock, shared_duty):
    view = move_to(uow, clock, "2022-06-15T08:00+07:00", shared_duty.id)
    view = contribute(uow, clock, view, "SO_GDDT")
    with uow:
        completed = [e for e in uow.audit.for_instance(view.id) if e.action == "task.completed"]
        assert completed[-1].data["data"]["contribution"]["summary"] == "SO_GDDT đã phối hợp"


# --- Launched from a template --------------------------------------------------------------------------

def started_variables(uow, instance_id):
    with uow:
        return next(e.data["variables"] for e in uow.audit.for_instance(instance_id)
                    if e.action == "instance.started")


def test_a_launched_duty_is_given_the_coordinating_agencies_of_its_item(uow, clock, plan_249):
    launched = launches.launch_plan(uow, clock, SYSTEM, plan_249, {"relevant_units": ["QNG-STTTT"]})
    third = next(i for i in launched.items if i.number == "3")  # Sở TT&TT leads, Công an tỉnh coordinates
    assert started_variables(uow, third.instances[0]["id"])["coordinating_agencies"] == ["QNG-CA"]


def test_a_performer_named_as_coordinating_agency_is_not_asked_to_contribute_to_its_own_duty(
        uow, clock, agencies, standard_processes):
    name = "gli-cv-930-ubnd-kgvx.yaml"
    key = templates.register_template(uow, clock, SYSTEM, (TEMPLATES / name).read_bytes(), name).key
    launched = launches.launch_plan(uow, clock, SYSTEM, key, {})
    duty = next(i for i in launched.items if i.number == "3.5")  # every department and district, with Công an
    assert duty.coordinating == ["GLI-CA"]
    coordinating = {i["agency"]: started_variables(uow, i["id"])["coordinating_agencies"] for i in duty.instances}
    assert coordinating["GLI-CA"] == []
    assert {tuple(c) for agency, c in coordinating.items() if agency != "GLI-CA"} == {("GLI-CA",)}
