"""One pipeline for every change to a process instance.

Completing or returning a task, raising an error or escalation from it,
delivering a message, firing timers, retrying an incident, setting
variables: each is a ``Change`` run by ``run_change`` inside the use case's
one unit of work. The pipeline takes the instance's workflow, applies the
change, writes the step (workflow state, task rows, escalations, audit
events, incidents it settles), commits, and keeps the workflow for the next
step. When the process itself fails (a script error, no gateway condition
true, a limit), nothing of the step is written; the failure becomes an
incident in a transaction of its own, and ``ProcessFailed`` is raised.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from engine.bpmn.runtime import PROCESS_FAILURES, Execution, StepOutcome
from engine.errors import Conflict, ProcessFailed
from engine.i18n import t, word
from engine.model.actors import SYSTEM, Actor
from engine.model.tasks import assigned_agency
from engine.runtime import executions
from engine.runtime.notices import tell_of_new_tasks
from engine.runtime.task_deadlines import due_of_new_task
from engine.runtime.views import InstanceView, instance_view
from engine.store.processes.tables import (
    EscalationRow,
    IncidentRow,
    InstanceRow,
    TaskRow,
)
from engine.store.uow import UnitOfWork


@dataclass
class Change:
    """What to do to an instance, and how to record it."""

    action: str  # what an incident says was being done: complete_task, fire_timers, send_message, set_variables
    audit: str  # the audit event of the step: task.completed, timers.fired …
    apply: Callable[[Execution], StepOutcome | None]  # None: the change ran no engine step (variables set)
    audit_data: dict[str, Any] = field(default_factory=dict)
    request: dict[str, Any] = field(default_factory=dict)  # what retrying it needs
    task: TaskRow | None = None  # the task a person completes with this change
    result: dict[str, Any] | None = None  # the data they completed it with
    done_status: str = "completed"  # or "waived": a coordinator ended it without the agency
    failure: str = "the step failed"  # how ProcessFailed begins
    park: bool = False  # a failure stops the timer worker from picking the instance up again
    resolved_by: str | None = None  # a retry: who settles the incidents of this action


def run_change(uow: UnitOfWork, clock, actor: Actor, instance: InstanceRow, change: Change) -> InstanceView:
    """Apply ``change`` and commit its step, inside the caller's open unit of work."""
    now = clock.now()
    if instance.status != "running":
        raise Conflict(t("process instance %(id)s is %(status)s",
                         id=instance.id, status=word(instance.status)))
    execution = executions.check_out(instance, clock)
    try:
        outcome = change.apply(execution)
    except PROCESS_FAILURES as error:
        instance_id = instance.id
        uow.rollback()
        record_incident(uow, now, instance_id, change, error, actor)
        uow.commit()
        raise ProcessFailed(t("%(failure)s: %(describe_error)s; nothing was changed and an incident was recorded",
                              failure=change.failure, describe_error=describe_error(error)),
                            element=failing_element(error)) from error
    if outcome is None:
        instance.state, instance.updated_at = execution.dumps(), now
        open_rows = None
    else:
        open_rows = record_step(uow, instance, execution, outcome, now, change.task, actor.name, change.result,
                                change.done_status)
    _settle_incidents(uow, instance, change, now, actor)
    audit_data = dict(change.audit_data)
    if outcome is not None:
        audit_data["ran"] = outcome.ran
    uow.audit.knows(actor)
    uow.audit.append(now, actor.name, change.audit, instance.id, change.task.id if change.task else None,
                     data=audit_data)
    uow.commit()
    executions.check_in(instance, execution)
    return instance_view(uow, instance, open_rows)


