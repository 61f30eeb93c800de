"""Launching a plan from a template, and an agency's own implementing plan (sub-plan) for an item.

A launch creates the plan, its items, one process instance per item (one per
performer) and their first tasks in one transaction. The rules a province
expects of it are checked first: who launches (a coordinator, for their own
province), with what (parameters of the declared types, agencies of the
plan's province unless the template spans provinces), and not twice by
mistake (an idempotency key replays the first launch; the same symbol twice
needs saying so).
"""
from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

from engine.errors import Conflict, Duplicate, Invalid
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.search import folded
from engine.runtime.plans import PlanView, plan_view
from engine.runtime.starts import begin_instance
from engine.store.plans.tables import PlanItemRow, PlanRow, PlanTemplateRow
from engine.store.uow import UnitOfWork
from engine.templates.planning import plan_items
from engine.templates.resolve import (
    fill,
    needs_value,
    plan_day,
    plan_directory,
    province_problem,
    resolve_parameters,
)
from engine.templates.schema import PLACEHOLDER
from engine.templates.sub_plans import sub_plan_template

MIN_KEY, MAX_KEY = 8, 200


def launch_plan(uow: UnitOfWork, clock, actor: Actor, template_key: str, parameters: dict[str, Any] | None = None,
                idempotency_key: str | None = None, allow_duplicate_symbol: bool = False,
                examples: bool = True) -> PlanView:
    """Launch a plan (coordinators, for their own province).

    A launch retried with the same idempotency key returns the plan the first
    one created and creates nothing; the same key with other parameters is a
    conflict naming the difference. A second plan with a symbol already
    launched is refused unless ``allow_duplicate_symbol``. Without ``examples``
    (a person's form) no parameter takes the template's example value.
    """
    policy.check_launches_plans(actor)
    return _launch(uow, clock, actor, template_key, parameters, idempotency_key,
                   allow_duplicate_symbol=allow_duplicate_symbol, examples=examples)


def launch_sub_plan(uow: UnitOfWork, clock, actor: Actor, parent_item_id: int, agency: str | None = None,
                    template_key: str | None = None, parameters: dict[str, Any] | None = None,
                    idempotency_key: str | None = None) -> PlanView:
    """An agency's own implementing plan for an item that asks for one, linked to that item.

    An agency's member launches its own without naming it; the sub-plan takes
    the parent's year and dates unless told otherwise.
    """
    agency = agency or actor.agency
    if not agency:
        raise Invalid(t("name the agency whose plan this is"), errors={"agency": [t("required")]})
    with uow:
        item = uow.plans.item(parent_item_id)
        policy.check_sees_plan(actor, item.plan_id, uow.plans.get(item.plan_id).province)
        policy.check_launches_sub_plan(actor, agency, uow.plans.get(item.plan_id).province)
        if not item.sub_plan_required:
            raise Invalid(t("item %(number)s does not ask the agencies for their own plan",
                            number=item.number))
        owners = [item.lead_agency] if item.lead_agency else item.performers
        if agency not in owners:
            raise Invalid(t("agency '%(agency)s' is not among those item %(number)s asks for a plan (%(join)s)",
                            agency=agency, number=item.number, join=", ".join(owners)))
        parent = uow.plans.get(item.plan_id)
        template_key = template_key or item.sub_plan_template
        if template_key is None:
            template_key = derive_template(uow, clock, actor, parent, agency)
            uow.commit()
        declared = uow.templates.latest(template_key).data.get("parameters", {})
        inherited = {name: value for name, value in parent.parameters.items()
                     if name in declared and declared[name]["type"] != "agencies" and name != "number"}
    parameters = {**inherited, **_parameters(parameters)}
    if declared.get("issuer", {}).get("type") == "agencies":
        parameters.setdefault("issuer", [agency])  # the template's own items are the issuer's
    return _launch(uow, clock, actor, template_key, parameters, idempotency_key, parent_item_id, issuer=agency,
                   allow_duplicate_symbol=False)


