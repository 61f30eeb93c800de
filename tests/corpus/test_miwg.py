"""The OMG interchange suite (corpus folder ``miwg/``): the files that run, along their README paths."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.errors import NotStartable

from .instance import Instance, bundle_of, requires_corpus

pytestmark = requires_corpus

A40_EXPORT = "miwg/bpmn.io-camunda-modeler-18.6.1/A.4.0-export.bpmn"
C10 = "miwg/reference/C.1.0.bpmn"
C91 = "miwg/reference/C.9.1.bpmn"


def test_a40_export_runs_pool_process_with_abstract_tasks_as_manual_steps(clock):
    bundle = bundle_of(A40_EXPORT)
    assert (bundle.executable, bundle.non_executable) == (["Process_0elb8rq"], ["Process_0wqyt7t"])

    instance = Instance.start(bundle, "Process_0elb8rq", clock)

    assert instance.follow(["Task 1", "Task 2"]) == ["Task 1", "Task 2"]
    assert instance.outcome.completed


INVOICE = "bpmn-miwg-test-case-c.1.0"
INVOICE_RECEIVED = "invoice-received-C.1.0"


@pytest.mark.parametrize("path, data", [
    ([("Assign\nApprover", "Team Assistant"), ("Approve Invoice", "Approver"),
      ("Prepare\r\nBank\r\nTransfer", "Accountant")], {"approved": True}),
    ([("Assign\nApprover", "Team Assistant"), ("Approve Invoice", "Approver"),
      ("Rechnung klären", "Team Assistant")], {"approved": False, "clarified": "no"}),
], ids=["approved", "not-approved-not-clarified"])
def test_c10_invoice_starts_by_message_and_runs_its_path_with_lanes(path, data, clock):
    bundle = bundle_of(C10)
    with pytest.raises(NotStartable, match=INVOICE_RECEIVED):
        Instance.start(bundle, INVOICE, clock)

    instance = Instance.start(bundle, INVOICE, clock, message=INVOICE_RECEIVED)

    assert instance.follow(path, data) == path
    assert instance.outcome.completed


REMINDER = ["SendTask_SendReminderEmail", "EndEvent_ReminderSent"]


def test_c91_sends_its_request_and_waits_for_the_document_with_no_user_task(clock):
    instance = Instance.start(bundle_of(C91), "requestDocument_en", clock)

    assert instance.outcome.ran == ["StartEvent_DocumentRequested", "SendTask_RequestDocument"]
    assert (instance.ready, instance.outcome.completed) == ([], False)
    assert instance.outcome.waiting_for == [
        "message MESSAGE_documentReceived", "timer daily", "timer 1 week"]
    assert instance.outcome.next_timer_at == clock.now() + timedelta(days=1)


def test_c91_ends_at_document_received_when_the_message_arrives(clock):
    instance = Instance.start(bundle_of(C91), "requestDocument_en", clock)

    outcome = instance.send("MESSAGE_documentReceived")

    assert outcome.completed
    assert outcome.ran == ["ReceiveTask_WaitForDocument", "EndEvent_GotDocument"]


def test_c91_sends_a_reminder_each_day_without_cancelling_the_wait(clock):
    instance = Instance.start(bundle_of(C91), "requestDocument_en", clock)

    for _ in range(6):
        outcome = instance.fire_timers_after(days=1)
        assert outcome.ran[:2] == REMINDER
        assert "message MESSAGE_documentReceived" in outcome.waiting_for
    assert instance.send("MESSAGE_documentReceived").completed


def test_c91_calls_the_customer_after_a_week_without_answer(clock):
    instance = Instance.start(bundle_of(C91), "requestDocument_en", clock)
    for _ in range(6):
        instance.fire_timers_after(days=1)

    outcome = instance.fire_timers_after(days=1)

    assert outcome.waiting_for == []
    assert instance.follow(["Call customer"]) == ["Call customer"]
    assert instance.outcome.ran == ["UserTask_CallCustomer", "EndEvent_TalkedToCustomer"]
    assert instance.outcome.completed


def test_c91_worker_down_for_ten_days_replays_six_reminders_before_the_timeout(clock):
    instance = Instance.start(bundle_of(C91), "requestDocument_en", clock)

    outcome = instance.fire_timers_after(days=10)

    assert outcome.ran.count("SendTask_SendReminderEmail") == 6
    assert instance.ready == ["Call customer"]
