"""Launching a plan from a template, its sub-plans, and reading how far it has got."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


from ..clock import LOCAL_TZ
from ..errors import Conflict, Duplicate, Invalid
from ..model import Actor
from ..progress import Run, item_progress, item_status, plan_progress
from ..search import folded
from ..store.plan_tables import PlanItemRow, PlanRow, PlanTemplateRow
from ..store.uow import UnitOfWork
from ..templates.planning import plan_items
from ..templates.resolve import fill, resolve_agencies, resolve_parameters
from .directory import directory_in
from .processes import begin_instance


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


def launch_plan(uow: UnitOfWork, clock, actor: Actor, template_key: str, parameters: dict[str, Any] | None = None,
                idempotency_key: str | None = None, parent_item_id: int | None = None,
                issuer: str | None = None) -> PlanView:
    """Create the plan, its items, their process instances and first tasks in one transaction.

    A launch retried with the same idempotency key returns the plan the first
    one created and creates nothing.
    """
    with uow:
        if idempotency_key and (existing := uow.plans.by_idempotency_key(idempotency_key)) is not None:
            return _same_launch(uow, existing, template_key, clock)
        template = uow.templates.latest(template_key)
        try:
            plan, started = _create(uow, clock, actor, template, parameters or {}, idempotency_key, parent_item_id,
                                    issuer)
            uow.commit()
        except Duplicate:  # the same key launched at the same moment: that launch's plan is the answer
            uow.rollback()
            existing = uow.plans.by_idempotency_key(idempotency_key) if idempotency_key else None
            if existing is None:
                raise
            return _same_launch(uow, existing, template_key, clock)
        for each in started:
            each.kept()
        return plan_view(uow, plan, clock.now())


def _create(uow, clock, actor, template: PlanTemplateRow, parameters, idempotency_key, parent_item_id, issuer):
    data = template.data
    directory = directory_in(uow)
    params = resolve_parameters(data, parameters, directory)
    now = clock.now()
    # "từ nay" (from now) in a document means from its date: the issued_on parameter when there is one.
    issued_on = params.get("issued_on")
    start = date.fromisoformat(issued_on) if issued_on else now.astimezone(LOCAL_TZ).date()
    planned = plan_items(data, params, directory, start)
    plan = uow.plans.add(PlanRow(
        template_id=template.id, symbol=fill(data["symbol"], params), title=fill(data["name"], params),
        issuer=issuer or data["issuer"].get("agency") or "", province=data["province"],
        standing_body=data["standing_body"], parameters=params, idempotency_key=idempotency_key,
        parent_item_id=parent_item_id, launched_at=now, launched_by=actor.name))
    uow.flush()
    definitions, started = {}, []
    for position, item in enumerate(planned):
        row = uow.plans.add(PlanItemRow(
            plan_id=plan.id, position=position, number=item.number, parent_number=item.parent_number,
            title=item.title, text=item.text, process_key=item.process, lead_agency=item.lead,
            performers=item.performers, coordinating=item.coordinating,
            schedule=item.schedule.as_json() if item.schedule else None, outputs=item.outputs,
            sub_plan_required=bool(item.sub_plan.get("required")), sub_plan_template=item.sub_plan.get("template"),
            note=item.note, search_text=folded(f"{plan.symbol} {plan.title} {item.number} {item.title}")))
        uow.flush()
        if item.process and item.process not in definitions:
            definitions[item.process] = uow.definitions.latest(item.process)
        for agency, variables in item.instances:
            started.append(begin_instance(uow, clock, actor, definitions[item.process], variables,
                                          business_key=f"{plan.symbol} #{item.number}", plan_item_id=row.id,
                                          agency=agency))
    uow.audit.append(now, actor.name, "plan.launched", data={
        "plan": plan.id, "template": template.key, "version": template.version, "symbol": plan.symbol,
        "parameters": params, "items": len(planned), "instances": len(started),
        "parent_item": parent_item_id, "idempotency_key": idempotency_key})
    return plan, started


def _same_launch(uow, existing: PlanRow, template_key: str, clock) -> PlanView:
    if existing.template.key != template_key:
        raise Conflict(f"idempotency key already used for plan {existing.id} ({existing.template.key}); "
                       "use a new key for a different launch")
    return plan_view(uow, existing, clock.now())


def launch_sub_plan(uow: UnitOfWork, clock, actor: Actor, parent_item_id: int, agency: str,
                    template_key: str | None = None, parameters: dict[str, Any] | None = None,
                    idempotency_key: str | None = None) -> PlanView:
    """An agency's own implementing plan for an item that asks for one, linked to that item."""
    with uow:
        item = uow.plans.item(parent_item_id)
        if not item.sub_plan_required:
            raise Invalid(f"item {item.number} does not ask the agencies for their own plan")
        owners = [item.lead_agency] if item.lead_agency else item.performers
        if agency not in owners:
            raise Invalid(f"agency '{agency}' is not among those item {item.number} asks for a plan "
                          f"({', '.join(owners)})")
        template_key = template_key or item.sub_plan_template
        if template_key is None:
            template_key = derive_template(uow, clock, actor, uow.plans.get(item.plan_id), agency)
            uow.commit()
        declared = uow.templates.latest(template_key).data.get("parameters", {})
    parameters = dict(parameters or {})
    if declared.get("issuer", {}).get("type") == "agencies":
        parameters.setdefault("issuer", [agency])  # the template's own items are the issuer's
    return launch_plan(uow, clock, actor, template_key, parameters, idempotency_key, parent_item_id, issuer=agency)


