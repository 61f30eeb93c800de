"""SpiffWorkflow's own test data (corpus folder ``spiffworkflow/``), run along the README paths."""
from __future__ import annotations

from datetime import timedelta

import pytest
from SpiffWorkflow.bpmn.exceptions import WorkflowDataException, WorkflowTaskException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.errors import Conflict

from .instance import Instance, bundle_of, requires_corpus

pytestmark = requires_corpus

APPROVALS = "spiffworkflow/bpmn/Approvals.bpmn"


def test_approvals_runs_its_nine_manual_tasks_in_order(clock):
    path = ["Supervisor Approval", "First Approval Wins Done", "Manager Approval (P)", "Supervisor Approval (P)",
            "Parallel Approvals Done", "Operator Approval", "Supervisor Approval", "Manager Approval",
            "Parallel SP Done"]
    instance = Instance.start(bundle_of(APPROVALS), "Approvals", clock)

    assert instance.follow(path) == path
    assert instance.outcome.completed


def test_approvals_first_approval_wins_and_cancels_the_other(clock):
    instance = Instance.start(bundle_of(APPROVALS), "Approvals", clock)
    assert sorted(instance.ready) == ["Manager Approval", "Supervisor Approval"]

    instance.complete("Supervisor Approval")

    assert instance.ready == ["First Approval Wins Done"]


@pytest.mark.parametrize("process_id, path", [
    ("First_Approval_Wins", ["Supervisor Approval"]),
    ("Parallel_Approvals_SP", ["Operator Approval", "Supervisor Approval", "Manager Approval"]),
], ids=["First_Approval_Wins", "Parallel_Approvals_SP"])
def test_approvals_called_process_also_runs_on_its_own(process_id, path, clock):
    instance = Instance.start(bundle_of(APPROVALS), process_id, clock)

    assert instance.follow(path) == path
    assert instance.outcome.completed


@pytest.mark.parametrize("answer, path", [
    ("No", [("Request Feature", "A"), ("Clarifying Questions?", "B"), ("Implement Feature", "B"),
            ("Send to testing", "C"), ("SubProcessTask", "C")]),
    ("Yes", [("Request Feature", "A"), ("Clarifying Questions?", "B"), ("Clarify Request", "A"),
             ("Implement Feature", "B"), ("Send to testing", "C"), ("SubProcessTask", "C")]),
], ids=["no-clarification", "with-clarification"])
def test_lanes_file_runs_its_path_with_lanes(answer, path, clock):
    instance = Instance.start(bundle_of("spiffworkflow/bpmn/lanes.bpmn"), "lanes", clock)

    assert instance.follow(path, {"NeedClarification": answer}) == path
    assert instance.outcome.completed


INCLUSIVE = "spiffworkflow/bpmn/inclusive_gateway.bpmn"


def test_inclusive_gateway_runs_both_conditional_branches_and_not_the_default(clock):
    instance = Instance.start(bundle_of(INCLUSIVE), "main", clock)

    instance.complete("Set Data", {"u": 1, "v": 0, "w": 1})

    assert instance.outcome.completed
    assert {"u_plus_v", "w_plus_v"} <= set(instance.outcome.ran)
    assert "increment_v" not in instance.outcome.ran


def test_inclusive_gateway_fails_when_no_flow_out_of_the_join_is_true(clock):
    instance = Instance.start(bundle_of(INCLUSIVE), "main", clock)

    with pytest.raises(WorkflowTaskException, match="No conditions satisfied") as failed:
        instance.complete("Set Data", {"u": 0, "v": 0, "w": 0})
    assert failed.value.task_spec.bpmn_id == "second"


TIMER_BOUNDARY = "spiffworkflow/bpmn/timer-non-interrupt-boundary.bpmn"


