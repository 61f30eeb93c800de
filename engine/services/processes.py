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

from engine.errors import Conflict, Invalid, ProcessFailed
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import SYSTEM, Actor
from engine.model.clock import FixedClock
from engine.runtime.starts import begin_instance
from engine.runtime.steps import (
    Change,
    run_change,
)
from engine.runtime.views import InstanceView, instance_view
from engine.services import assignments
from engine.services.tasks import complete_task, raise_from_task
from engine.store.uow import UnitOfWork


def start_instance(uow: UnitOfWork, clock, actor: Actor, key: str, variables: dict[str, Any] | None = None,
                   business_key: str | None = None, message: str | None = None) -> InstanceView:
    """Start the current version of process ``key`` and run it to its first wait."""
    policy.check_starts_processes(actor)
    with uow:
        started = begin_instance(uow, clock, actor, uow.definitions.latest(key), variables, business_key, message)
        uow.commit()
        started.kept()
        return started.view


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
                 payload: dict[str, Any] | None = None, resolved_by: str | None = None) -> InstanceView:
    """Deliver a BPMN message to a waiting instance (a receive task or message event)."""
    payload = dict(payload or {})
    with uow:
        return run_change(uow, clock, actor, uow.instances.get(instance_id), Change(
            action="send_message", audit="message.received",
            apply=lambda execution: execution.send_message(name, payload),
            audit_data={"message": name, "payload": payload}, request={"name": name, "payload": payload},
            resolved_by=resolved_by, failure=f"message '{name}' could not be delivered"))


def set_variables(uow: UnitOfWork, clock, actor: Actor, instance_id: int, variables: dict[str, Any]) -> InstanceView:
    """Correct process variables of a running instance (the usual fix before retrying an incident).

    The values are given to every step that has not run yet; finished steps
    and the history keep what they had.
    """
    if not isinstance(variables, dict) or not all(isinstance(k, str) and k.isidentifier() for k in variables):
        raise Invalid(t("variables must be an object whose keys are variable names"))
    with uow:
        instance = uow.instances.get(instance_id)
        _check_repairs(uow, actor, instance)
        return run_change(uow, clock, actor, instance, Change(
            action="set_variables", audit="instance.variables_set",
            apply=lambda execution: execution.set_variables(variables), audit_data={"variables": variables}))


def retry_incident(uow: UnitOfWork, clock, actor: Actor, incident_id: int) -> InstanceView:
    """Run again the step that failed, after its cause was fixed; its success settles the incident."""
    with uow:
        incident = uow.incidents.get(incident_id)
        if incident.status != "open":
            raise Conflict(t("incident %(incident_id)s is already %(status)s",
                             incident_id=incident_id, status=word(incident.status)))
        action, request, instance_id = incident.action, dict(incident.request), incident.instance_id
        failed_at = incident.occurred_at
        _check_repairs(uow, actor, uow.instances.get(instance_id))
    # The step runs again as the person (or system) whose step failed, with the engine's rights.
    original = Actor(request.get("actor", SYSTEM.name), roles=frozenset({"system"}))
    if action == "complete_task" and "code" in request:
        return raise_from_task(uow, clock, original, request["task_id"], request["kind"], request["code"],
                               request["data"], resolved_by=actor.name)
    if action == "complete_task":
        return complete_task(uow, clock, original, request["task_id"], request["data"], resolved_by=actor.name)
    if action == "waive_contribution":
        return assignments.waive_contribution(uow, clock, original, request["task_id"], request["reason"],
                                              resolved_by=actor.name)
    if action == "send_message":
        return send_message(uow, clock, original, instance_id, request["name"], request["payload"],
                            resolved_by=actor.name)
    # The timers that failed were due when the worker ran (possibly with --now); fire them as of then.
    if _fire_instance(uow, FixedClock(max(clock.now(), failed_at)), instance_id, force=True,
                      resolved_by=actor.name) == "failed":
        raise ProcessFailed(t("retrying incident %(incident_id)s failed again; see the newest incident",
                              incident_id=incident_id))
    return get_instance(uow, instance_id)


@dataclass(frozen=True)
class IncidentView:
    """A step that failed inside a process, waiting to be retried."""

    id: int
    instance_id: int
    action: str
    element_id: str | None
    message: str


def open_incidents(uow: UnitOfWork) -> list[IncidentView]:
    with uow:
        return [IncidentView(row.id, row.instance_id, row.action, row.element_id, row.message)
                for row in uow.incidents.open()]


def _check_repairs(uow: UnitOfWork, actor: Actor, instance) -> None:
    involved = {row.assigned_agency for row in uow.tasks.for_instance(instance.id) if row.assigned_agency}
    policy.check_repairs_processes(actor, instance.id, involved, instance.province)


def get_instance(uow: UnitOfWork, instance_id: int) -> InstanceView:
    with uow:
        return instance_view(uow, uow.instances.get(instance_id))


def _fire_instance(uow: UnitOfWork, clock, instance_id: int, force: bool = False,
                   resolved_by: str | None = None) -> str:
    try:
        with uow:
            if force:
                instance = uow.instances.get(instance_id)
                if instance.status != "running":
                    return "skipped"
            else:  # not due any more, or being fired by another worker right now
                instance = uow.instances.claim_due(instance_id, clock.now())
                if instance is None:
                    return "skipped"
            run_change(uow, clock, SYSTEM, instance, Change(
                action="fire_timers", audit="timers.fired", apply=lambda execution: execution.fire_due_timers(),
                park=True, resolved_by=resolved_by, failure="firing the due timers failed"))
            return "advanced"
    except ProcessFailed:
        return "failed"
    except Conflict:  # another worker advanced the instance meanwhile
        return "skipped"