def _launch(uow: UnitOfWork, clock, actor: Actor, template_key: str, parameters, idempotency_key: str | None,
            parent_item_id: int | None = None, issuer: str | None = None,
            allow_duplicate_symbol: bool = False, examples: bool = True) -> PlanView:
    parameters = _parameters(parameters)
    if idempotency_key is not None and not (isinstance(idempotency_key, str)
                                            and MIN_KEY <= len(idempotency_key) <= MAX_KEY):
        raise Invalid(t("an idempotency key is %(MIN_KEY)s to %(MAX_KEY)s characters",
                        MIN_KEY=MIN_KEY, MAX_KEY=MAX_KEY),
                      errors={"idempotency_key": [t("%(min)s to %(max)s characters", min=MIN_KEY, max=MAX_KEY)]})
    with uow:
        template = uow.templates.latest(template_key)
        policy.check_province(actor, template.data["province"], f"template {template.key}")
        if idempotency_key and (existing := uow.plans.by_idempotency_key(idempotency_key)) is not None:
            return _same_launch(uow, existing, template, parameters, clock)
        try:
            plan, started = _create(uow, clock, actor, template, parameters, idempotency_key, parent_item_id, issuer,
                                    allow_duplicate_symbol, examples)
            uow.commit()
        except Duplicate:  # the same key launched at the same moment: that launch's plan is the answer
            existing = uow.plans.by_idempotency_key(idempotency_key) if idempotency_key else None
            if existing is None:
                raise
            return _same_launch(uow, existing, template, parameters, clock)
        for each in started:
            each.kept()
        return plan_view(uow, plan, clock.now())


def _parameters(parameters: Any) -> dict[str, Any]:
    if parameters is None:
        return {}
    if not isinstance(parameters, dict) or not all(isinstance(name, str) for name in parameters):
        raise Invalid(t("parameters are an object of named values"), errors={"parameters": [t("not an object")]})
    return dict(parameters)


def _create(uow, clock, actor, template: PlanTemplateRow, parameters, idempotency_key, parent_item_id, issuer,
            allow_duplicate_symbol: bool, examples: bool = True):
    data = template.data
    params, symbol, planned = _planned(uow, clock, template, parameters, examples)
    if not allow_duplicate_symbol and (twin := uow.plans.by_symbol(symbol, data["province"])) is not None:
        raise Conflict(t("plan %(symbol)s was launched already (plan %(id)s, %(day)s); a second plan with the same "
                         "number and symbol is launched only when that is confirmed",
                         symbol=symbol, id=twin.id, day=twin.launched_at.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")),
                       duplicate_symbol=symbol)
    now = clock.now()
    plan = uow.plans.add(PlanRow(
        template_id=template.id, symbol=symbol, title=fill(data["name"], params),
        issuer=issuer or data["issuer"].get("agency") or "", province=data["province"],
        standing_body=data["standing_body"], parameters=params, idempotency_key=idempotency_key,
        parent_item_id=parent_item_id, launched_at=now, launched_by=actor.name))
    uow.flush()
    definitions, started = {}, []
    ids = iter(uow.instances.reserve_ids(sum(len(item.instances) for item in planned if item.process)))
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
                                          agency=agency, instance_id=next(ids), province=plan.province))
    uow.audit.append(now, actor.name, "plan.launched", data={
        "plan": plan.id, "template": template.key, "version": template.version, "symbol": plan.symbol,
        "parameters": params, "items": len(planned), "instances": len(started),
        "parent_item": parent_item_id, "idempotency_key": idempotency_key})
    return plan, started


def _planned(uow, clock, template: PlanTemplateRow, parameters, examples: bool = True) -> tuple[dict[str, Any], str,
                                                                                              list]:
    """What a launch would make, resolved and checked, nothing written: parameters, symbol, items."""
    data = template.data
    today = clock.now().astimezone(LOCAL_TZ).date()
    whole = uow.agencies.directory(None if data.get("cross_province") else [data["province"]])
    params = resolve_parameters(data, parameters, plan_directory(data, whole, plan_day(data, parameters, today)),
                                examples)
    # "từ nay" (from now) in a document means from its date: the issued_on parameter when there is one. The
    # plan's agencies are those of that date too: a plan of 2022 names the bodies of 2022.
    issued_on = params.get("issued_on")
    start = date.fromisoformat(issued_on) if issued_on else today
    problem = province_problem(whole, data["province"], start)
    if problem:
        raise Invalid(problem, errors={"province": [problem]})
    directory = plan_directory(data, whole, start)
    planned = plan_items(data, params, directory, start)
    _check_agencies(planned, directory, data["province"], bool(data.get("cross_province")))
    return params, _symbol(data["symbol"], params), planned


def preview_plan(uow: UnitOfWork, clock, actor: Actor, template_key: str, parameters: dict[str, Any] | None = None,
                 examples: bool = True):
    """The plan a launch with these parameters would make (symbol and items with their agencies and dates),
    refused as the launch itself would be; nothing is written."""
    policy.check_launches_plans(actor)
    with uow:
        template = uow.templates.latest(template_key)
        policy.check_province(actor, template.data["province"], f"template {template.key}")
        _, symbol, planned = _planned(uow, clock, template, _parameters(parameters), examples)
        return symbol, planned


