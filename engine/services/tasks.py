"""Worklists and the human side of a process: completing a task, or ending it with a BPMN event."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import forms
from engine.errors import Conflict, Invalid
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.model.progress import deadline_status
from engine.model.search import folded
from engine.model.tasks import WorklistFilter
from engine.runtime.acting import check_four_eyes, open_task_for
from engine.runtime.steps import Change, run_change
from engine.runtime.views import InstanceView, TaskView, item_context, task_view
from engine.services import evidence
from engine.store.processes.tables import TaskRow
from engine.store.uow import UnitOfWork


def complete_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, data: Any, locale: str = "vi",
                  resolved_by: str | None = None) -> InstanceView:
    """Complete a ready human task with its form and run the process to the next wait.

    The data is checked against the task's form (errors in the person's
    language); evidence it names must be this task's, and their hashes go
    into the history. A second completion of the same task, concurrent or
    later, gets ``Conflict`` and changes nothing.
    """
    with uow:
        row = _open_task_for(uow, actor, task_id)
        cleaned = forms.validate_form(row.form_key, data, locale)
        check_four_eyes(uow, actor, row)
        _check_outputs(uow, row, cleaned)
        hashes = evidence.hashes_of(uow, row, forms.evidence_ids(row.form_key, cleaned))
        return run_change(uow, clock, actor, uow.instances.get(row.instance_id), Change(
            action="complete_task", audit="task.completed", task=row, result=cleaned,
            apply=lambda execution: execution.complete_task(row.id, cleaned),
            audit_data={"element": row.element_id, "data": cleaned, **({"evidence": hashes} if hashes else {})},
            request={"task_id": row.id, "data": cleaned}, resolved_by=resolved_by,
            failure=f"completing task '{row.name}' failed"))


def raise_from_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, kind: str, code: str,
                    data: dict[str, Any], resolved_by: str | None = None) -> InstanceView:
    """End a task with a BPMN error or escalation (e.g. "the amount is unspecified") instead of completing it.

    A boundary event of the task must catch that code; the process follows
    the boundary's path.
    """
    if not isinstance(data, dict):
        raise Invalid(t("task data must be an object of named fields"))
    with uow:
        row = _open_task_for(uow, actor, task_id)
        return run_change(uow, clock, actor, uow.instances.get(row.instance_id), Change(
            action="complete_task", audit=f"task.{kind}", task=row, result=data,
            apply=lambda execution: execution.throw_from_task(row.id, kind, code, data),
            audit_data={"element": row.element_id, "data": data, "kind": kind, "code": code},
            request={"task_id": row.id, "data": data, "kind": kind, "code": code}, resolved_by=resolved_by,
            failure=f"raising {kind} '{code}' from task '{row.name}' failed"))


@dataclass(frozen=True)
class WorklistRow(TaskView):
    """A task as a person scans a worklist for it: which plan and item, who leads, how the deadline stands."""

    plan_id: int | None = None
    plan_symbol: str | None = None
    plan_title: str | None = None
    item_number: str | None = None
    item_title: str | None = None
    lead_agency: str | None = None
    deadline_status: str = "no_deadline"


@dataclass(frozen=True)
class WorklistPage:
    tasks: list[WorklistRow]
    total: int
    page: int
    per_page: int


def worklist(uow: UnitOfWork, clock, actor: Actor, wanted: WorklistFilter = WorklistFilter(), page: int = 1,
             per_page: int = 50) -> WorklistPage:
    """The actor's agency's tasks (every agency's, or one agency's, for those who watch), soonest due first."""
    if wanted.sort not in WorklistFilter.SORTS:
        raise Invalid(t("sort by %(join)s, not '%(sort)s'",
                        join=" or ".join(WorklistFilter.SORTS), sort=wanted.sort),
                      errors={"sort": [f"one of {', '.join(WorklistFilter.SORTS)}"]})
    if not policy.sees_everything(actor) and (actor.agency is None or not actor.roles & policy.WORKERS):
        return WorklistPage([], 0, page, per_page)
    if not policy.sees_everything(actor):
        if wanted.agency not in (None, actor.agency):
            raise Invalid(t("you see the tasks of %(agency)s only", agency=actor.agency),
                          errors={"agency": ["not your agency"]})
        wanted = replace(wanted, agency=actor.agency)
    if wanted.search:
        wanted = replace(wanted, search=folded(wanted.search))
    now = clock.now()
    with uow:
        entries = uow.worklists.page(wanted, limit=per_page, offset=(page - 1) * per_page)
        rows = [WorklistRow(**task_view(entry.task).__dict__, plan_id=entry.plan_id, plan_symbol=entry.plan_symbol,
                            plan_title=entry.plan_title, item_number=entry.item_number, item_title=entry.item_title,
                            lead_agency=entry.lead_agency,
                            deadline_status=deadline_status(entry.task.due_at, entry.task.status,
                                                            entry.task.completed_at, now,
                                                            _start_of(entry.item_schedule)))
                for entry in entries]
        return WorklistPage(rows, uow.worklists.count(wanted), page, per_page)


def get_task(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskView:
    with uow:
        row = uow.tasks.get(task_id)
        policy.check_sees_task(actor, task_id, row.assigned_agency)
        return task_view(row)


def _start_of(schedule: dict | None) -> datetime | None:
    """When an item's time begins (its window's first day), from its resolved schedule."""
    return datetime.fromisoformat(schedule["start"]) if schedule and schedule.get("start") else None


def _check_outputs(uow: UnitOfWork, row: TaskRow, cleaned: dict[str, Any]) -> None:
    """Outputs ticked as done must be outputs the plan item expects."""
    ticked = cleaned.get("outputs_done") or []
    if not ticked:
        return
    item = item_context(uow, row.instance_id)
    expected = item.outputs if item is not None else []
    unknown = [output for output in ticked if output not in expected]
    if unknown:
        listed = "; ".join(expected) if expected else "none (the item names no outputs)"
        raise Invalid(t("outputs_done names %(join)s, which the item does not expect; its outputs are: %(listed)s",
                        join=", ".join(repr(o) for o in unknown), listed=listed),
                      errors={"outputs_done": [f"not an output of this item: {output}" for output in unknown]})


def _open_task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskRow:
    """The open task row, if the actor may work it and nobody else holds it."""
    row = open_task_for(uow, actor, task_id)
    if row.claimed_by not in (None, actor.name) and "system" not in actor.roles:
        raise Conflict(t("task '%(name)s' is claimed by %(claimed_by)s",
                         name=word(row.name), claimed_by=row.claimed_by))
    return row
