"""Starting instances, completing tasks, firing timers, retrying incidents.

Each use case opens one unit of work and commits the workflow state, the task
rows and the audit event together, or nothing. A step that fails inside the
process (a script error, a gateway with no true condition) leaves the
instance exactly as it was and records an incident in a transaction of its
own, for a coordinator to fix the cause and retry.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from SpiffWorkflow.exceptions import SpiffWorkflowException
from sqlalchemy.orm.exc import StaleDataError

from ..bpmn.expressions import UnsafeExpression
from ..bpmn.runtime import STATE_FORMAT, Execution, StepOutcome
from ..errors import Conflict, Invalid, NotFound, ProcessFailed
from ..model import SYSTEM, Actor, assigned_agency
from ..store.tables import Escalation, HumanTask, Incident, ProcessInstance
from ..store.uow import UnitOfWork
from . import executions
from .definitions import bundle_for

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


def start_instance(uow: UnitOfWork, clock, actor: Actor, key: str, variables: dict[str, Any] | None = None,
                   business_key: str | None = None, message: str | None = None) -> InstanceView:
    """Start the current version of process ``key`` and run it to its first wait."""
    variables = dict(variables or {})
    now = clock.now()
    with uow:
        definition = uow.definitions.latest(key)
        bundle = bundle_for(definition.bundle)
        try:
            execution, outcome = Execution.start(bundle, key, variables, clock, message)
        except ENGINE_FAILURES as error:
            raise ProcessFailed(f"process '{key}' could not start: {describe_error(error)}",
                                element=failing_element(error)) from error
        instance = uow.instances.add(ProcessInstance(
            definition_id=definition.id, business_key=business_key, status="running", state="",
            state_format=STATE_FORMAT, next_timer_at=None, waiting_for=[], completed_elements=[], open_incidents=0,
            started_at=now, updated_at=now, completed_at=None, started_by=actor.name))
        uow.session.flush()
        open_rows = _record(uow, instance, execution, outcome, now)
        uow.audit.append(now, actor.name, "instance.started", instance.id,
                         data={"key": key, "version": definition.version, "business_key": business_key,
                               "variables": variables, "ran": outcome.ran})
        uow.commit()
        executions.check_in(instance, execution)
        return _view(uow, instance, open_rows)


def complete_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, data: dict[str, Any]) -> InstanceView:
    """Complete a ready human task with its form data and run the process to the next wait.

    A second completion of the same task, concurrent or later, gets
    ``Conflict`` and changes nothing.
    """
    if not isinstance(data, dict):
        raise Invalid("task data must be an object of named fields")
    now = clock.now()
    task = None  # (instance id, name), kept for the incident after the session is gone
    try:
        with uow:
            row = _task_for(uow, actor, task_id)
            task = (row.instance_id, row.name)
            if row.status != "ready":
                raise Conflict(f"task '{row.name}' is already {row.status}; reload your worklist")
            instance = uow.instances.get(row.instance_id)
            execution = executions.check_out(instance, clock)
            outcome = execution.complete_task(task_id, data)
            row.status, row.completed_at, row.completed_by, row.result = "completed", now, actor.name, data
            open_rows = _record(uow, instance, execution, outcome, now)
            if instance.open_incidents:
                # An earlier failed attempt at this step is settled by this one.
                uow.incidents.resolve_for_instance(instance.id, "complete_task", now, actor.name)
                instance.open_incidents = len(uow.incidents.open_for_instance(instance.id))
            uow.audit.append(now, actor.name, "task.completed", instance.id, task_id,
                             data={"element": row.element_id, "data": data, "ran": outcome.ran})
            uow.commit()
            executions.check_in(instance, execution)
            return _view(uow, instance, open_rows)
    except StaleDataError:
        raise Conflict("this task was completed by someone else at the same moment; reload and check") from None
    except ENGINE_FAILURES as error:
        if task is None:
            raise
        _record_incident(uow, clock, task[0], "complete_task", error,
                         {"task_id": str(task_id), "data": data, "actor": actor.name})
        raise ProcessFailed(f"completing task '{task[1]}' failed: {describe_error(error)}; the task stays open "
                            "and an incident was recorded", element=failing_element(error)) from error


def fire_due_timers(uow: UnitOfWork, clock, limit: int = 100) -> dict[str, int]:
    """Fire every timer due at the clock's time, one instance per transaction.

    Returns counts of instances advanced and failed (each failure becomes an
    incident and the instance stops being picked up until it is retried).
    """
    now = clock.now()
    with uow:
        due = uow.instances.due(now, limit)
    counts = {"advanced": 0, "failed": 0, "skipped": 0}
    for instance_id in due:
        counts[_fire_instance(uow, clock, instance_id)] += 1
    return counts


def send_message(uow: UnitOfWork, clock, actor: Actor, instance_id: int, name: str,
                 payload: dict[str, Any] | None = None) -> InstanceView:
    """Deliver a BPMN message to a waiting instance (a receive task or message event)."""
    now = clock.now()
    with uow:
        instance = uow.instances.get(instance_id)
        execution = executions.check_out(instance, clock)
        try:
            outcome = execution.send_message(name, payload)
        except ENGINE_FAILURES as error:
            raise ProcessFailed(f"message '{name}' could not be delivered: {describe_error(error)}") from error
        open_rows = _record(uow, instance, execution, outcome, now)
        uow.audit.append(now, actor.name, "message.received", instance.id,
                         data={"message": name, "payload": payload or {}, "ran": outcome.ran})
        uow.commit()
        executions.check_in(instance, execution)
        return _view(uow, instance, open_rows)


def set_variables(uow: UnitOfWork, clock, actor: Actor, instance_id: int, variables: dict[str, Any]) -> InstanceView:
    """Correct process variables of a running instance (the usual fix before retrying an incident).

    The values are given to every step that has not run yet; finished steps
    and the history keep what they had.
    """
    if not isinstance(variables, dict) or not all(isinstance(k, str) and k.isidentifier() for k in variables):
        raise Invalid("variables must be an object whose keys are variable names")
    now = clock.now()
    with uow:
        instance = uow.instances.get(instance_id)
        execution = executions.check_out(instance, clock)
        execution.set_variables(variables)
        instance.state, instance.updated_at = execution.dumps(), now
        uow.audit.append(now, actor.name, "instance.variables_set", instance.id, data={"variables": variables})
        uow.commit()
        executions.check_in(instance, execution)
        return _view(uow, instance)


def retry_incident(uow: UnitOfWork, clock, actor: Actor, incident_id: int) -> InstanceView:
    """Run again the step that failed, after its cause was fixed."""
    with uow:
        incident = uow.incidents.get(incident_id)
        if incident.status != "open":
            raise Conflict(f"incident {incident_id} is already {incident.status}")
        action, request, instance_id = incident.action, dict(incident.request), incident.instance_id
    if action == "complete_task":
        task_actor = Actor(request["actor"], roles=frozenset({"admin"}))
        view = complete_task(uow, clock, task_actor, request["task_id"], request["data"])
    elif _fire_instance(uow, clock, instance_id, force=True) == "failed":
        raise ProcessFailed(f"retrying incident {incident_id} failed again; see the newest incident")
    else:
        view = get_instance(uow, instance_id)
    with uow:
        uow.incidents.resolve_for_instance(instance_id, action, clock.now(), actor.name)
        instance = uow.instances.get(instance_id)
        instance.open_incidents = len(uow.incidents.open_for_instance(instance_id))
        uow.audit.append(clock.now(), actor.name, "incident.resolved", instance_id, data={"incident": incident_id})
        uow.commit()
    return view


def get_instance(uow: UnitOfWork, instance_id: int) -> InstanceView:
    with uow:
        return _view(uow, uow.instances.get(instance_id))


def worklist(uow: UnitOfWork, actor: Actor, status: str | None = "ready", limit: int = 100,
             offset: int = 0) -> list[TaskView]:
    """The tasks of the actor's agency (every agency's for coordinators, auditors and admins)."""
    agency = None if actor.roles & {"coordinator", "auditor", "admin"} else actor.agency
    if agency is None and not actor.roles & {"coordinator", "auditor", "admin"}:
        return []
    with uow:
        return [_task_view(row) for row in uow.tasks.worklist(agency, status, limit, offset)]


# --- internals ---------------------------------------------------------------

def _task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> HumanTask:
    """The task row, if the actor may act on it; another agency's task reads as not found."""
    row = uow.tasks.get(task_id)
    if "admin" in actor.roles:
        return row
    if row.assigned_agency is None or row.assigned_agency != actor.agency:
        raise NotFound(f"no task {task_id}")
    return row


