"""Parallel and inclusive joins fire exactly when their branches are done, with or without compaction.

Generated models (2–6 branches of 1–3 tasks, mixed lengths, nested splits,
joins inside subprocesses and called processes, loops that return every
branch, a branch that redoes its own work, automatic branches, inclusive
splits taking other branches on each pass) are completed in several orders.
After every step the run must offer no task after a join while a task inside
it is open; at the end every task ran exactly as often as the model says;
and a run with tree compaction switched off must show the same steps.
"""
from collections import Counter

import pytest

from engine.bpmn import runtime
from engine.bpmn.loader import load_bundle
from engine.bpmn.runtime import Execution
from engine.errors import BpmnRejected

from .join_models import ORDERS, all_models, flat

MODELS = {model.name: model for model in all_models()}


def run(model, order, clock, compacting: bool, monkeypatch):
    choose = order()
    monkeypatch.setattr(runtime, "compact", REAL_COMPACT if compacting else (lambda workflow: 0))
    bundle = load_bundle({"generated.bpmn": model.xml})
    execution, outcome = Execution.start(bundle, model.process_id, dict(model.variables), clock)
    steps, counts = [], Counter()
    for step in range(500):
        ready = sorted((t.element_id, repr(sorted(t.variables.items()))) for t in outcome.ready)
        steps.append((outcome.completed, ready, outcome.waiting_for))
        open_ids = {element for element, _ in ready}
        for scope in model.scopes:
            assert not (scope.after in open_ids and open_ids & scope.inside), \
                f"step {step}: '{scope.after}' is offered while {sorted(open_ids & scope.inside)} are still open"
        if outcome.completed or not outcome.ready:
            break
        task = choose(outcome.ready, step)
        if compacting:  # the stored state is what the next step runs on
            execution = Execution.restore(bundle, model.process_id, execution.dumps(), clock)
        outcome = execution.complete_task(task.task_id, model.decide(task.element_id, counts))
        counts[task.element_id] += 1
    return steps, counts


REAL_COMPACT = runtime.compact


@pytest.mark.parametrize("order", ORDERS, ids=lambda order: order.__name__)
@pytest.mark.parametrize("name", list(MODELS))
def test_join_fires_once_its_branches_are_done_with_and_without_compaction(name, order, clock, monkeypatch):
    model = MODELS[name]
    compacted, compacted_counts = run(model, order, clock, True, monkeypatch)
    plain, _ = run(model, order, clock, False, monkeypatch)
    assert compacted[-1][0], f"the instance stopped at {compacted[-1]}"
    assert dict(compacted_counts) == model.expected_counts
    assert compacted == plain


def test_a_three_branch_join_fires_after_the_last_branch_in_any_order(clock):
    model = flat("parallelGateway", [1, 1, 1])
    bundle = load_bundle({"generated.bpmn": model.xml})
    for first, second, third in ((0, 1, 2), (2, 1, 0), (1, 2, 0)):
        execution, outcome = Execution.start(bundle, model.process_id, {"approved": True}, clock)
        by_element = {task.element_id: task.task_id for task in outcome.ready}
        for branch in (first, second):
            outcome = execution.complete_task(by_element[f"t{branch}_0"], {})
            assert outcome.waiting_for == ["join join"]
        outcome = execution.complete_task(by_element[f"t{third}_0"], {})
        assert [task.element_id for task in outcome.ready] == ["review"]
        assert outcome.waiting_for == []


def test_a_loop_drawn_back_into_a_parallel_gateway_is_refused_at_import():
    xml = flat("parallelGateway", [1, 1]).xml.replace('targetRef="merge"', 'targetRef="split"')
    with pytest.raises(BpmnRejected) as refused:
        load_bundle({"loop.bpmn": xml})
    assert refused.value.file == "loop.bpmn" and refused.value.element == "split"
    assert "exclusive gateway" in str(refused.value)
