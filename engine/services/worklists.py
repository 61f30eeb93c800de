"""Worklists: the tasks a person's agency has to do (every agency's, or one's, for those who watch), each with
the plan and item it serves, who leads and how its deadline stands; filtered, searched and paged in the
database."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from engine.errors import Invalid
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.progress import deadline_status, due_soon_until
from engine.model.search import folded
from engine.model.tasks import DECISION, WorklistFilter
from engine.runtime.views import TaskView, step_kind_of, step_kinds, task_view
from engine.store.uow import UnitOfWork


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
    #: "awaiting_approval" (an approval to decide), "returned" (a report the standing body returned), or None.
    mark: str | None = None


@dataclass(frozen=True)
class WorklistPage:
    tasks: list[WorklistRow]
    total: int
    page: int
    per_page: int
    #: Whether the approvals came first (an approver's own list), to be shown apart from the agency's other work.
    approvals_first: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def worklist(uow: UnitOfWork, clock, actor: Actor, wanted: WorklistFilter = WorklistFilter(), page: int = 1,
             per_page: int = 50) -> WorklistPage:
    """The actor's agency's tasks (for those who watch: every agency's of their province, or one agency's),
    soonest due first."""
    if wanted.sort not in WorklistFilter.SORTS:
        raise Invalid(t("sort by %(join)s, not '%(sort)s'",
                        join=" or ".join(WorklistFilter.SORTS), sort=wanted.sort),
                      errors={"sort": [t("one of %(choices)s", choices=", ".join(WorklistFilter.SORTS))]})
    if wanted.flag is not None and wanted.flag not in WorklistFilter.FLAGS:
        raise Invalid(t("show %(join)s, not '%(flag)s'", join=", ".join(WorklistFilter.FLAGS), flag=wanted.flag),
                      errors={"flag": [t("one of %(choices)s", choices=", ".join(WorklistFilter.FLAGS))]})
    wanted = policy.scoped_worklist(actor, wanted)
    if wanted is None:
        return WorklistPage([], 0, page, per_page)
    if wanted.search:
        wanted = replace(wanted, search=folded(wanted.search))
    now = clock.now()
    wanted = _flagged(wanted, now)
    with uow:
        entries = uow.worklists.page(wanted, step_kinds(), limit=per_page, offset=(page - 1) * per_page)
        rows = [WorklistRow(**task_view(entry.task).__dict__, plan_id=entry.plan_id, plan_symbol=entry.plan_symbol,
                            plan_title=entry.plan_title, item_number=entry.item_number, item_title=entry.item_title,
                            lead_agency=entry.lead_agency,
                            deadline_status=deadline_status(entry.task.due_at, entry.task.status,
                                                            entry.task.completed_at, now,
                                                            _start_of(entry.item_schedule)),
                            mark=_mark(entry))
                for entry in entries]
        return WorklistPage(rows, uow.worklists.count(wanted, step_kinds()), page, per_page, wanted.approvals_first)


def _flagged(wanted: WorklistFilter, now: datetime) -> WorklistFilter:
    """A flag as the store filters it: every flag means open work; overdue and due soon are due windows (within
    any the caller asked for), the marks the store reads itself."""
    if wanted.flag is None:
        return wanted
    wanted = replace(wanted, status="ready")
    instant = timedelta(microseconds=1)
    if wanted.flag == WorklistFilter.OVERDUE:
        return replace(wanted, due_before=min(filter(None, (wanted.due_before, now - instant))))
    if wanted.flag == WorklistFilter.DUE_SOON:
        return replace(wanted, due_after=max(filter(None, (wanted.due_after, now))),
                       due_before=min(filter(None, (wanted.due_before, due_soon_until(now) - instant))))
    return wanted


def _mark(entry) -> str | None:
    if entry.task.status != "ready":
        return None
    if step_kind_of(entry.task) == DECISION:
        return WorklistFilter.AWAITING_APPROVAL
    return WorklistFilter.RETURNED if entry.returned else None


def _start_of(schedule: dict | None) -> datetime | None:
    """When an item's time begins (its window's first day), from its resolved schedule."""
    return datetime.fromisoformat(schedule["start"]) if schedule and schedule.get("start") else None
