"""Worklists and the human side of a process: completing a task, or ending it with a BPMN event."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm.exc import StaleDataError

import forms

from .. import policy
from ..errors import Conflict, Invalid, ProcessFailed
from ..model import Actor
from ..store.tables import HumanTask
from ..store.uow import UnitOfWork
from . import evidence, executions
from .steps import (
    ENGINE_FAILURES,
    InstanceView,
    TaskView,
    describe_error,
    failing_element,
    instance_view,
    record_incident,
    record_step,
    task_view,
)


def complete_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, data: dict[str, Any]) -> InstanceView:
    """Complete a ready human task with its form data and run the process to the next wait.

    A second completion of the same task, concurrent or later, gets
    ``Conflict`` and changes nothing.
    """
    return _step_on_task(uow, clock, actor, task_id, data, "completed",
                         lambda execution: execution.complete_task(task_id, data))


def submit_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, data: Any, locale: str = "vi") -> InstanceView:
    """Complete a task with its form: the data is checked against the task's form (errors in the
    person's language), evidence it names must be this task's, and their hashes go into the history."""
    with uow:
        row = _task_for(uow, actor, task_id)
        form_key = row.form_key
    cleaned = forms.validate_form(form_key, data, locale)
    with uow:
        hashes = evidence.hashes_of(uow, task_id, forms.evidence_ids(form_key, cleaned))
    return _step_on_task(uow, clock, actor, task_id, cleaned, "completed",
                         lambda execution: execution.complete_task(task_id, cleaned),
                         extra={"evidence": hashes} if hashes else None)


def raise_from_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, kind: str, code: str,
                    data: dict[str, Any]) -> InstanceView:
    """End a task with a BPMN error or escalation (e.g. "the amount is unspecified") instead of completing it.

    A boundary event of the task must catch that code; the process follows
    the boundary's path.
    """
    return _step_on_task(uow, clock, actor, task_id, data, kind,
                         lambda execution: execution.throw_from_task(task_id, kind, code, data),
                         extra={"kind": kind, "code": code})


def _step_on_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, data: dict[str, Any], how: str, change,
                  extra: dict[str, Any] | None = None) -> InstanceView:
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
            outcome = change(execution)
            done = all(ready.task_id != row.id for ready in outcome.ready)
            open_rows = record_step(uow, instance, execution, outcome, now, done_by_actor=row.id if done else None)
            if done:
                row.status, row.completed_at, row.completed_by, row.result = "completed", now, actor.name, data
            if instance.open_incidents:
                # An earlier failed attempt at this step is settled by this one.
                uow.incidents.resolve_for_instance(instance.id, "complete_task", now, actor.name)
                instance.open_incidents = len(uow.incidents.open_for_instance(instance.id))
            uow.audit.append(now, actor.name, f"task.{how}", instance.id, task_id,
                             data={"element": row.element_id, "data": data, "ran": outcome.ran, **(extra or {})})
            uow.commit()
            executions.check_in(instance, execution)
            return instance_view(uow, instance, open_rows)
    except StaleDataError:
        raise Conflict("this task was completed by someone else at the same moment; reload and check") from None
    except ENGINE_FAILURES as error:
        if task is None:
            raise
        record_incident(uow, clock, task[0], "complete_task", error,
                        {"task_id": str(task_id), "data": data, "actor": actor.name, **(extra or {})})
        raise ProcessFailed(f"completing task '{task[1]}' failed: {describe_error(error)}; the task stays open "
                            "and an incident was recorded", element=failing_element(error)) from error


@dataclass(frozen=True)
class WorklistPage:
    tasks: list[TaskView]
    total: int
    page: int
    per_page: int


def worklist(uow: UnitOfWork, actor: Actor, status: str | None = "ready", plan_id: int | None = None,
             due_before: datetime | None = None, due_after: datetime | None = None, page: int = 1,
             per_page: int = 50) -> WorklistPage:
    """The actor's agency's tasks (every agency's for those who watch), soonest due first."""
    if not policy.sees_everything(actor) and (actor.agency is None or not actor.roles & policy.WORKERS):
        return WorklistPage([], 0, page, per_page)
    agency = None if policy.sees_everything(actor) else actor.agency
    query = dict(agency=agency, status=status, plan_id=plan_id, due_before=due_before, due_after=due_after)
    with uow:
        rows = uow.tasks.worklist(**query, limit=per_page, offset=(page - 1) * per_page)
        return WorklistPage([task_view(row) for row in rows], uow.tasks.count(**query), page, per_page)


def get_task(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskView:
    with uow:
        row = uow.tasks.get(task_id)
        policy.check_sees_task(actor, task_id, row.assigned_agency)
        return task_view(row)


def claim_task(uow: UnitOfWork, clock, actor: Actor, task_id: str) -> TaskView:
    """Take a task so that colleagues see someone is on it; claiming your own claim again is harmless."""
    with uow:
        row = uow.tasks.get(task_id)
        policy.check_acts_on_task(actor, task_id, row.assigned_agency, row.lane)
        if row.status != "ready":
            raise Conflict(f"task '{row.name}' is already {row.status}")
        if row.claimed_by not in (None, actor.name):
            raise Conflict(f"task '{row.name}' is claimed by {row.claimed_by}")
        if row.claimed_by is None:
            # Only if still unclaimed and open: two colleagues claiming at once cannot both win.
            if not uow.tasks.claim(task_id, actor.name):
                uow.rollback()
                raise Conflict(f"task '{row.name}' was claimed or completed by someone else meanwhile")
            uow.audit.append(clock.now(), actor.name, "task.claimed", row.instance_id, row.id,
                             data={"element": row.element_id})
        uow.commit()
        return task_view(uow.tasks.get(task_id))


def _task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> HumanTask:
    """The task row, if the actor may work it; another agency's task reads as not found."""
    row = uow.tasks.get(task_id)
    policy.check_acts_on_task(actor, task_id, row.assigned_agency, row.lane)
    if row.claimed_by not in (None, actor.name) and "system" not in actor.roles:
        raise Conflict(f"task '{row.name}' is claimed by {row.claimed_by}")
    return row
