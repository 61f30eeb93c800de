"""Every file of the shared BPMN corpus, imported: the README's *Exec* column checked.

Files that run are driven along their README paths in the other modules of
this folder (one per corpus folder); here are the files that must not run
and the refusals, each with the problem its message names.
"""
from __future__ import annotations

import pytest

from engine.bpmn.runtime import Execution
from engine.errors import BpmnRejected, NotFound, NotStartable

from .instance import CORPUS, bundle_of, requires_corpus

pytestmark = requires_corpus

#: The README's *Exec* column, file by file (a called file counts with its caller).
EXEC = {
    "miwg/reference/A.1.0.bpmn": "no",
    "miwg/reference/A.4.0.bpmn": "no",
    "miwg/bpmn.io-camunda-modeler-18.6.1/A.4.0-export.bpmn": "yes",
    "miwg/ibm-process-designer-8.0.1/A.3.0-export.bpmn": "reject",
    "miwg/bpmn.io-camunda-modeler-18.6.1/B.2.0-export.bpmn": "reject",
    "miwg/reference/C.1.0.bpmn": "yes",
    "miwg/reference/C.2.0.bpmn": "no",
    "miwg/reference/C.9.1.bpmn": "yes",
    "miwg/reference/C.9.2.bpmn": "yes",
    "miwg/reference/C.9.0.bpmn": "reject",
    "spiffworkflow/bpmn/Approvals.bpmn": "yes",
    "spiffworkflow/bpmn/lanes.bpmn": "yes",
    "spiffworkflow/bpmn/inclusive_gateway.bpmn": "yes",
    "spiffworkflow/bpmn/timer-non-interrupt-boundary.bpmn": "yes",
    "spiffworkflow/bpmn/timer-date-start.bpmn": "yes",
    "spiffworkflow/bpmn/parallel_multiinstance_cardinality.bpmn": "yes",
    "spiffworkflow/bpmn/event-gateway.bpmn": "yes",
    "spiffworkflow/bpmn/call_activity_with_error.bpmn": "yes",
    "spiffworkflow/bpmn/call_activity_call_activity.bpmn": "yes",
    "spiffworkflow/bpmn/collaboration.bpmn": "yes",
    "spiffworkflow/bpmn/Invalid-Workflows/non-executable-process.bpmn": "no",
    "spiffworkflow/spiff/escalation_event_payload.bpmn": "yes",
    "spiffworkflow/camunda/noninterrupting-MessageBoundary.bpmn": "yes",
    "camunda-bpm-examples/task-form-embedded-bpmn-events/invoicePayment.bpmn": "yes",
    "camunda-bpm-examples/job-announcement-publication-process/camunda-testing-job-announcement.bpmn": "yes",
    "camunda-bpm-examples/job-announcement-publication-process/camunda-testing-job-announcement-publication.bpmn":
        "yes",
    "camunda-bpm-examples/order-handling/order-handling.bpmn": "reject",
    "camunda-bpm-examples/loan-granting/loan-granting.bpmn": "reject",
    "camunda-bpm-examples/message-start/message_start_process.bpmn": "yes",
    "bpmn-js-examples/pizza-collaboration.bpmn": "no",
    "bpmn-js-examples/nested-subprocesses.bpmn": "yes",
    "bpmn-js-examples/kitchen-sink.bpmn": "reject",
}


#: Files the README marks `no`, with the processes each holds (none executable).
NOT_EXECUTABLE = [
    ("miwg/reference/A.1.0.bpmn", ["WFP-6-"]),
    ("miwg/reference/A.4.0.bpmn", ["WFP-6-1", "WFP-6-2"]),
    ("miwg/reference/C.2.0.bpmn", ["WFP-Page_1-1", "WFP-Page_1-2", "WFP-Page_1-3", "WFP-Page_1-4"]),
    ("spiffworkflow/bpmn/Invalid-Workflows/non-executable-process.bpmn", ["Process_14di7kj"]),
    ("bpmn-js-examples/pizza-collaboration.bpmn", ["_6-1", "_6-2"]),
]

#: Files the README marks `reject`: the files deployed, and the element and problem the refusal names.
REJECTED = [
    (["miwg/ibm-process-designer-8.0.1/A.3.0-export.bpmn"], None,
     "is not well-formed XML: xmlns:Process: 'http://A.3.0-MIO/A.3.0-export/Collapsed Process' is not a valid URI"),
    (["miwg/bpmn.io-camunda-modeler-18.6.1/B.2.0-export.bpmn"], "StartEvent_1",
     "timer has no timeDate, timeDuration or timeCycle"),
    (["miwg/reference/C.9.0.bpmn", "miwg/reference/C.9.1.bpmn", "miwg/reference/C.9.2.bpmn"],
     "BusinessRuleTask_CheckApplicationAutomatically", "business rule task needs a DMN decision (risk_check)"),
    (["camunda-bpm-examples/order-handling/order-handling.bpmn"], "StartEvent_1",
     "timeCycle '0/5 0/1 * 1/1 * ?' is a cron expression"),
    (["camunda-bpm-examples/loan-granting/loan-granting.bpmn"], "StartEvent_1",
     "timeCycle '0/5 0/1 * 1/1 * ?' is a cron expression"),
    (["bpmn-js-examples/kitchen-sink.bpmn"], None,
     "bpmn:linkEventDefinition': The attribute 'name' is required but missing. (line 94)"),
]

