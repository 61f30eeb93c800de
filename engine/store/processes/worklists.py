"""The worklist query: task rows with the plan and item they serve, filtered and sorted in the database."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam, func, select

from engine.model.tasks import WorklistFilter
from engine.store.base import Repository
from engine.store.plans.tables import PlanItemRow, PlanRow
from engine.store.processes.tables import InstanceRow, TaskRow


@dataclass(frozen=True)
class WorklistEntry:
    task: TaskRow
    plan_id: int | None
    plan_symbol: str | None
    plan_title: str | None
    item_number: str | None
    item_title: str | None
    lead_agency: str | None
    item_schedule: dict | None


class Worklists(Repository):
    def page(self, wanted: WorklistFilter, limit: int, offset: int) -> list[WorklistEntry]:
        rows = self.session.execute(_statement(wanted, counted=False),
                                    {**_values(wanted), "limit": limit, "offset": offset})
        return [WorklistEntry(task, plan_id, symbol, title, number, item_title, lead or agency, schedule)
                for task, plan_id, symbol, title, number, item_title, lead, agency, schedule in rows]

    def count(self, wanted: WorklistFilter) -> int:
        return self.session.scalar(_statement(wanted, counted=True), _values(wanted))


def _statement(wanted: WorklistFilter, counted: bool):
    """The page's (or its count's) statement for the filter; without a search, one built per shape of filter
    (which fields are set, the sort) and kept: building the joined select costs more than running it."""
    if wanted.search:
        return _build(_shape(wanted), counted, tuple(wanted.search.split()))
    return _built(_shape(wanted), counted)


def _shape(wanted: WorklistFilter) -> tuple:
    return (wanted.agency is not None, wanted.status is not None, wanted.due_before is not None,
            wanted.due_after is not None, wanted.plan_id is not None, wanted.provinces is not None, wanted.sort)


def _values(wanted: WorklistFilter) -> dict:
    return {"agency": wanted.agency, "status": wanted.status, "due_before": wanted.due_before,
            "due_after": wanted.due_after, "plan_id": wanted.plan_id,
            **({"provinces": sorted(wanted.provinces)} if wanted.provinces is not None else {})}


@lru_cache(maxsize=128)
def _built(shape: tuple, counted: bool):
    return _build(shape, counted, ())


def _build(shape: tuple, counted: bool, words: tuple[str, ...]):
    agency, status, due_before, due_after, plan_id, provinces, sort = shape
    if counted:
        query = select(func.count(TaskRow.id))
    else:
        query = select(TaskRow, PlanRow.id, PlanRow.symbol, PlanRow.title, PlanItemRow.number, PlanItemRow.title,
                       PlanItemRow.lead_agency, InstanceRow.agency, PlanItemRow.schedule)
    query = (query.select_from(TaskRow)
             .join(InstanceRow, InstanceRow.id == TaskRow.instance_id)
             .outerjoin(PlanItemRow, PlanItemRow.id == InstanceRow.plan_item_id)
             .outerjoin(PlanRow, PlanRow.id == PlanItemRow.plan_id))
    if agency:
        query = query.where(TaskRow.assigned_agency == bindparam("agency"))
    if status:
        query = query.where(TaskRow.status == bindparam("status"))
    if due_before:
        query = query.where(TaskRow.due_at <= bindparam("due_before", type_=TaskRow.due_at.type))
    if due_after:
        query = query.where(TaskRow.due_at >= bindparam("due_after", type_=TaskRow.due_at.type))
    if plan_id:
        query = query.where(PlanItemRow.plan_id == bindparam("plan_id"))
    if provinces:
        query = query.where(InstanceRow.province.in_(bindparam("provinces", expanding=True)))
    for word in words:
        query = query.where(PlanItemRow.search_text.contains(word, autoescape=True))
    if counted:
        return query
    deadline = (TaskRow.due_at.is_(None), TaskRow.due_at)
    order = (PlanRow.id.is_(None), PlanRow.id.desc(), PlanItemRow.position, *deadline) if sort == "plan" else deadline
    return query.order_by(*order, TaskRow.created_at, TaskRow.id).limit(bindparam("limit")).offset(bindparam("offset"))
