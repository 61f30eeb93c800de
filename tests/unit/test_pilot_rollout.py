"""Pilot then replicate (seed 000): pilot units build the model, a review, roll-out, a final review."""
from engine.services import processes, tasks
from tests.conftest import approver_of, member_of, only_task, tasks_named

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
    view = processes.start_instance(uow, clock, LEAD, "pilot_rollout", VARIABLES)
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