#: Files the README expects to import that the engine refuses (see the corpus README's notes).
NOT_IMPORTABLE_YET = [
    # README: yes (with C.9.1). Multi-instance is given only as zeebe:loopCharacteristics.
    (["miwg/reference/C.9.2.bpmn", "miwg/reference/C.9.1.bpmn"], "CallActivity_RequestDocument",
     "multi-instance has neither loopCardinality nor loopDataInputRef "
     "(it is defined only through zeebe:loopCharacteristics)"),
]


def ids(cases: list) -> list[str]:
    """Test ids: the name of the (first) file each case deploys."""
    return [(case[0] if isinstance(case[0], str) else case[0][0]).rsplit("/", 1)[-1] for case in cases]


def test_every_corpus_file_has_its_readme_verdict_and_every_refusal_is_checked_here():
    assert {str(path.relative_to(CORPUS)) for path in CORPUS.rglob("*.bpmn")} == set(EXEC)
    assert {path for path, verdict in EXEC.items() if verdict == "reject"} == {paths[0] for paths, *_ in REJECTED}
    assert {path for path, verdict in EXEC.items() if verdict == "no"} == {path for path, _ in NOT_EXECUTABLE}


@pytest.mark.parametrize(("path", "processes"), NOT_EXECUTABLE, ids=ids(NOT_EXECUTABLE))
def test_non_executable_file_imports_but_refuses_to_start_any_process(path, processes, clock):
    bundle = bundle_of(path)
    assert (bundle.executable, bundle.non_executable, bundle.collaborations) == ([], processes, [])
    for process_id in processes:
        with pytest.raises(NotStartable, match=f"process '{process_id}' is not executable"):
            Execution.start(bundle, process_id, {}, clock)


@pytest.mark.parametrize(("path", "collaboration"), [
    ("miwg/reference/A.4.0.bpmn", "C1373649949206"),
    ("miwg/reference/C.2.0.bpmn", "C1404332496310"),
    ("bpmn-js-examples/pizza-collaboration.bpmn", "C1275940932557"),
], ids=["A.4.0.bpmn", "C.2.0.bpmn", "pizza-collaboration.bpmn"])
def test_collaboration_of_non_executable_pools_cannot_be_started_as_a_whole(path, collaboration, clock):
    with pytest.raises(NotStartable, match=f"collaboration '{collaboration}' has no executable process"):
        Execution.start(bundle_of(path), collaboration, {}, clock)


def test_an_unknown_process_id_is_not_found_and_the_message_lists_what_can_start(clock):
    with pytest.raises(NotFound, match="executable: Process_0elb8rq"):
        Execution.start(bundle_of("miwg/bpmn.io-camunda-modeler-18.6.1/A.4.0-export.bpmn"), "nope", {}, clock)


def assert_refused(paths: list[str], element: str | None, problem: str) -> None:
    with pytest.raises(BpmnRejected) as refused:
        bundle_of(*paths)
    assert (refused.value.file, refused.value.element) == (paths[0], element)
    assert problem in str(refused.value)


@pytest.mark.parametrize(("paths", "element", "problem"), REJECTED, ids=ids(REJECTED))
def test_file_marked_reject_is_refused_at_import_naming_file_element_and_problem(paths, element, problem):
    assert_refused(paths, element, problem)


@pytest.mark.parametrize(("paths", "element", "problem"), NOT_IMPORTABLE_YET, ids=ids(NOT_IMPORTABLE_YET))
def test_file_the_engine_cannot_import_yet_is_refused_naming_the_construct(paths, element, problem):
    assert_refused(paths, element, problem)


@pytest.mark.parametrize(("path", "missing", "caller"), [
    ("spiffworkflow/bpmn/call_activity_with_error.bpmn", "Call_Activity_Get_Data", "Activity_12zat0d"),
    ("camunda-bpm-examples/job-announcement-publication-process/camunda-testing-job-announcement.bpmn",
     "camunda-testing-job-announcement-publication", "publication"),
], ids=["call_activity_with_error.bpmn", "camunda-testing-job-announcement.bpmn"])
def test_caller_deployed_without_its_called_file_is_refused_naming_the_call_and_the_process(path, missing, caller):
    with pytest.raises(BpmnRejected, match=f"calls process '{missing}', which is in none of the files deployed "
                                           "with it") as refused:
        bundle_of(path)
    assert refused.value.element == caller