def test_timer_boundary_asks_for_a_delay_reason_when_work_stays_open_too_long(clock):
    instance = Instance.start(bundle_of(TIMER_BOUNDARY), "NonInterruptTimer", clock)
    assert instance.outcome.next_timer_at == clock.now() + timedelta(seconds=0.2)

    instance.fire_timers_after(seconds=0.2)

    assert instance.ready == ["Work Done?", "Delay Reason"]
    path = ["Work Done?", "Delay Reason"]
    assert instance.follow(path, {"work_done": "Yes"}) == path
    assert instance.outcome.completed


def test_timer_boundary_waits_at_its_join_when_work_ends_before_the_timer(clock):
    instance = Instance.start(bundle_of(TIMER_BOUNDARY), "NonInterruptTimer", clock)

    instance.complete("Work Done?", {"work_done": "Yes"})

    outcome = instance.outcome
    assert (outcome.completed, outcome.ready, outcome.next_timer_at) == (False, [], None)
    assert outcome.waiting_for == ["join Gateway_19fdoel"]


def test_timer_boundary_still_waits_at_its_join_when_the_worker_runs_again(clock):
    instance = Instance.start(bundle_of(TIMER_BOUNDARY), "NonInterruptTimer", clock)
    instance.complete("Work Done?", {"work_done": "Yes"})

    assert not instance.fire_timers_after(days=1).completed


def test_timer_date_start_waits_for_the_date_its_script_computed_then_ends(clock):
    instance = Instance.start(bundle_of("spiffworkflow/bpmn/timer-date-start.bpmn"), "date_timer", clock)
    assert instance.outcome.next_timer_at == clock.now() + timedelta(seconds=0.05)
    assert (instance.ready, instance.outcome.waiting_for) == ([], ["timer Wait till date"])

    assert not instance.fire_timers_after(seconds=0.04).completed
    assert instance.fire_timers_after(seconds=0.01).completed


MULTI_INSTANCE = "spiffworkflow/bpmn/parallel_multiinstance_cardinality.bpmn"


def test_multi_instance_task_opens_three_instances_at_once(clock):
    instance = Instance.start(bundle_of(MULTI_INSTANCE), "main", clock)

    assert instance.ready == ["Any Task"] * 3
    assert [task.variables["input_item"] for task in instance.outcome.ready] == [0, 1, 2]


def test_multi_instance_task_refuses_an_instance_without_its_output_item(clock):
    instance = Instance.start(bundle_of(MULTI_INSTANCE), "main", clock)

    with pytest.raises(WorkflowDataException, match="Expected an output item"):
        instance.complete("Any Task", {})


def test_multi_instance_task_collects_the_output_items_into_output_data(clock):
    instance = Instance.start(bundle_of(MULTI_INSTANCE), "main", clock)

    for value in ["a", "b", "c"]:
        instance.complete("Any Task", {"output_item": value})  # data items are bound by id, not name

    assert instance.outcome.completed
    assert instance.execution().workflow.data["output_data"] == ["a", "b", "c"]


EVENT_GATEWAY = "spiffworkflow/bpmn/event-gateway.bpmn"


@pytest.mark.parametrize("message, end", [("message_1", "message_1_end"), ("message_2", "message_2_end")])
def test_event_gateway_ends_where_the_first_message_leads_and_withdraws_the_rest(message, end, clock):
    instance = Instance.start(bundle_of(EVENT_GATEWAY), "Process_0pvx19v", clock)
    assert (instance.ready, instance.outcome.waiting_for) == ([], ["message message_1", "message message_2", "timer timer_event"])

    assert instance.send(message).completed
    assert instance.outcome.ran[-1] == end
    with pytest.raises(Conflict):
        instance.send("message_1")


def test_event_gateway_ends_at_its_timer_after_a_second_without_message(clock):
    instance = Instance.start(bundle_of(EVENT_GATEWAY), "Process_0pvx19v", clock)

    assert not instance.fire_timers_after(seconds=0.9).completed
    assert instance.fire_timers_after(seconds=0.1).completed
    assert instance.outcome.ran[-1] == "timer"


def test_event_gateway_reports_when_its_timer_is_due(clock):
    instance = Instance.start(bundle_of(EVENT_GATEWAY), "Process_0pvx19v", clock)

    assert instance.outcome.next_timer_at == clock.now() + timedelta(seconds=1)