def _fire_instance(uow: UnitOfWork, clock, instance_id: int, force: bool = False) -> str:
    now = clock.now()
    try:
        with uow:
            instance = uow.instances.get(instance_id)
            due = instance.next_timer_at is not None and instance.next_timer_at <= now
            if instance.status != "running" or not (due or force):
                return "skipped"
            execution = executions.check_out(instance, clock)
            outcome = execution.fire_due_timers()
            _record(uow, instance, execution, outcome, now)
            uow.audit.append(now, SYSTEM.name, "timers.fired", instance.id, data={"ran": outcome.ran})
            uow.commit()
            executions.check_in(instance, execution)
            return "advanced"
    except StaleDataError:
        return "skipped"
    except ENGINE_FAILURES as error:
        _record_incident(uow, clock, instance_id, "fire_timers", error, {}, park=True)
        return "failed"


def _record(uow: UnitOfWork, instance: ProcessInstance, execution: Execution, outcome: StepOutcome,
            now: datetime) -> list[HumanTask]:
    """Write the step into the instance row, its task rows, escalations and audit log.

    Returns the task rows open after the step.
    """
    # Read the open rows before changing the instance, so the query does not flush it twice.
    open_rows = {row.id: row for row in uow.tasks.open_for_instance(instance.id)}
    instance.state = execution.dumps()
    instance.updated_at = now
    instance.next_timer_at = outcome.next_timer_at
    instance.waiting_for = outcome.waiting_for
    instance.completed_elements = sorted(set(instance.completed_elements) | set(outcome.ran))
    if outcome.completed:
        instance.status, instance.completed_at = "completed", now
    # The versioned UPDATE goes first: a concurrent step on this instance fails here,
    # before any of its task rows could collide with the winner's.
    uow.session.flush()
    ready_ids = {task.task_id for task in outcome.ready}
    for row in open_rows.values():
        if row.id not in ready_ids:
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
            id=task.task_id, instance_id=instance.id, element_id=task.element_id, name=task.name, lane=task.lane,
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


def _record_incident(uow: UnitOfWork, clock, instance_id: int, action: str, error: BaseException,
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
    cause = getattr(error, "error", None) or error.__cause__ or getattr(error, "exception", None)
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


def _view(uow: UnitOfWork, instance: ProcessInstance, open_rows: list[HumanTask] | None = None) -> InstanceView:
    if open_rows is None:
        open_rows = uow.tasks.open_for_instance(instance.id)
    return InstanceView(
        id=instance.id, key=instance.definition.key, version=instance.definition.version, status=instance.status,
        business_key=instance.business_key,
        open_tasks=[_task_view(row) for row in open_rows],
        next_timer_at=instance.next_timer_at, waiting_for=list(instance.waiting_for),
        state_bytes=len(instance.state))


def _task_view(row: HumanTask) -> TaskView:
    return TaskView(row.id, row.instance_id, row.element_id, row.name, row.lane, row.assigned_agency, row.form_key,
                    row.status, row.due_at)
