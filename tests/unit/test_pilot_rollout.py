"""Pilot then replicate (seed 000): pilot units build the model, a review, roll-out, a final review."""
import pytest

from engine.model.actors import SYSTEM
from engine.services import processes, tasks
from tests.conftest import (
    agencies_at,
    approver_of,
    complete_for,
    member_of,
    only_task,
    tasks_named,
)

LEAD, STANDING = member_of("BCD_TINH"), approver_of("UBND_TINH")
VARIABLES = {
    "title": "Mô hình điểm",
    "lead_agency": "BCD_TINH",
    "standing_body": "UBND_TINH",
    "pilot_agencies": ["UBND_Y_YEN", "THPT_LE_HONG_PHONG"],
    "rollout_agencies": ["UBND_NAM_TRUC", "UBND_GIAO_THUY", "SO_GDDT"],
    "deadline": "2023-12-31T23:59:59+07:00",
}


def complete_all(uow, clock, view, element, output):
    for task in tasks_named(view, element):
        view = tasks.complete_task(uow, clock, member_of(task.assigned_agency), task.id,
                                       {output: {"summary": f"{task.assigned_agency} xong"}})
    return view


def test_pilot_units_build_then_every_unit_rolls_out_after_the_pilot_review(uow, clock, standard_processes):
    view = processes.start_instance(uow, clock, SYSTEM, "pilot_rollout", VARIABLES)
    assert sorted(t.assigned_agency for t in view.open_tasks) == ["THPT_LE_HONG_PHONG", "UBND_Y_YEN"]
    view = complete_all(uow, clock, view, "build_pilot", "pilot_result")
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "pilot_summary").id, {"summary": "Sơ kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_pilot").id,
                                   {"approved": False, "return_reason": "Chưa đánh giá hộ gia đình"})
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "pilot_summary").id, {"summary": "Sơ kết 2"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_pilot").id, {"approved": True})
    assert sorted(t.assigned_agency for t in tasks_named(view, "roll_out")) == [
        "SO_GDDT", "UBND_GIAO_THUY", "UBND_NAM_TRUC"]
    view = complete_all(uow, clock, view, "roll_out", "rollout_result")
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_summary").id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id, {"approved": True})
    assert view.status == "completed"


# --- The deadline (the whole item's due date) watches the roll-out ------------------------------------------

AFTER_THE_DEADLINE = "2024-01-02T08:00+07:00"


def approve_pilot(uow, clock, view):
    view = complete_all(uow, clock, view, "build_pilot", "pilot_result")
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "pilot_summary").id, {"summary": "Sơ kết"})
    return tasks.complete_task(uow, clock, STANDING, only_task(view, "review_pilot").id, {"approved": True})


@pytest.fixture
def rolling_out(uow, clock, standard_processes):
    """An item whose roll-out has just opened, well before the deadline."""
    clock.set("2023-03-01T08:00+07:00")
    return approve_pilot(uow, clock, processes.start_instance(uow, clock, SYSTEM, "pilot_rollout", VARIABLES))


def escalation_codes(uow, instance_id):
    with uow:
        return [e.code for e in uow.incidents.escalations(instance_id)]


def rollout_agencies_open(view):
    return agencies_at(view, "roll_out")


def roll_out_at(uow, clock, view, agency):
    return complete_for(uow, clock, view, "roll_out", agency, {"rollout_result": {"summary": f"{agency} xong"}})


def test_each_roll_out_task_is_due_at_the_deadline(rolling_out):
    assert {t.due_at.isoformat() for t in tasks_named(rolling_out, "roll_out")} == {"2023-12-31T16:59:59+00:00"}


def test_a_roll_out_still_running_after_the_deadline_escalates_once_and_goes_on(uow, clock, rolling_out):
    view = roll_out_at(uow, clock, rolling_out, "SO_GDDT")
    clock.set(AFTER_THE_DEADLINE)
    assert processes.fire_due_timers(uow, clock)["advanced"] == 1
    view = processes.get_instance(uow, view.id)
    assert escalation_codes(uow, view.id) == ["deadline_passed"]
    assert rollout_agencies_open(view) == ["UBND_GIAO_THUY", "UBND_NAM_TRUC"]
    assert {t.status for t in tasks_named(view, "roll_out")} == {"ready"}


def test_the_deadline_escalation_is_raised_once_however_often_the_worker_runs(uow, clock, rolling_out):
    for day in ("2024-01-02", "2024-01-03", "2024-02-01"):
        clock.set(f"{day}T08:00+07:00")
        processes.fire_due_timers(uow, clock)
    assert escalation_codes(uow, rolling_out.id) == ["deadline_passed"]


def test_a_roll_out_that_ran_past_the_deadline_still_completes_the_item(uow, clock, rolling_out):
    clock.set(AFTER_THE_DEADLINE)
    processes.fire_due_timers(uow, clock)
    view = complete_all(uow, clock, processes.get_instance(uow, rolling_out.id), "roll_out", "rollout_result")
    view = tasks.complete_task(uow, clock, LEAD, only_task(view, "final_summary").id, {"summary": "Tổng kết"})
    view = tasks.complete_task(uow, clock, STANDING, only_task(view, "review_final").id, {"approved": True})
    assert view.status == "completed"


def test_a_roll_out_finished_before_the_deadline_raises_no_escalation(uow, clock, rolling_out):
    view = complete_all(uow, clock, rolling_out, "roll_out", "rollout_result")
    assert only_task(view, "final_summary")  # the final review is still open when the deadline passes
    clock.set(AFTER_THE_DEADLINE)
    assert processes.fire_due_timers(uow, clock)["advanced"] == 0
    assert escalation_codes(uow, view.id) == []


def test_the_deadline_is_not_fired_before_it_is_due(uow, clock, rolling_out):
    clock.set("2023-12-31T23:59:00+07:00")
    assert processes.fire_due_timers(uow, clock)["advanced"] == 0
    assert escalation_codes(uow, rolling_out.id) == []


def test_a_pilot_that_ran_past_the_deadline_escalates_as_the_roll_out_opens(uow, clock, standard_processes):
    view = processes.start_instance(uow, clock, SYSTEM, "pilot_rollout", VARIABLES)
    clock.set(AFTER_THE_DEADLINE)
    assert processes.fire_due_timers(uow, clock)["advanced"] == 0  # nothing watches the pilot phase
    assert escalation_codes(uow, view.id) == []
    view = approve_pilot(uow, clock, view)  # the approval opens the roll-out, whose deadline is already due
    assert escalation_codes(uow, view.id) == ["deadline_passed"]
    assert rollout_agencies_open(view) == ["SO_GDDT", "UBND_GIAO_THUY", "UBND_NAM_TRUC"]
