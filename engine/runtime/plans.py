"""A plan as the use cases hand it back: each item with its status and progress, rolled up from its
sub-plans; and the plan an actor may see."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import forms
from engine.errors import NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.progress import Run, item_progress, item_status, late_periods, plan_progress
from engine.model.schedules import reporting_period
from engine.model.tasks import CONTRIBUTION, DECISION, REPORT, UNIT_REPORT, step_kind
from engine.store.plans.tables import PlanRow
from engine.store.uow import UnitOfWork


@dataclass
class ItemView:
    id: int
    number: str
    parent_number: str | None
    title: str
    process: str | None
    lead: str | None
    performers: list[str]
    coordinating: list[str]
    schedule: dict[str, Any] | None
    outputs: list[str]
    status: str
    progress: float
    instances: list[dict[str, Any]] = field(default_factory=list)
    sub_plan_required: bool = False
    sub_plans: list[dict[str, Any]] = field(default_factory=list)
    note: str | None = None
    escalated: bool = False  # a deadline of the item passed and was escalated to the coordinators
    #: Whom the item waits on now, step by step: [{"step": report | decision | contribution | unit_report |
    #: other, "agencies": [codes]}], the lead's own work first.
    waiting_on: list[dict[str, Any]] = field(default_factory=list)
    #: The periodic reports late now (chậm báo cáo), period by period: [{"period": "Quý II/2022", "agencies":
    #: [codes]}], the lead's reports and the coordinating agencies' contributions to them.
    late_reports: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class PlanView:
    id: int
    symbol: str
    title: str
    issuer: str
    province: str
    standing_body: str
    template: str
    template_version: int
    launched_at: datetime
    parent_item_id: int | None
    progress: float
    items: list[ItemView]
    parameters: dict[str, Any] = field(default_factory=dict)
    replayed: bool = False  # a launch retried with its idempotency key: this is the first launch's plan


#: The tasks of a continuous duty that send a period's report and its contributions: an agency's k-th of an
#: instance is its k-th period's.
PERIODIC_REPORT, PERIOD_CONTRIBUTION = "periodic_report", "contribute_period"

#: The order in which an item's waits are said: the lead's own work, then the decision, then the others'.
STEP_ORDER = (REPORT, DECISION, CONTRIBUTION, UNIT_REPORT, "other")


def waiting_on(open_steps) -> dict[int, list[dict[str, Any]]]:
    """{instance: [{"step", "agencies"}]} of the open tasks (``Tasks.open_steps_of``)."""
    found: dict[int, dict[str, list[str]]] = {}
    for instance_id, agency, lane, form_key in open_steps:
        step = step_kind(forms.kind_of(form_key), lane) or "other"
        agencies = found.setdefault(instance_id, {}).setdefault(step, [])
        if agency and agency not in agencies:
            agencies.append(agency)
    return {instance_id: [{"step": step, "agencies": steps[step]} for step in STEP_ORDER if step in steps]
            for instance_id, steps in found.items()}


def merge_waiting(waits: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The waits of an item's instances as one list, each step once."""
    merged: dict[str, list[str]] = {}
    for wait in waits:
        for each in wait:
            agencies = merged.setdefault(each["step"], [])
            agencies.extend(agency for agency in each["agencies"] if agency not in agencies)
    return [{"step": step, "agencies": merged[step]} for step in STEP_ORDER if step in merged]


@dataclass(frozen=True)
class Duty:
    """An open run of an item that reports periodically, as lateness needs it."""

    instance_id: int
    schedule: dict[str, Any] | None
    owner: str | None = None  # whose report it is (the instance's agency)
    coordinating: tuple[str, ...] = ()  # who contributes to each period's report


def late_in_reporting(uow: UnitOfWork, runs: list[Duty], now: datetime,
                      as_of: datetime | None = None) -> dict[tuple[int, str | None], list[int]]:
    """Of these open runs, (instance, agency) -> the periods (indexes) of each agency late in its periodic
    reports at ``now``: the owner (its reports; agency None when the run has none) and each coordinating agency
    (its contributions), by ``engine.model.progress.late_periods``. Read from the deadlines the duty was started with (a period's own
    task carries its deadline once asked, moved by any extension) and the clock: a period whose cut-off timer
    the worker has not fired yet is late all the same. ``as_of``: a report sent after it does not count."""
    duties = [run for run in runs if run.schedule and run.schedule.get("report_deadlines")]
    asked: dict[tuple[int, str | None], list[tuple[datetime | None, datetime | None]]] = {}
    owners = {run.instance_id: run.owner for run in duties}
    for instance_id, agency, due, sent in uow.tasks.rounds_at([run.instance_id for run in duties],
                                                              (PERIODIC_REPORT, PERIOD_CONTRIBUTION)):
        counted = sent if sent is not None and (as_of is None or sent <= as_of) else None
        key = (instance_id, owners[instance_id] if agency == owners[instance_id] else agency)
        asked.setdefault(key, []).append((due, counted))
    late = {}
    for run in duties:
        written = run.schedule["report_deadlines"]
        for agency in [run.owner] + [code for code in run.coordinating if code != run.owner]:
            rounds = asked.get((run.instance_id, agency), [])
            deadlines = [(rounds[k][0] if k < len(rounds) and rounds[k][0] else None)
                         or datetime.fromisoformat(text) for k, text in enumerate(written)]
            periods = late_periods(deadlines, [sent for _, sent in rounds], now)
            if periods:
                late[(run.instance_id, agency)] = periods
    return late


