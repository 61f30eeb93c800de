"""The deadline of a task its process gives none: a coordinating agency's contribution and the standing body's
decision on a result, from the plan's template (``deadlines``) and the item's deadline.

A task whose BPMN element carries a timer (a report, a period's contribution) keeps the timer's deadline."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import forms
from engine.bpmn.runtime import ReadyTask
from engine.model.deadlines import (
    APPROVAL_WORKING_DAYS,
    CONTRIBUTION_WORKING_DAYS_BEFORE,
    approval_due,
    contribution_due,
)
from engine.model.schedules import deadline_from
from engine.model.tasks import CONTRIBUTION, DECISION, step_kind
from engine.store.processes.tables import InstanceRow
from engine.store.uow import UnitOfWork


def due_of_new_task(uow: UnitOfWork, instance: InstanceRow, task: ReadyTask, now: datetime) -> datetime | None:
    """The task's deadline: its timer's; else, for a contribution or a decision of a plan's item, the template's
    rule; else none."""
    if task.due_at is not None:
        return task.due_at
    step = step_kind(forms.kind_of(task.form_key), task.lane)
    if step not in (CONTRIBUTION, DECISION) or instance.plan_item_id is None:
        return None
    rules, item_due = _rules_of_item(uow, instance.plan_item_id)
    if step == DECISION:
        return approval_due(now, rules.get("approval", APPROVAL_WORKING_DAYS))
    deadline = task.variables.get("deadline")  # the item's, as an extension moved it
    due = deadline_from(deadline) if isinstance(deadline, str) and deadline else item_due
    return contribution_due(due, now, rules.get("contribution_before", CONTRIBUTION_WORKING_DAYS_BEFORE))


def _rules_of_item(uow: UnitOfWork, item_id: int) -> tuple[dict[str, Any], datetime | None]:
    """The template's ``deadlines`` and the item's deadline, read once a transaction (a launch opens hundreds)."""
    key = ("deadline_rules", item_id)
    if key not in uow.memo:
        item = uow.plans.item(item_id)
        plan = uow.plans.get(item.plan_id)
        end = (item.schedule or {}).get("end")
        uow.memo[key] = (dict(plan.template.data.get("deadlines") or {}),
                         datetime.fromisoformat(end) if end else None)
    return uow.memo[key]