def record_step(uow: UnitOfWork, instance: InstanceRow, execution: Execution, outcome: StepOutcome,
                now: datetime, done: TaskRow | None = None, done_by: str | None = None,
                result: dict[str, Any] | None = None, done_status: str = "completed",
                new: bool = False) -> list[TaskRow]:
    """Write the step into the instance row, its task rows, escalations and audit log.

    ``done`` is the task row the step's actor completes (marked completed by
    ``done_by`` with ``result``, not cancelled). ``new``: the instance is not written yet (its start): it
    is inserted once, with this first step, rather than inserted empty and updated; at once, for its id,
    unless it has one reserved (then with the rest of the transaction). Returns the rows open after the step.
    """
    # Read the open rows before changing the instance, so the query does not flush it twice.
    open_rows = {} if new else {row.id: row for row in uow.tasks.open_for_instance(instance.id)}
    done_before = set(instance.completed_elements or ())
    instance.steps = step = (instance.steps or 0) + 1
    instance.state = execution.dumps()
    instance.updated_at = now
    instance.next_timer_at = outcome.next_timer_at
    instance.waiting_for = outcome.waiting_for
    instance.completed_elements = sorted(set(instance.completed_elements) | set(outcome.ran))
    instance.active_elements = [] if outcome.completed else execution.active_element_ids()
    if outcome.completed:
        instance.status, instance.completed_at = "completed", now
    if new and instance.id is None:
        uow.flush()  # the one INSERT, and the instance's id for the rows and events below
    ready_ids = {task.task_id for task in outcome.ready}
    if done is not None and done.id not in ready_ids:
        done.status, done.completed_at, done.completed_by, done.result = done_status, now, done_by, result
        done.completed_step = step
    for row in open_rows.values():
        if row.id not in ready_ids and row is not done:
            row.status, row.completed_at, row.completed_step = "cancelled", now, step
            uow.audit.append(now, SYSTEM.name, "task.cancelled", instance.id, row.id, data={"element": row.element_id})
    still_open, opened = [], []
    for task in outcome.ready:
        row = open_rows.get(task.task_id)
        if row is not None:
            row.due_at = task.due_at or row.due_at
            still_open.append(row)
            continue
        agency = assigned_agency(task.lane, task.variables)
        due_at = due_of_new_task(uow, instance, task, now)
        opened.append(uow.tasks.add(TaskRow(
            id=task.task_id, instance=instance, element_id=task.element_id, name=task.name, lane=task.lane,
            assigned_agency=agency, form_key=task.form_key, status="ready", due_at=due_at, created_at=now,
            created_step=step)))
        still_open.append(opened[-1])
        uow.audit.append(now, SYSTEM.name, "task.created", instance.id, task.task_id,
                         data={"element": task.element_id, "agency": agency, "lane": task.lane,
                               "due_at": due_at.isoformat() if due_at else None})
    for event in outcome.thrown:
        if event["type"] == "escalation" and not uow.incidents.escalation_raised(instance.id, event["code"]):
            # A deadline re-armed on every return fires again at once; coordinators hear of it once.
            uow.tasks.add(EscalationRow(instance_id=instance.id, code=event["code"], name=event["name"], raised_at=now))
        uow.audit.append(now, SYSTEM.name, f"event.{event['type']}", instance.id,
                         data={"name": event["name"], "code": event["code"]})
    if outcome.completed:
        uow.audit.append(now, SYSTEM.name, "instance.completed", instance.id)
    if opened:
        tell_of_new_tasks(uow, now, instance, opened, done_before, done, done_by)  # when the transaction commits
    return still_open


def _settle_incidents(uow: UnitOfWork, instance: InstanceRow, change: Change, now: datetime,
                      actor: Actor) -> None:
    """A step that succeeds settles the open incidents of the same action (an earlier failed attempt)."""
    if not instance.open_incidents:
        return
    settled = [incident.id for incident in uow.incidents.open_for_instance(instance.id)
               if incident.action == change.action]
    if not settled:
        return
    resolved_by = change.resolved_by or actor.name
    uow.incidents.resolve_for_instance(instance.id, change.action, now, resolved_by)
    instance.open_incidents = len(uow.incidents.open_for_instance(instance.id))
    for incident_id in settled:
        uow.audit.append(now, resolved_by, "incident.resolved", instance.id, data={"incident": incident_id})


def record_incident(uow: UnitOfWork, now: datetime, instance_id: int, change: Change, error: BaseException,
                    actor: Actor) -> None:
    """In the open unit of work (after the failed step was rolled back): the incident and its audit event."""
    incident = uow.incidents.add(IncidentRow(
        instance_id=instance_id, status="open", action=change.action, request={**change.request, "actor": actor.name},
        element_id=failing_element(error), error_type=type(error).__name__, message=describe_error(error),
        occurred_at=now))
    instance = uow.instances.get(instance_id)
    instance.open_incidents += 1
    if change.park:
        # The worker stops picking the instance up until the incident is retried.
        instance.next_timer_at = None
    uow.flush()
    uow.audit.append(now, SYSTEM.name, "incident.opened", instance_id,
                     data={"incident": incident.id, "action": change.action, "element": incident.element_id,
                           "message": incident.message})


def describe_error(error: BaseException) -> str:
    """A message naming what failed and where, without a traceback."""
    message = str(error.args[0]) if getattr(error, "args", None) else str(error)
    element = failing_element(error)
    cause = getattr(error, "error", None) or error.__cause__ or getattr(error, "exception", None) \
        or (None if error.__suppress_context__ else error.__context__)
    parts = [message]
    if element:
        parts.insert(0, f"at '{element}'")
    if cause is not None and str(cause) not in message:
        parts.append(f"({type(cause).__name__}: {cause})")
    return " ".join(parts)


def failing_element(error: BaseException) -> str | None:
    task_spec = getattr(error, "task_spec", None)
    if task_spec is None and getattr(error, "task", None) is not None:
        task_spec = error.task.task_spec
    return getattr(task_spec, "bpmn_id", None) or getattr(task_spec, "name", None)