def needed_parameters(template: dict[str, Any]) -> set[str]:
    """The parameters a person launching from a form must give (``needs_value``)."""
    return {name for name, spec in template.get("parameters", {}).items() if needs_value(spec)}


def outline(template: dict[str, Any], values: dict[str, Any]) -> dict[str, Any]:
    """A template as a launch form shows it before the preview: its name and items' titles with the values typed
    so far put in (``{year}`` as the year chosen), and "…" for what is not typed yet, never the template's
    examples."""
    def items(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**entry, "title": shown(str(entry.get("title", "")), values), "items": items(entry.get("items", []))}
                for entry in entries]
    return {**template, "name": shown(template.get("name", ""), values), "items": items(template.get("items", []))}


def shown(text: str, values: dict[str, Any] | None = None) -> str:
    """A template's text with the values typed so far put in, and "…" where a value is still to be chosen."""
    typed = {name: value for name, value in (values or {}).items() if isinstance(value, str) and value.strip()}
    return PLACEHOLDER.sub("…", fill(text, typed))


def _symbol(pattern: str, params: dict[str, Any]) -> str:
    """The plan's number and symbol: ``{number}/KH`` with number 45 is 45/KH; a number given whole
    (``45/KH-UBND``) is the symbol itself, not 45/KH-UBND/KH."""
    number = str(params.get("number") or "")
    if pattern.startswith("{number}/") and "/" in number:
        return number
    return fill(pattern, params)


def _check_agencies(planned, directory, province: str, cross: bool) -> None:
    """Every agency of the plan belongs to its province, unless the template says it spans provinces, and
    existed on the plan's date (``directory`` is the plan's: of its province and date)."""
    errors: dict[str, list[str]] = {}
    for item in planned:
        for code in dict.fromkeys([*([item.lead] if item.lead else []), *item.performers, *item.coordinating]):
            if directory.get(code) is None:
                errors.setdefault(f"items.{item.number}", []).append(directory.describe_unknown(
                    code, None if cross else province))
    if errors:
        first = next(iter(errors.values()))[0]
        raise Invalid(t("%(first)s; a plan of %(province)s is carried out by its own agencies of its date (a "
                        "template for several provinces says cross_province: true)",
                        first=first, province=province), errors=errors)


def _same_launch(uow, existing: PlanRow, template: PlanTemplateRow, parameters: dict[str, Any], clock) -> PlanView:
    if existing.template.key != template.key:
        raise Conflict(t("idempotency key already used for plan %(id)s (%(key)s); use a new key for a different "
                         "launch",
                         id=existing.id, key=existing.template.key))
    data = template.data
    asked = resolve_parameters(data, parameters, uow.agencies.directory(
        None if data.get("cross_province") else [data["province"]]))
    differences = [name for name in sorted(set(asked) | set(existing.parameters))
                   if asked.get(name) != existing.parameters.get(name)]
    if differences:
        said = "; ".join(f"{name}: {existing.parameters.get(name)!r} then, {asked.get(name)!r} now"
                         for name in differences)
        raise Conflict(t("idempotency key already used for plan %(id)s with other parameters (%(said)s); use a "
                         "new key for a different launch",
                         id=existing.id, said=said))
    view = plan_view(uow, existing, clock.now())
    view.replayed = True
    return view


def derive_template(uow: UnitOfWork, clock, actor: Actor, parent: PlanRow, agency: str) -> str:
    """Store (inside an open unit of work) the template of ``agency``'s implementing plan of ``parent``
    (``engine.templates.sub_plans``) like any template, same content same version, so that the sub-plan keeps
    it; its key."""
    data = sub_plan_template(parent.template.data, agency, symbol=parent.symbol, province=parent.province,
                             standing_body=parent.standing_body, parameters=parent.parameters,
                             directory=uow.agencies.directory([parent.province]))
    key = data["key"]
    content = json.dumps(data, sort_keys=True, ensure_ascii=False)
    digest = hashlib.sha256(content.encode("utf-8")).hexdigest()
    if uow.templates.by_hash(key, digest) is None:
        uow.templates.add(PlanTemplateRow(key=key, version=uow.templates.next_version(key), name=data["name"],
                                          content_hash=digest, source=content, data=data,
                                          registered_at=clock.now(), registered_by=actor.name))
        uow.flush()
    return key
