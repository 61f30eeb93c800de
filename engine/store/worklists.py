"""The worklist query: task rows with the plan and item they serve, filtered and sorted in the database."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..model import WorklistFilter
from .plan_tables import PlanItemRow, PlanRow
from .repository import Repository
from .tables import TaskRow, InstanceRow


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
        query = self._joined(select(TaskRow, PlanRow.id, PlanRow.symbol, PlanRow.title, PlanItemRow.number,
                                    PlanItemRow.title, PlanItemRow.lead_agency, InstanceRow.agency,
                                    PlanItemRow.schedule), wanted)
        deadline = (TaskRow.due_at.is_(None), TaskRow.due_at)
        if wanted.sort == "plan":
            order = (PlanRow.id.is_(None), PlanRow.id.desc(), PlanItemRow.position, *deadline)
        else:
            order = deadline
        rows = self.session.execute(query.order_by(*order, TaskRow.created_at, TaskRow.id)
                                    .limit(limit).offset(offset))
        return [WorklistEntry(task, plan_id, symbol, title, number, item_title, lead or agency, schedule)
                for task, plan_id, symbol, title, number, item_title, lead, agency, schedule in rows]

    def count(self, wanted: WorklistFilter) -> int:
        return self.session.scalar(self._joined(select(func.count(TaskRow.id)), wanted))

    @staticmethod
    def _joined(query, wanted: WorklistFilter):
        query = (query.select_from(TaskRow)
                 .join(InstanceRow, InstanceRow.id == TaskRow.instance_id)
                 .outerjoin(PlanItemRow, PlanItemRow.id == InstanceRow.plan_item_id)
                 .outerjoin(PlanRow, PlanRow.id == PlanItemRow.plan_id))
        if wanted.agency is not None:
            query = query.where(TaskRow.assigned_agency == wanted.agency)
        if wanted.status is not None:
            query = query.where(TaskRow.status == wanted.status)
        if wanted.due_before is not None:
            query = query.where(TaskRow.due_at <= wanted.due_before)
        if wanted.due_after is not None:
            query = query.where(TaskRow.due_at >= wanted.due_after)
        if wanted.plan_id is not None:
            query = query.where(PlanItemRow.plan_id == wanted.plan_id)
        if wanted.search:
            for word in wanted.search.split():
                query = query.where(PlanItemRow.search_text.contains(word, autoescape=True))
        return query
