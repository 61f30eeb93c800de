"""Worklists and the human side of a process: completing a task, or ending it with a BPMN event."""
from __future__ import annotations

from typing import Any

import forms
from engine.errors import Conflict, Invalid
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
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


def get_task(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskView:
    with uow:
        row = uow.tasks.get_with_instance(task_id)
        policy.check_sees_task(actor, task_id, row.assigned_agency, row.instance.province)
        return task_view(row)


def _check_outputs(uow: UnitOfWork, row: TaskRow, cleaned: dict[str, Any]) -> None:
    """Outputs ticked as done must be outputs the plan item expects."""
    ticked = cleaned.get("outputs_done") or []
    if not ticked:
        return
    item = item_context(uow, row.instance_id)
    expected = item.outputs if item is not None else []
    unknown = [output for output in ticked if output not in expected]
    if unknown:
        listed = "; ".join(expected) if expected else t("none (the item names no outputs)")
        raise Invalid(t("outputs_done names %(join)s, which the item does not expect; its outputs are: %(listed)s",
                        join=", ".join(repr(o) for o in unknown), listed=listed),
                      errors={"outputs_done": [t("not an output of this item: %(output)s", output=output)
                                               for output in unknown]})


def _open_task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskRow:
    """The open task row, if the actor may work it and nobody else holds it."""
    row = open_task_for(uow, actor, task_id)
    if row.claimed_by not in (None, actor.name) and "system" not in actor.roles:
        raise Conflict(t("task '%(name)s' is claimed by %(claimed_by)s",
                         name=word(row.name), claimed_by=row.claimed_by))
    return row
