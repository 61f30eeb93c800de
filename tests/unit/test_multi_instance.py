"""A multi-instance activity ends early when its completion condition, written with Camunda's counters, holds."""
import pytest

from engine.bpmn.loader import load_bundle
from engine.bpmn.runtime import Execution

CAMUNDA = "http://camunda.org/schema/1.0/bpmn"


def review_by(condition: str, sequential: bool = False, collection: bool = False) -> str:
    loop = (f'camunda:collection="${{reviewers}}" camunda:elementVariable="reviewer"' if collection else "")
    cardinality = "" if collection else "<bpmn:loopCardinality>5</bpmn:loopCardinality>"
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="{CAMUNDA}"
    id="defs" targetNamespace="t">
  <bpmn:process id="reviews" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="review" name="Review">
      <bpmn:multiInstanceLoopCharacteristics isSequential="{str(sequential).lower()}" {loop}>
        {cardinality}
        <bpmn:completionCondition>{condition}</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:userTask id="decide" name="Decide"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review"/>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="decide"/>
    <bpmn:sequenceFlow id="f3" sourceRef="decide" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>"""


def reviews_until_decided(xml: str, clock, variables=None, seen=None) -> int:
    execution, outcome = Execution.start(load_bundle({"reviews.bpmn": xml}), "reviews", dict(variables or {}), clock)
    done = 0
    while [task.element_id for task in outcome.ready][:1] == ["review"]:
        if seen is not None:
            seen.append(outcome.ready[0].variables.get("reviewer"))
        outcome = execution.complete_task(outcome.ready[0].task_id, {})
        done += 1
    assert [task.element_id for task in outcome.ready] == ["decide"]
    if seen is not None:
        seen.append(outcome.ready[0].variables.get("reviewer", "none after the activity"))
    return done


@pytest.mark.parametrize("condition, sequential, reviews", [
    ("${nrOfCompletedInstances >= 3}", False, 3),
    ("${nrOfCompletedInstances >= 3}", True, 3),
    ("${nrOfCompletedInstances / nrOfInstances >= 0.4}", False, 2),
    ("${nrOfActiveInstances == 1}", False, 4),
    ("${loopCounter == 1}", True, 2),
    ("${nrOfCompletedInstances == nrOfInstances}", True, 5),
])
def test_camunda_counters_end_a_multi_instance_early(condition, sequential, reviews, clock):
    assert reviews_until_decided(review_by(condition, sequential), clock) == reviews


def test_counters_over_a_collection_count_its_items(clock):
    xml = review_by("${nrOfCompletedInstances == nrOfInstances - 1}", sequential=True, collection=True)
    seen = []
    assert reviews_until_decided(xml, clock, {"reviewers": ["A", "B", "C"]}, seen) == 2
    assert seen == ["A", "B", "none after the activity"]


def test_a_process_variable_of_the_same_name_wins(clock):
    xml = review_by("${nrOfCompletedInstances >= 1}")
    assert reviews_until_decided(xml, clock, {"nrOfCompletedInstances": 0}) == 5


def test_a_missing_collection_fails_naming_it_not_with_a_type_error(clock):
    from engine.bpmn.runtime import PROCESS_FAILURES
    xml = review_by("${nrOfCompletedInstances >= 1}", collection=True)
    with pytest.raises(PROCESS_FAILURES, match="input collection 'reviewers' is missing") as failed:
        Execution.start(load_bundle({"reviews.bpmn": xml}), "reviews", {}, clock)
    assert not isinstance(failed.value, TypeError)


@pytest.mark.parametrize("sequential", [False, True])
def test_an_activity_restored_from_a_spec_parsed_in_another_process_hears_its_iterations(sequential, clock):
    """Started by one process, completed by another (a second gunicorn worker, the server after a restart):
    each parses the BPMN itself. Before, the restored activity never heard its iteration complete and the
    process hung behind it."""
    xml = review_by("False", sequential=sequential).replace("<bpmn:loopCardinality>5", "<bpmn:loopCardinality>2")
    first, outcome = Execution.start(load_bundle({"reviews.bpmn": xml}), "reviews", {}, clock)
    saved = first.dumps()
    elsewhere = Execution.restore(load_bundle({"reviews.bpmn": xml}), "reviews", saved, clock)  # parsed anew
    ready = outcome.ready
    for _ in range(2):
        assert [task.element_id for task in ready][:1] == ["review"]
        ready = elsewhere.complete_task(ready[0].task_id, {}).ready
    assert [task.element_id for task in ready] == ["decide"]