def late_reports(schedule: dict[str, Any], late: list[tuple[str | None, list[int]]]) -> list[dict[str, Any]]:
    """[{"period": its label (Quý II/2022), "agencies": [codes]}] of the late agencies ((agency, periods)) of an
    item, in the order of the periods."""
    found: dict[int, list[str]] = {}
    for agency, periods in late:
        for index in periods:
            agencies = found.setdefault(index, [])
            if agency and agency not in agencies:
                agencies.append(agency)
    closes = schedule.get("report_dates") or []
    return [{"period": reporting_period(datetime.fromisoformat(closes[index]), schedule["reporting"]).label,
             "agencies": found[index]} for index in sorted(found) if index < len(closes)]


def visible_plan(uow: UnitOfWork, actor: Actor, plan_id: int) -> PlanRow:
    """Inside an open unit of work: the plan, if the actor sees its province; else not found, as if absent."""
    plan = uow.plans.get(plan_id)
    if not policy.may_see_plan(actor, plan.province):
        raise NotFound(t("no plan %(plan_id)s", plan_id=plan_id))
    return plan


def plan_view(uow: UnitOfWork, plan: PlanRow, now: datetime, as_of: datetime | None = None,
              depth: int = 0) -> PlanView:
    """The plan with each item's status and progress at ``now``, rolled up from its sub-plans.

    ``as_of``: the end of a report's period; what was completed after it does not count. The live view
    (None) counts every completion there is, even one stamped a moment after ``now`` by a process whose
    clock runs a little ahead of this one's."""
    items = uow.plans.items(plan.id)
    ids = [item.id for item in items]
    instances = uow.plans.instances_of_items(ids)
    escalated = uow.incidents.instances_escalated([i.id for i in instances])
    extended = uow.extensions.granted_until([i.id for i in instances])
    sub_plans = uow.plans.sub_plans_of_items(ids) if depth < 3 else []
    waiting = waiting_on(uow.tasks.open_steps_of([i.id for i in instances if i.status == "running"]))
    schedules = {item.id: item.schedule for item in items}
    coordinating = {item.id: tuple(item.coordinating) for item in items}
    late = late_in_reporting(uow, [Duty(i.id, schedules.get(i.plan_item_id), i.agency,
                                        coordinating.get(i.plan_item_id, ())) for i in instances
                                   if i.status == "running" or (as_of and i.completed_at and i.completed_at > as_of)],
                             now, as_of)
    item_of = {i.id: i.plan_item_id for i in instances}
    late_of_item: dict[int, list[tuple[str | None, list[int]]]] = {}
    for (instance_id, agency), periods in late.items():
        late_of_item.setdefault(item_of[instance_id], []).append((agency, periods))
    views = []
    for item in items:
        runs = [Run(i.agency, i.completed_at if i.completed_at and (as_of is None or i.completed_at <= as_of)
                    else None, extended.get(i.id), (i.id, i.agency) in late) for i in instances
                if i.plan_item_id == item.id]
        subs = [plan_view(uow, sub, now, as_of, depth + 1) for sub in sub_plans if sub.parent_item_id == item.id]
        end = datetime.fromisoformat(item.schedule["end"]) if item.schedule else None
        start = datetime.fromisoformat(item.schedule["start"]) if item.schedule else None
        views.append(ItemView(
            id=item.id, number=item.number, parent_number=item.parent_number, title=item.title,
            process=item.process_key, lead=item.lead_agency, performers=list(item.performers),
            coordinating=list(item.coordinating), schedule=item.schedule, outputs=list(item.outputs),
            status=item_status(runs, end, now, start) if item.process_key else "heading",
            progress=item_progress(runs, {sub.issuer: sub.progress for sub in subs}),
            instances=[{"id": i.id, "agency": i.agency, "status": i.status} for i in instances
                       if i.plan_item_id == item.id],
            sub_plan_required=item.sub_plan_required, note=item.note,
            escalated=any(i.id in escalated for i in instances if i.plan_item_id == item.id),
            waiting_on=merge_waiting([waiting[i.id] for i in instances
                                      if i.plan_item_id == item.id and i.id in waiting]),
            late_reports=late_reports(item.schedule or {}, late_of_item.get(item.id, [])),
            sub_plans=[{"plan": sub.id, "issuer": sub.issuer, "symbol": sub.symbol, "progress": sub.progress}
                       for sub in subs]))
    return PlanView(
        id=plan.id, symbol=plan.symbol, title=plan.title, issuer=plan.issuer, province=plan.province,
        standing_body=plan.standing_body, template=plan.template.key, template_version=plan.template.version,
        launched_at=plan.launched_at, parent_item_id=plan.parent_item_id, parameters=dict(plan.parameters),
        progress=plan_progress([view.progress for view in views if view.process]), items=views)
