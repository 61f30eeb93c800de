"""Every change commits workflow state, task rows and audit together, or nothing."""
import threading
from pathlib import Path

import pytest

from engine.bpmn import runtime
from engine.errors import Conflict, ProcessFailed
from engine.model.actors import SYSTEM
from engine.services import assignments, definitions, processes, tasks
from tests.conftest import member_of

HERE = Path(__file__).parent / "bpmn"


def deploy(uow, clock, name):
    return definitions.deploy(uow, clock, SYSTEM, {name: (HERE / name).read_bytes()})


def snapshot(uow, instance_id):
    with uow:
        instance = uow.instances.get(instance_id)
        return (instance.version, instance.state, [(t.id, t.status) for t in uow.tasks.for_instance(instance_id)],
                len(uow.audit.for_instance(instance_id)))


def test_a_gateway_with_no_true_condition_leaves_the_instance_as_it_was(uow, clock):
    deploy(uow, clock, "gateway_without_default.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "choose", {})
    before = snapshot(uow, view.id)
    with pytest.raises(ProcessFailed, match="which"):
        tasks.complete_task(uow, clock, SYSTEM, view.open_tasks[0].id, {"choice": "c"})
    after = snapshot(uow, view.id)
    assert after[1:3] == before[1:3]  # workflow state and task rows untouched (the version counts the incident)
    with uow:
        [incident] = uow.incidents.open_for_instance(view.id)
        assert (incident.element_id, incident.action) == ("which", "complete_task")
        assert "No conditions satisfied" in incident.message


def test_the_same_task_done_right_afterwards_settles_the_incident(uow, clock):
    deploy(uow, clock, "gateway_without_default.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "choose", {})
    task_id = view.open_tasks[0].id
    with pytest.raises(ProcessFailed):
        tasks.complete_task(uow, clock, SYSTEM, task_id, {"choice": "c"})
    view = tasks.complete_task(uow, clock, SYSTEM, task_id, {"choice": "b"})
    assert [t.element_id for t in view.open_tasks] == ["do_b"]
    with uow:
        assert uow.incidents.open_for_instance(view.id) == []


def test_a_failing_timer_step_parks_the_instance_until_fixed_and_retried(uow, clock):
    deploy(uow, clock, "timer_then_script.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "wait_then_compute", {"total": 10, "parts": 0})
    clock.advance(days=8)
    assert processes.fire_due_timers(uow, clock) == {"advanced": 0, "failed": 1, "skipped": 0}
    assert processes.fire_due_timers(uow, clock)["failed"] == 0  # parked: not retried in a loop
    with uow:
        [incident] = uow.incidents.open_for_instance(view.id)
        assert incident.element_id == "compute" and "ZeroDivisionError" in incident.message
    processes.set_variables(uow, clock, SYSTEM, view.id, {"parts": 4})
    view = processes.retry_incident(uow, clock, SYSTEM, incident.id)
    assert [t.element_id for t in view.open_tasks] == ["check"]
    with uow:
        assert uow.incidents.open_for_instance(view.id) == []


def test_a_task_completed_twice_in_a_row_is_a_conflict(uow, clock):
    deploy(uow, clock, "task_then_script.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "task_then_script", {})
    task_id = view.open_tasks[0].id
    tasks.complete_task(uow, clock, SYSTEM, task_id, {"number": 2})
    with pytest.raises(Conflict, match="already completed"):
        tasks.complete_task(uow, clock, SYSTEM, task_id, {"number": 3})


def test_two_people_completing_one_task_at_once_one_wins_one_gets_a_conflict(uow, clock, monkeypatch):
    deploy(uow, clock, "gateway_without_default.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "choose", {})
    task_id = view.open_tasks[0].id
    both_loaded = threading.Barrier(2, timeout=10)
    original = runtime.Execution.complete_task

    def complete_after_both_loaded(self, *args, **kwargs):
        both_loaded.wait()  # each has read the instance before either writes
        return original(self, *args, **kwargs)

    monkeypatch.setattr(runtime.Execution, "complete_task", complete_after_both_loaded)
    results = {}

    def attempt(choice):
        try:
            results[choice] = tasks.complete_task(uow.__class__(uow._sessions), clock, SYSTEM, task_id,
                                                      {"choice": choice})
        except Conflict as error:
            results[choice] = error

    threads = [threading.Thread(target=attempt, args=(choice,)) for choice in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    conflicts = [r for r in results.values() if isinstance(r, Conflict)]
    winners = [r for r in results.values() if not isinstance(r, Conflict)]
    assert len(conflicts) == 1 and len(winners) == 1
    assert "same moment" in str(conflicts[0])  # caught by the version check, not by the status check
    view = processes.get_instance(uow, view.id)
    assert len(view.open_tasks) == 1  # exactly one branch was taken
    with uow:
        completions = [e for e in uow.audit.for_instance(view.id) if e.action == "task.completed"]
    assert len(completions) == 1


def test_another_agencys_task_reads_as_not_found(uow, clock, standard_processes):
    from engine.errors import NotFound
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "title": "x", "lead_agency": "CONG_AN_TINH", "coordinating_agencies": [], "standing_body": "BCD",
        "deadline": "2022-12-31T00:00:00+07:00"})
    with pytest.raises(NotFound):
        tasks.complete_task(uow, clock, member_of("SO_TTTT"), view.open_tasks[0].id, {"summary": "x"})


def test_an_instance_keeps_the_version_it_was_started_on(uow, clock):
    deploy(uow, clock, "task_then_script.bpmn")
    old = processes.start_instance(uow, clock, SYSTEM, "task_then_script", {})
    changed = (HERE / "task_then_script.bpmn").read_text().replace("number * 2", "number * 3")
    [redeployed] = definitions.deploy(uow, clock, SYSTEM, {"task_then_script.bpmn": changed})
    assert redeployed.version == 2
    new = processes.start_instance(uow, clock, SYSTEM, "task_then_script", {})
    assert (old.version, new.version) == (1, 2)
    tasks.complete_task(uow, clock, SYSTEM, old.open_tasks[0].id, {"number": 5})
    with uow:
        assert '"doubled": 10' in uow.instances.get(old.id).state


def test_deploying_the_same_files_again_makes_no_new_version(uow, clock):
    first = deploy(uow, clock, "task_then_script.bpmn")
    again = deploy(uow, clock, "task_then_script.bpmn")
    assert [(d.version, d.new) for d in first] == [(1, True)]
    assert [(d.version, d.new) for d in again] == [(1, False)]


def test_an_agency_that_cannot_do_a_task_escalates_it_and_the_boundary_path_follows(uow, clock):
    deploy(uow, clock, "report_or_escalate.bpmn")
    view = processes.start_instance(uow, clock, SYSTEM, "report_or_escalate", {})
    report = view.open_tasks[0]
    view = tasks.raise_from_task(uow, clock, SYSTEM, report.id, "escalation", "needs_help",
                                 {"reason": "Thiếu kinh phí"})
    assert [t.element_id for t in view.open_tasks] == ["help"]
    with uow:
        assert uow.tasks.get(report.id).status == "completed"
        raised = [e for e in uow.audit.for_instance(view.id) if e.action == "task.escalation"]
        assert [(e.task_id, e.data["code"], e.data["data"]) for e in raised] == [
            (report.id, "needs_help", {"reason": "Thiếu kinh phí"})]
    with pytest.raises(Conflict, match="already completed"):
        tasks.raise_from_task(uow, clock, SYSTEM, report.id, "escalation", "needs_help", {})


def test_two_colleagues_claiming_one_task_one_gets_it(uow, clock, standard_processes):
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "title": "x", "lead_agency": "CONG_AN_TINH", "coordinating_agencies": [], "standing_body": "BCD",
        "deadline": "2022-12-31T00:00:00+07:00"})
    task_id = view.open_tasks[0].id
    with uow:  # the conditional update both would race on
        assert uow.tasks.claim(task_id, "first") is True
        assert uow.tasks.claim(task_id, "second") is False
        uow.rollback()
    assignments.claim_task(uow, clock, member_of("CONG_AN_TINH", "an"), task_id)
    with pytest.raises(Conflict, match="claimed by an"):
        assignments.claim_task(uow, clock, member_of("CONG_AN_TINH", "binh"), task_id)
    with pytest.raises(Conflict, match="claimed by an"):
        tasks.complete_task(uow, clock, member_of("CONG_AN_TINH", "binh"), task_id, {"summary": "x"})
