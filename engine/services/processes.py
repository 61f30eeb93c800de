"""Starting instances, firing timers, delivering messages, retrying incidents.

Each use case opens one unit of work and commits the workflow state, the task
rows and the audit event together, or nothing. A step that fails inside the
process (a script error, a gateway with no true condition) leaves the
instance exactly as it was and records an incident in a transaction of its
own, for a coordinator to fix the cause and retry.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

from ..bpmn.runtime import Execution
from ..bpmn.serializer import STATE_FORMAT
from ..clock import FixedClock
from ..errors import Conflict, Invalid, ProcessFailed
from ..model import SYSTEM, Actor
from ..store.tables import ProcessDefinition, ProcessInstance
from ..store.uow import UnitOfWork
from . import executions
from .definitions import bundle_for
from .steps import (
    ENGINE_FAILURES,
    InstanceView,
    describe_error,
    failing_element,
    instance_view,
    record_incident,
    record_step,
)
from .tasks import complete_task, raise_from_task


def start_instance(uow: UnitOfWork, clock, actor: Actor, key: str, variables: dict[str, Any] | None = None,
                   business_key: str | None = None, message: str | None = None) -> InstanceView:
    """Start the current version of process ``key`` and run it to its first wait."""
    with uow:
        started = begin_instance(uow, clock, actor, uow.definitions.latest(key), variables, business_key, message)
        uow.commit()
        started.kept()
        return started.view


@dataclass
class StartedInstance:
    """An instance started inside an open unit of work, not yet committed."""

    view: InstanceView
    instance: ProcessInstance
    execution: Execution

    def kept(self) -> None:
        """After the commit: keep the workflow in memory for the instance's next step."""
        executions.check_in(self.instance, self.execution)


def begin_instance(uow: UnitOfWork, clock, actor: Actor, definition: ProcessDefinition,
                   variables: dict[str, Any] | None = None, business_key: str | None = None,
                   message: str | None = None, plan_item_id: int | None = None,
                   agency: str | None = None) -> StartedInstance:
    """Start an instance within the caller's unit of work (a plan launch starts hundreds in one)."""
    variables = dict(variables or {})
    now = clock.now()
    bundle = bundle_for(definition.bundle)
    try:
        execution, outcome = Execution.start(bundle, definition.key, variables, clock, message)
    except ENGINE_FAILURES as error:
        raise ProcessFailed(f"process '{definition.key}' could not start: {describe_error(error)}",
                            element=failing_element(error)) from error
    instance = uow.instances.add(ProcessInstance(
        definition_id=definition.id, business_key=business_key, status="running", state="",
        state_format=STATE_FORMAT, next_timer_at=None, waiting_for=[], completed_elements=[], open_incidents=0,
        started_at=now, updated_at=now, completed_at=None, started_by=actor.name, plan_item_id=plan_item_id,
        agency=agency))
    uow.session.flush()
    open_rows = record_step(uow, instance, execution, outcome, now)
    uow.audit.append(now, actor.name, "instance.started", instance.id,
                     data={"key": definition.key, "version": definition.version, "business_key": business_key,
                           "variables": variables, "ran": outcome.ran})
    return StartedInstance(instance_view(uow, instance, open_rows), instance, execution)


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
        open_rows = record_step(uow, instance, execution, outcome, now)
        uow.audit.append(now, actor.name, "message.received", instance.id,
                         data={"message": name, "payload": payload or {}, "ran": outcome.ran})
        uow.commit()
        executions.check_in(instance, execution)
        return instance_view(uow, instance, open_rows)


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
        return instance_view(uow, instance)


def retry_incident(uow: UnitOfWork, clock, actor: Actor, incident_id: int) -> InstanceView:
    """Run again the step that failed, after its cause was fixed."""
    with uow:
        incident = uow.incidents.get(incident_id)
        if incident.status != "open":
            raise Conflict(f"incident {incident_id} is already {incident.status}")
        action, request, instance_id = incident.action, dict(incident.request), incident.instance_id
        failed_at = incident.occurred_at
    if action == "complete_task":
        task_actor = Actor(request["actor"], roles=frozenset({"system"}))
        if "code" in request:
            view = raise_from_task(uow, clock, task_actor, request["task_id"], request["kind"], request["code"],
                                   request["data"])
        else:
            view = complete_task(uow, clock, task_actor, request["task_id"], request["data"])
    # The timers that failed were due when the worker ran (possibly with --now); fire them as of then.
    elif _fire_instance(uow, FixedClock(max(clock.now(), failed_at)), instance_id, force=True) == "failed":
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
        return instance_view(uow, uow.instances.get(instance_id))


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
            record_step(uow, instance, execution, outcome, now)
            uow.audit.append(now, SYSTEM.name, "timers.fired", instance.id, data={"ran": outcome.ran})
            uow.commit()
            executions.check_in(instance, execution)
            return "advanced"
    except StaleDataError:
        return "skipped"
    except ENGINE_FAILURES as error:
        record_incident(uow, clock, instance_id, "fire_timers", error, {}, park=True)
        return "failed"
