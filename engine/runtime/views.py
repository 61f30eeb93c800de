"""Read views: what the use cases hand back about tasks, instances, the plan item a task serves and evidence
files, as plain values."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import Any

import forms
from engine.model.tasks import DECISION, REPORT, REPORTS, StepKinds, step_kind
from engine.store.plans.tables import PlanItemRow, PlanRow
from engine.store.processes.tables import EvidenceRow, InstanceRow, TaskRow
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


@lru_cache(maxsize=1)
def step_kinds() -> StepKinds:
    """The forms of each step of the review loop, as the form registry declares them (fixed for the process)."""
    def of(*kinds: str) -> tuple[str, ...]:
        return tuple(key for key in forms.FORM_KEYS if forms.kind_of(key) in kinds)
    return StepKinds(tuple(forms.FORM_KEYS), of(DECISION), of(REPORT), of(*REPORTS))


def task_view(row: TaskRow) -> TaskView:
    return TaskView(row.id, row.instance_id, row.element_id, row.name, row.lane, row.assigned_agency, row.form_key,
                    row.status, row.due_at, row.claimed_by)


@dataclass(frozen=True)
class ItemContext:
    """The plan item a task serves, as the plan wrote it."""

    plan_id: int
    plan_symbol: str
    plan_title: str
    number: str
    title: str
    text: str | None
    lead_agency: str | None
    coordinating: list[str]
    outputs: list[str]
    schedule: dict[str, Any] | None
    standing_body: str


def item_context(uow: UnitOfWork, instance_id: int) -> ItemContext | None:
    return item_context_of(*uow.instances.with_item_and_plan(instance_id))


def task_context(uow: UnitOfWork, instance_id: int) -> dict[str, Any]:
    """What a person needs to know around a task: the item's title and who is involved."""
    return task_context_of(*uow.instances.with_item_and_plan(instance_id))


def item_context_of(instance: InstanceRow, item: PlanItemRow | None, plan: PlanRow | None) -> ItemContext | None:
    if item is None or plan is None:
        return None
    return ItemContext(plan.id, plan.symbol, plan.title, item.number, item.title, item.text,
                       item.lead_agency or instance.agency, list(item.coordinating), list(item.outputs),
                       item.schedule, plan.standing_body)


def task_context_of(instance: InstanceRow, item: PlanItemRow | None, plan: PlanRow | None) -> dict[str, Any]:
    context: dict[str, Any] = {"process": instance.definition.key, "business_key": instance.business_key}
    if item is not None:
        context.update(item=item.number, title=item.title, lead=item.lead_agency or instance.agency,
                       coordinating=list(item.coordinating), schedule=item.schedule, outputs=list(item.outputs))
    return context


@dataclass(frozen=True)
class EvidenceView:
    id: str
    task_id: str
    sha256: str
    size: int
    content_type: str
    file_name: str
    uploaded_by: str
    uploaded_at: datetime


def evidence_view(row: EvidenceRow) -> EvidenceView:
    return EvidenceView(row.id, row.task_id, row.sha256, row.size, row.content_type, row.file_name,
                        row.uploaded_by, row.uploaded_at)
