"""Compacting the task tree changes nothing a process does: the same steps, with and without it.

Each scenario is run twice, step for step, once with compaction switched off; after every step both
runs must offer the same tasks (by element, lane and assigned variables) and hold the same data.
"""
from pathlib import Path

import pytest

from engine.bpmn import runtime
from engine.bpmn.loader import load_bundle
from engine.bpmn.runtime import Execution

BPMN = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"
CORPUS = Path(__file__).resolve().parents[3] / "shared" / "bpmn-corpus"


def plan_item_data(step, task):
    if task.element_id == "review_result":
        return {"approved": step > 12, "return_reason": "" if step > 12 else f"lần {step}"}
    if task.element_id == "contribute":
        return {"contribution": {"summary": task.variables["coordinating_agency"]}}
    return {"summary": f"bước {step}"}


SCENARIOS = {
    "plan_item with returns": (BPMN / "plan_item.bpmn", "plan_item", {
        "title": "x", "lead_agency": "CA", "coordinating_agencies": ["A", "B", "C"], "standing_body": "BCD",
        "deadline": "2022-07-01T00:00:00+07:00"}, plan_item_data),
    "pilot_rollout with returns": (BPMN / "pilot_rollout.bpmn", "pilot_rollout", {
        "title": "x", "lead_agency": "CA", "standing_body": "BCD", "pilot_agencies": ["P1", "P2"],
        "rollout_agencies": ["R1", "R2", "R3"], "deadline": "2022-07-01T00:00:00+07:00"},
        lambda step, task: {"approved": step % 3 == 0} if task.element_id.startswith("review") else
        {"pilot_result": {"s": step}} if task.element_id == "build_pilot" else
        {"rollout_result": {"s": step}} if task.element_id == "roll_out" else {"summary": str(step)}),
}
if CORPUS.is_dir():
    SCENARIOS["job announcement loop"] = (
        CORPUS / "camunda-bpm-examples/job-announcement-publication-process", "camunda-testing-job-announcement", {},
        lambda step, task: {"approved": step > 9, "twitter": True, "facebook": step % 2 == 0})
    SCENARIOS["nested sub-processes"] = (CORPUS / "bpmn-js-examples/nested-subprocesses.bpmn", None, {},
                                         lambda step, task: {})
    SCENARIOS["approvals with terminate ends"] = (CORPUS / "spiffworkflow/bpmn/Approvals.bpmn", "Approvals", {},
                                                  lambda step, task: {})


def bundle_of(path: Path):
    files = sorted(path.glob("*.bpmn")) if path.is_dir() else [path]
    return load_bundle({file.name: file.read_bytes() for file in files})


def snapshot(outcome, execution):
    tasks = sorted((t.element_id, t.lane, repr(sorted((k, repr(v)) for k, v in t.variables.items())))
                   for t in outcome.ready)
    return outcome.completed, tasks


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_compaction_leaves_every_step_as_it_would_have_been(name, clock, monkeypatch):
    path, process, variables, data_for = SCENARIOS[name]
    bundle = bundle_of(path)
    process = process or bundle.executable[0]
    compacted, plain = {}, {}
    real_compact, started = runtime.compact, clock.now()
    for label, store in (("compacted", compacted), ("plain", plain)):
        monkeypatch.setattr(runtime, "compact", real_compact if label == "compacted" else (lambda workflow: 0))
        clock.set(started)
        execution, outcome = Execution.start(bundle, process, dict(variables), clock)
        steps = [snapshot(outcome, execution)]
        for step in range(60):
            if outcome.completed or not outcome.ready:
                break
            task = sorted(outcome.ready, key=lambda t: (t.element_id, repr(t.variables)))[0]
            execution = Execution.restore(bundle, process, execution.dumps(), clock)
            outcome = execution.complete_task(task.task_id, data_for(step, task))
            if step == 4:  # the deadline passes mid-way: boundary timers fire, escalations branch off
                clock.advance(days=45)
                outcome = execution.fire_due_timers()
            steps.append(snapshot(outcome, execution))
        store["steps"], store["tasks"] = steps, len(execution.workflow.tasks)
    assert compacted["steps"] == plain["steps"]
    assert compacted["steps"][-1][0], "the scenario should run to its end"
    assert compacted["tasks"] <= plain["tasks"]
