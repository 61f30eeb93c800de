"""Reading plans: how far each has got, item by item, rolled up from its sub-plans."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.model import policy
from engine.model.actors import Actor
from engine.model.progress import Run, item_progress, plan_progress
from engine.runtime.plans import PlanView, plan_view, visible_plan
from engine.store.uow import UnitOfWork


def plan_for_key(uow: UnitOfWork, idempotency_key: str) -> int | None:
    """The plan a launch with this idempotency key made, if any."""
    with uow:
        row = uow.plans.by_idempotency_key(idempotency_key)
        return row.id if row else None


def get_plan(uow: UnitOfWork, clock, plan_id: int, actor: Actor | None = None) -> PlanView:
    """A plan, for anyone of its province (a plan of another province reads as not found)."""
    with uow:
        plan = visible_plan(uow, actor, plan_id) if actor is not None else uow.plans.get(plan_id)
        return plan_view(uow, plan, clock.now())


@dataclass(frozen=True)
class PlanSummary:
    id: int
    symbol: str
    title: str
    issuer: str
    progress: float
    launched_at: datetime


@dataclass(frozen=True)
class PlanPage:
    plans: list[PlanSummary]
    total: int
    page: int
    per_page: int


def list_plans(uow: UnitOfWork, clock, page: int = 1, per_page: int = 50, actor: Actor | None = None) -> PlanPage:
    """A page of plans, newest first, with their progress, in four queries whatever the page size.

    The progress here counts each item's own instances; a plan's full view
    (``get_plan``) also rolls sub-plans up into the items that asked for them.
    """
    province = policy.scope(actor) if actor is not None else None
    with uow:
        rows = uow.plans.all(per_page, (page - 1) * per_page, province)
        items = uow.plans.items_of_plans([row.id for row in rows])
        runs: dict[int, list[Run]] = {}
        for instance in uow.plans.instances_of_items([item.id for item in items]):
            runs.setdefault(instance.plan_item_id, []).append(Run(instance.agency, instance.completed_at))
        progress: dict[int, list[float]] = {}
        for item in items:
            if item.process_key:
                progress.setdefault(item.plan_id, []).append(item_progress(runs.get(item.id, [])))
        summaries = [PlanSummary(row.id, row.symbol, row.title, row.issuer, plan_progress(progress.get(row.id, [])),
                                 row.launched_at) for row in rows]
        return PlanPage(summaries, uow.plans.count(province), page, per_page)