CALLER = "spiffworkflow/bpmn/call_activity_with_error.bpmn"
CALLED = "spiffworkflow/bpmn/call_activity_call_activity.bpmn"


@pytest.mark.parametrize("paths, process_id", [
    ([CALLER, CALLED], "ErroringBPMN"),
    ([CALLED], "Call_Activity_Get_Data"),
], ids=["through-the-call-activity", "called-file-alone"])
def test_script_error_in_called_process_stops_the_run_naming_the_failing_task(paths, process_id, clock):
    with pytest.raises(WorkflowTaskException, match="name 'remove_this_var' is not defined") as failed:
        Instance.start(bundle_of(*paths), process_id, clock)

    assert failed.value.task_spec.bpmn_id == "Sub_Bpmn_Task"
    assert failed.value.task_trace[0] == f"Create Data ({CALLED})"


COLLABORATION = "spiffworkflow/bpmn/collaboration.bpmn"


def test_collaboration_sends_the_love_letter_and_waits_for_the_response(clock):
    instance = Instance.start(bundle_of(COLLABORATION), "process_buddy", clock, {"lover_name": "Peggy"})

    assert instance.ready == []
    assert instance.outcome.waiting_for == ["message Love Letter Response"]
    [letter] = instance.outcome.thrown
    assert (letter["name"], letter["payload"]["lover_name"]) == ("Love Letter", "Peggy")


def test_collaboration_refuses_a_response_without_the_correlation_value(clock):
    instance = Instance.start(bundle_of(COLLABORATION), "process_buddy", clock, {"lover_name": "Peggy"})

    with pytest.raises(Conflict, match="Love Letter Response"):
        instance.send("Love Letter Response", {})


def test_collaboration_accepts_the_response_from_the_same_lover(clock):
    instance = Instance.start(bundle_of(COLLABORATION), "process_buddy", clock, {"lover_name": "Peggy"})

    # The response carries the correlation property at messagePath `from_name`.
    assert instance.send("Love Letter Response", {"from_name": "Peggy"}).completed


def test_collaboration_without_lover_name_fails_naming_the_missing_variable(clock):
    with pytest.raises(SpiffWorkflowException, match="lover_name") as failed:
        Instance.start(bundle_of(COLLABORATION), "process_buddy", clock)
    assert failed.value.task_spec.bpmn_id == "ActivitySendLetter"


@pytest.mark.parametrize("escalation, end", [(False, "Event_1n1i393"), (True, "Event_1nd3odq")])
def test_escalation_end_event_leaves_the_sub_process_through_the_boundary(escalation, end, clock):
    instance = Instance.start(bundle_of("spiffworkflow/spiff/escalation_event_payload.bpmn"), "event_test", clock)

    instance.complete("Set Data", {"escalation": escalation})

    assert instance.outcome.completed
    assert instance.outcome.ran[-1] == end
    assert ("catch" in instance.outcome.ran) is escalation


MESSAGE_BOUNDARY = "spiffworkflow/camunda/noninterrupting-MessageBoundary.bpmn"
LATE_DATA = {"flag_task": "Yes", "work_done": "Yes"}


def test_message_boundary_collaboration_runs_both_pools_to_their_ends(clock):
    path = [("Is work Late?", "Boss"), ("Do Work", None), ("What work was completed?", None),
            ("Why was the work Late?", None)]
    instance = Instance.start(bundle_of(MESSAGE_BOUNDARY), "Collaboration_0fh00ao", clock)

    assert instance.follow(path, LATE_DATA) == path
    assert instance.outcome.completed


def test_message_boundary_process_alone_waits_at_its_join_for_the_message(clock):
    instance = Instance.start(bundle_of(MESSAGE_BOUNDARY), "Process_1k0py56", clock)

    instance.follow(["Do Work", "What work was completed?"], LATE_DATA)

    assert (instance.outcome.completed, instance.ready) == (False, [])
