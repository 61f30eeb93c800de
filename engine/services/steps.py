"""Writing a step of a process into the database, and reading instances back.

Every use case ends the same way: the workflow state, the task rows, any
escalations and the audit events of the step go into the open unit of work,
to be committed together. A step that failed becomes an incident instead,
in a transaction of its own.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException

from ..bpmn.expressions import UnsafeExpression
from ..bpmn.runtime import Execution, StepOutcome
from ..errors import ProcessFailed
from ..model import SYSTEM, assigned_agency
from ..store.tables import Escalation, HumanTask, Incident, ProcessInstance
from ..store.uow import UnitOfWork

#: What a step inside a process can raise because of the process itself.
ENGINE_FAILURES = (SpiffWorkflowException, UnsafeExpression, ProcessFailed, RecursionError, NameError,
                   AttributeError, ValueError, TypeError, KeyError, IndexError, ZeroDivisionError)


@dataclass(frozen=True)
class TaskView:
    id: str
    instance_id: int
    element_id: str
    name: str
    lane: str | None
    assigned_agency: str | None
    form_key: str | None
    status: str
    due_at: datetime | None
    claimed_by: str | None = None


@dataclass
class InstanceView:
    id: int
    key: str
    version: int
    status: str
    business_key: str | None
    open_tasks: list[TaskView] = field(default_factory=list)
    next_timer_at: datetime | None = None
    waiting_for: list[str] = field(default_factory=list)
    state_bytes: int = 0


def record_step(uow: UnitOfWork, instance: ProcessInstance, execution: Execution, outcome: StepOutcome,
                now: datetime, done_by_actor: str | None = None) -> list[HumanTask]:
    """Write the step into the instance row, its task rows, escalations and audit log.

    ``done_by_actor`` is the task the caller completes itself (it is not
    cancelled here). Returns the task rows open after the step.
    """
    # Read the open rows before changing the instance, so the query does not flush it twice.
    open_rows = {row.id: row for row in uow.tasks.open_for_instance(instance.id)}
    instance.state = execution.dumps()
    instance.updated_at = now
    instance.next_timer_at = outcome.next_timer_at
    instance.waiting_for = outcome.waiting_for
    instance.completed_elements = sorted(set(instance.completed_elements) | set(outcome.ran))
    instance.active_elements = [] if outcome.completed else execution.active_element_ids()
    if outcome.completed:
        instance.status, instance.completed_at = "completed", now
    ready_ids = {task.task_id for task in outcome.ready}
    for row in open_rows.values():
        if row.id not in ready_ids and row.id != done_by_actor:
            row.status, row.completed_at = "cancelled", now
            uow.audit.append(now, SYSTEM.name, "task.cancelled", instance.id, row.id, data={"element": row.element_id})
    still_open = []
    for task in outcome.ready:
        row = open_rows.get(task.task_id)
        if row is not None:
            row.due_at = task.due_at or row.due_at
            still_open.append(row)
            continue
        agency = assigned_agency(task.lane, task.variables)
        still_open.append(uow.tasks.add(HumanTask(
            id=task.task_id, instance=instance, element_id=task.element_id, name=task.name, lane=task.lane,
            assigned_agency=agency, form_key=task.form_key, status="ready", due_at=task.due_at, created_at=now)))
        uow.audit.append(now, SYSTEM.name, "task.created", instance.id, task.task_id,
                         data={"element": task.element_id, "agency": agency, "lane": task.lane,
                               "due_at": task.due_at.isoformat() if task.due_at else None})
    for event in outcome.thrown:
        if event["type"] == "escalation" and not uow.incidents.escalation_raised(instance.id, event["code"]):
            # A deadline re-armed on every return fires again at once; coordinators hear of it once.
            uow.tasks.add(Escalation(instance_id=instance.id, code=event["code"], name=event["name"], raised_at=now))
        uow.audit.append(now, SYSTEM.name, f"event.{event['type']}", instance.id,
                         data={"name": event["name"], "code": event["code"]})
    if outcome.completed:
        uow.audit.append(now, SYSTEM.name, "instance.completed", instance.id)
    return still_open


def record_incident(uow: UnitOfWork, clock, instance_id: int, action: str, error: BaseException,
                     request: dict[str, Any], park: bool = False) -> None:
    now = clock.now()
    with uow:
        incident = uow.incidents.add(Incident(
            instance_id=instance_id, status="open", action=action, request=request,
            element_id=failing_element(error), error_type=type(error).__name__, message=describe_error(error),
            occurred_at=now))
        instance = uow.instances.get(instance_id)
        instance.open_incidents += 1
        if park:
            # The worker stops picking the instance up until the incident is retried.
            instance.next_timer_at = None
        uow.session.flush()
        uow.audit.append(now, SYSTEM.name, "incident.opened", instance_id,
                         data={"incident": incident.id, "action": action, "element": incident.element_id,
                               "message": incident.message})
        uow.commit()


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


def instance_view(uow: UnitOfWork, instance: ProcessInstance, open_rows: list[HumanTask] | None = None) -> InstanceView:
    if open_rows is None:
        open_rows = uow.tasks.open_for_instance(instance.id)
    return InstanceView(
        id=instance.id, key=instance.definition.key, version=instance.definition.version, status=instance.status,
        business_key=instance.business_key,
        open_tasks=[task_view(row) for row in open_rows],
        next_timer_at=instance.next_timer_at, waiting_for=list(instance.waiting_for),
        state_bytes=len(instance.state))


def task_view(row: HumanTask) -> TaskView:
    return TaskView(row.id, row.instance_id, row.element_id, row.name, row.lane, row.assigned_agency, row.form_key,
                    row.status, row.due_at, row.claimed_by)
