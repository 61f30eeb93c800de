"""Read views: what the services hand back about tasks and instances, as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import forms
from engine.model.tasks import step_kind
from engine.store.processes.tables import InstanceRow, TaskRow
from engine.store.uow import UnitOfWork


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


def instance_view(uow: UnitOfWork, instance: InstanceRow, open_rows: list[TaskRow] | None = None) -> InstanceView:
    if open_rows is None:
        open_rows = uow.tasks.open_for_instance(instance.id)
    return InstanceView(
        id=instance.id, key=instance.definition.key, version=instance.definition.version, status=instance.status,
        business_key=instance.business_key,
        open_tasks=[task_view(row) for row in open_rows],
        next_timer_at=instance.next_timer_at, waiting_for=list(instance.waiting_for),
        state_bytes=len(instance.state))


def step_kind_of(row: TaskRow) -> str | None:
    """What a task row is in the review loop: report, decision, contribution, unit_report or None."""
    return step_kind(forms.kind_of(row.form_key), row.lane)


def task_view(row: TaskRow) -> TaskView:
    return TaskView(row.id, row.instance_id, row.element_id, row.name, row.lane, row.assigned_agency, row.form_key,
                    row.status, row.due_at, row.claimed_by)
