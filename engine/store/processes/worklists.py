"""The worklist query: task rows with the plan and item they serve, filtered and sorted in the database."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import and_, bindparam, case, exists, false, func, select
from sqlalchemy.orm import aliased

from engine.model.tasks import DECISION, REPORT, REPORTS, StepKinds, WorklistFilter, lanes_of
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
    returned: bool = False  # a report asked for again: the standing body returned the last one


class Worklists(Repository):
    def page(self, wanted: WorklistFilter, kinds: StepKinds, limit: int, offset: int) -> list[WorklistEntry]:
        rows = self.session.execute(_statement(wanted, counted=False),
                                    {**_values(wanted, kinds), "limit": limit, "offset": offset})
        return [WorklistEntry(task, plan_id, symbol, title, number, item_title, lead or agency, schedule,
                              bool(returned))
                for task, plan_id, symbol, title, number, item_title, lead, agency, schedule, returned in rows]

    def count(self, wanted: WorklistFilter, kinds: StepKinds) -> int:
        return self.session.scalar(_statement(wanted, counted=True), _values(wanted, kinds))


def _statement(wanted: WorklistFilter, counted: bool):
    """The page's (or its count's) statement for the filter; without a search, one built per shape of filter
    (which fields are set, the sort) and kept: building the joined select costs more than running it."""
    if wanted.search:
        return _build(_shape(wanted), counted, tuple(wanted.search.split()))
    return _built(_shape(wanted), counted)


def _shape(wanted: WorklistFilter) -> tuple:
    flag = wanted.flag if wanted.flag in (WorklistFilter.AWAITING_APPROVAL, WorklistFilter.RETURNED) else None
    return (wanted.agency is not None, wanted.status is not None, wanted.due_before is not None,
            wanted.due_after is not None, wanted.plan_id is not None, wanted.provinces is not None, wanted.sort,
            flag, wanted.decisions, wanted.four_eyes_for is not None, wanted.approvals_first)


def _values(wanted: WorklistFilter, kinds: StepKinds) -> dict:
    return {"agency": wanted.agency, "status": wanted.status, "due_before": wanted.due_before,
            "due_after": wanted.due_after, "plan_id": wanted.plan_id, "me": wanted.four_eyes_for,
            "known": list(kinds.known), "decisions": list(kinds.decisions), "reports": list(kinds.reports),
            "results": list(kinds.results),
            **({"provinces": sorted(wanted.provinces)} if wanted.provinces is not None else {})}


@lru_cache(maxsize=128)
def _built(shape: tuple, counted: bool):
    return _build(shape, counted, ())


def _build(shape: tuple, counted: bool, words: tuple[str, ...]):
    agency, status, due_before, due_after, plan_id, provinces, sort, flag, decisions, four_eyes, first = shape
    approval = (TaskRow.status == "ready") & _of_kind(TaskRow, "decisions", DECISION)
    returned = _returned()
    if counted:
        query = select(func.count(TaskRow.id))
    else:
        query = select(TaskRow, PlanRow.id, PlanRow.symbol, PlanRow.title, PlanItemRow.number, PlanItemRow.title,
                       PlanItemRow.lead_agency, InstanceRow.agency, PlanItemRow.schedule, returned)
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
    if flag == WorklistFilter.AWAITING_APPROVAL:
        query = query.where(approval)
    elif flag == WorklistFilter.RETURNED:
        query = query.where(returned)
    if not decisions:
        query = query.where(~_of_kind(TaskRow, "decisions", DECISION))
    if four_eyes:
        query = query.where(~(_of_kind(TaskRow, "decisions", DECISION) & _submitted_by_me()))
    if counted:
        return query
    deadline = (TaskRow.due_at.is_(None), TaskRow.due_at)
    order = (PlanRow.id.is_(None), PlanRow.id.desc(), PlanItemRow.position, *deadline) if sort == "plan" else deadline
    if first:
        order = (case((approval, 0), else_=1), *order)
    return query.order_by(*order, TaskRow.created_at, TaskRow.id).limit(bindparam("limit")).offset(bindparam("offset"))


def _of_kind(task, forms: str, *kinds: str):
    """Whether ``task`` is a step of one of ``kinds``: by its form (the bound list ``forms``), or for a form
    planflow does not know, by its lane (``engine.model.tasks.step_kind``)."""
    unknown = task.form_key.is_(None) | ~task.form_key.in_(bindparam("known", expanding=True))
    return task.form_key.in_(bindparam(forms, expanding=True)) | (unknown & task.lane.in_(lanes_of(*kinds)))


def _returned():
    """Whether an open report is asked for again: the step that made it ready is the one in which the standing
    body returned the result before it."""
    decision = aliased(TaskRow)
    return and_(TaskRow.status == "ready", _of_kind(TaskRow, "results", *REPORTS), exists().where(
        decision.instance_id == TaskRow.instance_id, decision.status == "completed",
        decision.completed_step == TaskRow.created_step, _of_kind(decision, "decisions", DECISION),
        decision.result["approved"].as_boolean() == false()))


def _submitted_by_me():
    """Whether the report a decision is about (the lead's report completed last before the decision was made
    ready, as ``engine.runtime.acting`` finds it) was submitted by the bound ``me``."""
    report, later = aliased(TaskRow), aliased(TaskRow)
    last_step = (select(func.max(later.completed_step))
                 .where(later.instance_id == TaskRow.instance_id, later.status == "completed",
                        later.completed_step <= TaskRow.created_step, _of_kind(later, "reports", REPORT))
                 .scalar_subquery())
    return exists().where(report.instance_id == TaskRow.instance_id, report.status == "completed",
                          report.completed_step == last_step, _of_kind(report, "reports", REPORT),
                          report.completed_by == bindparam("me"))
