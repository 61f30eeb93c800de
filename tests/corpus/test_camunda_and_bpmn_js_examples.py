"""Camunda 7 and bpmn.io examples (corpus folders ``camunda-bpm-examples/`` and
``bpmn-js-examples/``): the files that run, along their README paths."""
from __future__ import annotations

import pytest

from engine.errors import Conflict, NotStartable

from .instance import Instance, bundle_of, requires_corpus

pytestmark = requires_corpus

INVOICE_PAYMENT = "camunda-bpm-examples/task-form-embedded-bpmn-events/invoicePayment.bpmn"


def test_invoice_payment_waits_on_error_and_escalation_boundaries_while_pay_invoice_is_open(clock):
    instance = Instance.start(bundle_of(INVOICE_PAYMENT), "embeddedFormsBpmnEvents", clock)

    [pay] = instance.outcome.ready
    assert (pay.name, pay.form_key) == ("Pay Invoice", "embedded:app:task-form.html")
    assert instance.outcome.waiting_for == [
        "error Unspecified Amount", "escalation Escalation"]


def test_invoice_payment_ends_invoice_paid_when_pay_invoice_is_completed(clock):
    instance = Instance.start(bundle_of(INVOICE_PAYMENT), "embeddedFormsBpmnEvents", clock)

    assert instance.follow(["Pay Invoice"]) == ["Pay Invoice"]
    assert instance.outcome.completed
    assert "Archive Invoice" not in instance.ready


@pytest.mark.parametrize("kind, code, then", [
    ("error", "invoice-error", "Archive Invoice"),
    ("escalation", "invoice-escalate", "Inform Supervisor"),
], ids=["error", "escalation"])
def test_invoice_payment_raised_from_pay_invoice_takes_its_boundary_path(kind, code, then, clock):
    instance = Instance.start(bundle_of(INVOICE_PAYMENT), "embeddedFormsBpmnEvents", clock)

    outcome = instance.throw("Pay Invoice", kind, code, {"reason": "Số tiền không rõ"})

    assert instance.ready == [then]
    assert "Pay Invoice" not in instance.ready  # the boundaries interrupt the task
    assert instance.follow([then]) == [then]
    assert instance.outcome.completed
    assert outcome.waiting_for == []


def test_invoice_payment_refuses_an_error_code_no_boundary_catches(clock):
    instance = Instance.start(bundle_of(INVOICE_PAYMENT), "embeddedFormsBpmnEvents", clock)
    [pay] = instance.outcome.ready
    with pytest.raises(Conflict, match="no boundary event catching error 'wrong-code'"):
        instance.execution().throw_from_task(pay.task_id, "error", "wrong-code", {})


JOB_FOLDER = "camunda-bpm-examples/job-announcement-publication-process"
JOB_FILES = [f"{JOB_FOLDER}/camunda-testing-job-announcement.bpmn",
             f"{JOB_FOLDER}/camunda-testing-job-announcement-publication.bpmn"]
JOB = "camunda-testing-job-announcement"


def test_job_announcement_runs_its_path_with_lanes_and_publishes_through_the_called_process(clock):
    path = [("Describe job role", "HR"), ("Review job role description", "Management"),
            ("Publish announcement", "HR")]
    instance = Instance.start(bundle_of(*JOB_FILES), JOB, clock)

    assert instance.follow(path, {"approved": True, "twitter": True, "facebook": False}) == path

    ran = instance.outcome.ran
    assert instance.outcome.completed
    assert {"publish_announcement_website", "publish_announcement_twitter", "mail"} <= set(ran)
    assert "publish_announcement_facebook" not in ran
    assert ran.index("publication") < ran.index("mail")


def test_job_announcement_returns_the_description_to_hr_until_management_approves(clock):
    instance = Instance.start(bundle_of(*JOB_FILES), JOB, clock)
    instance.complete("Describe job role")

    returned = [("Review job role description", "Management"), ("Improve job role description", "HR")] * 2
    assert instance.follow(returned, {"approved": False}) == returned
    instance.complete("Review job role description", {"approved": True})

    assert instance.ready == ["Publish announcement"]


MESSAGE_START = "camunda-bpm-examples/message-start/message_start_process.bpmn"


def test_message_start_process_refuses_a_plain_start_naming_its_message(clock):
    with pytest.raises(NotStartable, match="starts only when message instantiationMessage arrives"):
        Instance.start(bundle_of(MESSAGE_START), "Message_Start_Process", clock)


def test_message_start_process_runs_its_user_task_once_the_message_arrives(clock):
    instance = Instance.start(bundle_of(MESSAGE_START), "Message_Start_Process", clock,
                              message="instantiationMessage")

    assert instance.follow(["Wait in Message Process"]) == ["Wait in Message Process"]
    assert instance.outcome.completed


def test_message_start_process_refuses_another_message(clock):
    with pytest.raises(Conflict, match="not waiting for message 'instantiationMessage2'"):
        Instance.start(bundle_of(MESSAGE_START), "Message_Start_Process", clock, message="instantiationMessage2")


NESTED = "bpmn-js-examples/nested-subprocesses.bpmn"


def test_nested_subprocesses_open_both_parallel_branches_at_once(clock):
    instance = Instance.start(bundle_of(NESTED), "rootProcess", clock)

    assert sorted(instance.ready) == ["Charge Card", "Check Items"]
    assert instance.outcome.waiting_for == ["error sid-C586DCF2-0B1B-4878-8042-F9869023F21B"]


def test_nested_subprocesses_run_their_five_user_tasks_to_the_end(clock):
    path = ["Check Items", "Call External Supplier", "Charge Card", "Accounting Stuff, I don't know",
            "Ship Items (todo)"]
    instance = Instance.start(bundle_of(NESTED), "rootProcess", clock)

    assert instance.follow(path) == path
    assert instance.outcome.completed