def derive_template(uow: UnitOfWork, clock, actor: Actor, parent: PlanRow, agency: str) -> str:
    """A sub-plan template made from the parent plan's items in which ``agency`` takes part,
    each now led by the agency itself, with the agency as issuer (inside an open unit of work).

    It is stored like any template (same content, same version), so the sub-plan keeps it.
    """
    source = parent.template.data
    directory = directory_in(uow)

    def takes_part(raw: dict) -> bool:
        refs = [raw["lead"]] if "lead" in raw else []
        refs += list(raw.get("performers", [])) + list(raw.get("coordinating", []))
        return not raw.get("sub_plan") and agency in resolve_agencies(refs, directory, parent.province,
                                                                      parent.parameters)

    items = [_own_item(raw, agency) for raw in _items_of(source["items"]) if takes_part(raw)]
    if not items:
        raise Invalid(f"agency '{agency}' takes part in no item of plan {parent.symbol}")
    key = f"{source['key']}--{agency.lower()}"[:100]
    data = {**{k: source[k] for k in ("document_type", "province", "implements", "purposes", "requirements",
                                      "reporting", "notes") if k in source},
            "key": key, "name": f"Kế hoạch triển khai {parent.symbol} của {agency}",
            "issuer": {"agency": agency}, "symbol": "{number}/KH", "standing_body": parent.standing_body,
            "parameters": {**source.get("parameters", {}), "number": {"type": "string", "required": True,
                                                                       "label": "Số kế hoạch"}},
            "items": items}
    for name, value in parent.parameters.items():  # the parent's year, dates … are the sub-plan's too
        if name in data["parameters"] and name != "number" and data["parameters"][name]["type"] != "agencies":
            data["parameters"][name] = {**data["parameters"][name], "default": value}
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if uow.templates.by_hash(key, digest) is None:
        uow.templates.add(PlanTemplateRow(key=key, version=uow.templates.next_version(key), name=data["name"],
                                          content_hash=digest, source=content, data=data,
                                          registered_at=clock.now(), registered_by=actor.name))
        uow.flush()
    return key


def _items_of(items: list[dict]) -> list[dict]:
    return [leaf for item in items for leaf in ([item] if item.get("process") else _items_of(item.get("items", [])))]


def _own_item(raw: dict, agency: str) -> dict:
    own = {k: v for k, v in raw.items() if k not in ("lead", "performers", "coordinating", "pilot", "rollout",
                                                     "sub_plan", "items")}
    if own.get("process") == "pilot_rollout":
        own["process"] = "plan_item"  # the agency carries out its own part; pilots are the parent's business
    return {**own, "lead": {"agency": agency}}


def plan_for_key(uow: UnitOfWork, idempotency_key: str) -> int | None:
    """The plan a launch with this idempotency key made, if any."""
    with uow:
        row = uow.plans.by_idempotency_key(idempotency_key)
        return row.id if row else None


def get_plan(uow: UnitOfWork, clock, plan_id: int) -> PlanView:
    with uow:
        return plan_view(uow, uow.plans.get(plan_id), clock.now())


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


def list_plans(uow: UnitOfWork, clock, page: int = 1, per_page: int = 50) -> PlanPage:
    """A page of plans, newest first, with their progress, in four queries whatever the page size.

    The progress here counts each item's own instances; a plan's full view
    (``get_plan``) also rolls sub-plans up into the items that asked for them.
    """
    with uow:
        rows = uow.plans.all(per_page, (page - 1) * per_page)
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
        return PlanPage(summaries, uow.plans.count(), page, per_page)


def plan_view(uow: UnitOfWork, plan: PlanRow, now: datetime, depth: int = 0) -> PlanView:
    """The plan with each item's status and progress, rolled up from its sub-plans."""
    items = uow.plans.items(plan.id)
    ids = [item.id for item in items]
    instances = uow.plans.instances_of_items(ids)
    sub_plans = uow.plans.sub_plans_of_items(ids) if depth < 3 else []
    views = []
    for item in items:
        runs = [Run(i.agency, i.completed_at) for i in instances if i.plan_item_id == item.id]
        subs = [plan_view(uow, sub, now, depth + 1) for sub in sub_plans if sub.parent_item_id == item.id]
        end = datetime.fromisoformat(item.schedule["end"]) if item.schedule else None
        views.append(ItemView(
            id=item.id, number=item.number, parent_number=item.parent_number, title=item.title,
            process=item.process_key, lead=item.lead_agency, performers=list(item.performers),
            coordinating=list(item.coordinating), schedule=item.schedule, outputs=list(item.outputs),
            status=item_status(runs, end, now) if item.process_key else "heading",
            progress=item_progress(runs, {sub.issuer: sub.progress for sub in subs}),
            instances=[{"id": i.id, "agency": i.agency, "status": i.status} for i in instances
                       if i.plan_item_id == item.id],
            sub_plan_required=item.sub_plan_required, note=item.note,
            sub_plans=[{"plan": sub.id, "issuer": sub.issuer, "symbol": sub.symbol, "progress": sub.progress}
                       for sub in subs]))
    return PlanView(
        id=plan.id, symbol=plan.symbol, title=plan.title, issuer=plan.issuer, province=plan.province,
        standing_body=plan.standing_body, template=plan.template.key, template_version=plan.template.version,
        launched_at=plan.launched_at, parent_item_id=plan.parent_item_id, parameters=dict(plan.parameters),
        progress=plan_progress([view.progress for view in views if view.process]), items=views)
