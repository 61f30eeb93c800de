"""A plan item: the lead carries it out, coordinating agencies contribute, the standing body approves."""
import pytest

from engine.model.actors import SYSTEM
from engine.services import processes, tasks
from tests.conftest import approver_of, member_of, only_task, tasks_named

ITEM = {
    "title": "Xây dựng và nhân rộng các mô hình",
    "lead_agency": "CONG_AN_TINH",
    "coordinating_agencies": ["SO_TTTT", "SO_GDDT"],
    "standing_body": "CONG_AN_TINH_BCD",
    "deadline": "2022-09-30T23:59:59+07:00",
}
LEAD, STANDING = member_of("CONG_AN_TINH"), approver_of("CONG_AN_TINH_BCD")


@pytest.fixture
def start_item(uow, clock, standing_processes_deployed):
    def start(**overrides):
        return processes.start_instance(uow, clock, SYSTEM, "plan_item", {**ITEM, **overrides}, business_key="249/4")
    return start


@pytest.fixture
def standing_processes_deployed(standard_processes):
    return standard_processes


def contribute_all(uow, clock, view):
    for task in tasks_named(view, "contribute"):
        view = tasks.complete_task(uow, clock, member_of(task.assigned_agency), task.id,
                                       {"contribution": {"summary": f"{task.assigned_agency} đã phối hợp"}})
    return view


def report(uow, clock, view, summary="Đã hoàn thành"):
    return tasks.complete_task(uow, clock, LEAD, only_task(view, "report_result").id, {"summary": summary})


def review(uow, clock, view, approved, reason=""):
    return tasks.complete_task(uow, clock, STANDING, only_task(view, "review_result").id,
                                   {"approved": approved, "return_reason": reason})


def test_launch_gives_the_lead_its_work_and_each_coordinating_agency_a_contribution(start_item):
    view = start_item()
    assert only_task(view, "report_result").assigned_agency == "CONG_AN_TINH"
    assert sorted(t.assigned_agency for t in tasks_named(view, "contribute")) == ["SO_GDDT", "SO_TTTT"]
    assert only_task(view, "report_result").due_at.isoformat() == "2022-09-30T16:59:59+00:00"


def test_approved_result_completes_the_item(uow, clock, start_item):
    view = review(uow, clock, report(uow, clock, contribute_all(uow, clock, start_item())), approved=True)
    assert view.status == "completed"
    assert view.open_tasks == []


def test_returned_result_goes_back_to_the_lead_with_the_reason(uow, clock, start_item):
    view = report(uow, clock, contribute_all(uow, clock, start_item()))
    view = review(uow, clock, view, approved=False, reason="Thiếu minh chứng")
    lead_task = only_task(view, "report_result")
    assert lead_task.assigned_agency == "CONG_AN_TINH"
    with uow:
        returned = [e for e in uow.audit.for_instance(view.id) if e.action == "task.completed"][-1]
        assert returned.data["data"]["return_reason"] == "Thiếu minh chứng"
    view = review(uow, clock, report(uow, clock, view, "Bổ sung minh chứng"), approved=True)
    assert view.status == "completed"


def test_an_item_with_no_coordinating_agency_goes_straight_to_the_lead(uow, clock, start_item):
    view = start_item(coordinating_agencies=[])
    assert [t.element_id for t in view.open_tasks] == ["report_result"]
    assert review(uow, clock, report(uow, clock, view), approved=True).status == "completed"


def test_one_coordinating_agency_gets_one_contribution(uow, clock, start_item):
    view = start_item(coordinating_agencies=["SO_TTTT"])
    assert [t.assigned_agency for t in tasks_named(view, "contribute")] == ["SO_TTTT"]


def test_the_item_waits_for_every_contribution_before_it_completes(uow, clock, start_item):
    view = review(uow, clock, report(uow, clock, start_item()), approved=True)
    assert view.status == "running"
    assert len(tasks_named(view, "contribute")) == 2
    view = contribute_all(uow, clock, view)
    assert view.status == "completed"
    with uow:
        state = uow.instances.get(view.id).state
    assert "SO_TTTT" in state  # the contributions were collected into the workflow data


def test_a_deadline_passing_before_completion_escalates_without_stopping_the_work(uow, clock, start_item):
    view = start_item()
    clock.set("2022-10-01T08:00+07:00")
    assert processes.fire_due_timers(uow, clock)["advanced"] == 1
    view = processes.get_instance(uow, view.id)
    assert only_task(view, "report_result").status == "ready"
    with uow:
        assert [e.code for e in uow.incidents.escalations(view.id)] == ["deadline_passed"]
    assert review(uow, clock, report(uow, clock, contribute_all(uow, clock, view)), True).status == "completed"


def test_a_deadline_passing_after_the_result_was_approved_raises_nothing(uow, clock, start_item):
    view = review(uow, clock, report(uow, clock, contribute_all(uow, clock, start_item())), approved=True)
    clock.set("2022-10-01T08:00+07:00")
    assert processes.fire_due_timers(uow, clock)["advanced"] == 0
    with uow:
        assert uow.incidents.escalations(view.id) == []


def test_a_deadline_is_not_fired_before_it_is_due(uow, clock, start_item):
    view = start_item()
    clock.set("2022-09-30T23:59:00+07:00")
    assert processes.fire_due_timers(uow, clock)["advanced"] == 0
    with uow:
        assert uow.incidents.escalations(view.id) == []
