"""Reading one process instance: where it stands, its diagram, its history."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from engine.bpmn import names
from engine.errors import NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.tasks import changed_fields
from engine.runtime.plans import waiting_on
from engine.runtime.views import TaskView, task_view
from engine.store.processes.tables import InstanceRow
from engine.store.uow import UnitOfWork


@dataclass
class InstanceDetail:
    id: int
    key: str
    version: int
    status: str
    business_key: str | None
    plan_item_id: int | None
    agency: str | None
    started_at: datetime
    completed_at: datetime | None
    next_timer_at: datetime | None
    waiting_for: list[str]
    open_tasks: list[TaskView]
    active_elements: list[str]
    completed_elements: list[str]
    bpmn: dict[str, str]
    incidents: list[dict[str, Any]] = field(default_factory=list)
    escalations: list[dict[str, Any]] = field(default_factory=list)
    waiting_on: list[dict[str, Any]] = field(default_factory=list)  # as an item's (engine.runtime.plans)
    name: str | None = None  # the process's, from its BPMN (English: the catalogue has its Vietnamese)

    def __post_init__(self) -> None:
        if not self.waiting_on and self.open_tasks:
            self.waiting_on = waiting_on([(self.id, task.assigned_agency, task.lane, task.form_key)
                                          for task in self.open_tasks]).get(self.id, [])


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    actor: str
    action: str
    task_id: str | None
    data: dict[str, Any]
    actor_agency: str | None = None
    evidence: list[str] = field(default_factory=list)
    hash: str | None = None
    #: For a form submitted again at the same step (a report after a return): each field that changed,
    #: {"field", "before", "after"}; evidence compares the files' SHA-256.
    changes: list[dict[str, Any]] = field(default_factory=list)


def describe_instance(uow: UnitOfWork, actor: Actor, instance_id: int) -> InstanceDetail:
    with uow:
        instance = _visible(uow, actor, instance_id)
        definition = instance.definition
        return InstanceDetail(
            id=instance.id, key=definition.key, name=definition.name, version=definition.version,
            status=instance.status,
            business_key=instance.business_key, plan_item_id=instance.plan_item_id, agency=instance.agency,
            started_at=instance.started_at, completed_at=instance.completed_at,
            next_timer_at=instance.next_timer_at, waiting_for=list(instance.waiting_for),
            open_tasks=[task_view(row) for row in uow.tasks.open_for_instance(instance.id)],
            active_elements=list(instance.active_elements or []),
            completed_elements=list(instance.completed_elements), bpmn=dict(definition.bundle.files),
            incidents=[{"id": i.id, "status": i.status, "element": i.element_id, "message": i.message,
                        "occurred_at": i.occurred_at.astimezone(LOCAL_TZ).isoformat()}
                       for i in uow.incidents.for_instance(instance.id)],
            escalations=[{"code": e.code, "name": e.name,
                          "raised_at": e.raised_at.astimezone(LOCAL_TZ).isoformat()}
                         for e in uow.incidents.escalations(instance.id)])


@dataclass(frozen=True)
class Diagram:
    """What a page draws of an instance: the BPMN file of its process, and the names of its elements, both in
    the reader's words."""

    xml: str
    names: dict[str, str]


def diagram_of(uow: UnitOfWork, actor: Actor, instance_id: int, translate: Callable[[str], str] = str) -> Diagram:
    """The diagram of the instance's process with its names ``translate``d, for those who may see it."""
    with uow:
        definition = _visible(uow, actor, instance_id).definition
        key, files = definition.key, dict(definition.bundle.files)
    marker = f'id="{key}"'
    xml = next((text for text in files.values() if marker in text), next(iter(files.values()), ""))
    return Diagram(names.renamed(xml, translate) if xml else xml, names.element_names(files.values(), translate))


def instance_history(uow: UnitOfWork, actor: Actor, instance_id: int) -> list[HistoryEntry]:
    with uow:
        _visible(uow, actor, instance_id)
        entries, submitted = [], {}
        for event in uow.audit.for_instance(instance_id):
            data = dict(event.data)
            changes = []
            if event.action == "task.completed" and isinstance(data.get("data"), dict):
                key = (data.get("element"), event.actor_agency)
                if key in submitted:
                    changes = _changes(submitted[key], data)
                submitted[key] = data
            entries.append(HistoryEntry(event.seq, event.at, event.actor, event.action, event.task_id, data,
                                        event.actor_agency, list(event.evidence or []), event.hash, changes))
        return entries


def _changes(before: dict[str, Any], after: dict[str, Any]) -> list[dict[str, Any]]:
    """What a resubmission changed against the submission before it at the same step."""
    changes = [{"field": c.field, "before": c.before, "after": c.after}
               for c in changed_fields(before["data"], after["data"])]
    old_files = sorted((before.get("evidence") or {}).values())
    new_files = sorted((after.get("evidence") or {}).values())
    if old_files != new_files:
        changes.append({"field": "evidence", "before": old_files, "after": new_files})
    return changes


def _visible(uow: UnitOfWork, actor: Actor, instance_id: int) -> InstanceRow:
    try:
        instance = uow.instances.get(instance_id)
    except NotFound:
        raise NotFound(t("no process instance %(instance_id)s", instance_id=instance_id)) from None
    involved = {row.assigned_agency for row in uow.tasks.for_instance(instance_id) if row.assigned_agency}
    if instance.agency:
        involved.add(instance.agency)
    policy.check_sees_instance(actor, instance_id, involved, instance.province)
    return instance
