"""From a validated template to the items of a plan and the processes each starts."""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from engine.model.agencies import AgencyDirectory
from engine.model.process_kinds import CONTINUOUS_DUTY, PILOT_ROLLOUT
from engine.templates.resolve import (
    PlannedItem,
    ResolvedSchedule,
    fill,
    resolve_agencies,
    resolve_schedule,
)


def plan_items(template: dict[str, Any], params: dict[str, Any], directory: AgencyDirectory,
               launched_on: date) -> list[PlannedItem]:
    """Every item and sub-item, in document order, with its process instances' start variables.

    An item with a lead agency gets one instance; an item with performers
    (each agency does it for itself) gets one instance per performer.
    """
    return list(_walk(template["items"], "items", None, template, params, directory, launched_on))


def _walk(items, path, parent, template, params, directory, launched_on) -> Iterator[PlannedItem]:
    for index, raw in enumerate(items):
        here = f"{path}[{index}]"
        yield _plan(raw, here, parent, template, params, directory, launched_on)
        yield from _walk(raw.get("items", []), f"{here}.items", raw["number"], template, params, directory,
                         launched_on)


def _plan(raw, path, parent, template, params, directory, launched_on) -> PlannedItem:
    province = template["province"]
    item = PlannedItem(number=raw["number"], title=fill(raw["title"], params), path=path, text=raw.get("text"),
                       parent_number=parent, process=raw.get("process"), outputs=list(raw.get("outputs", [])),
                       sub_plan=dict(raw.get("sub_plan", {})), note=raw.get("note"))
    if item.process is None:
        return item  # a heading: its sub-items carry the work

    def agencies(role: str) -> list[str]:
        return resolve_agencies(raw.get(role, []), directory, province, params)

    item.lead = raw["lead"]["agency"] if "agency" in raw.get("lead", {}) else None
    item.performers = agencies("lead") if "lead" in raw and item.lead is None else agencies("performers")
    item.coordinating = agencies("coordinating")
    item.schedule = resolve_schedule(raw["schedule"], params, launched_on, f"{path}.schedule",
                                     template.get("reporting", {}).get("submission"))
    owners = [item.lead] if item.lead else item.performers
    for owner in owners:
        variables = _variables(item, owner, template["standing_body"], raw, directory, province, params)
        item.instances.append((owner, variables))
    return item


def _variables(item: PlannedItem, owner: str, standing_body: str, raw: dict, directory: AgencyDirectory,
               province: str, params: dict) -> dict[str, Any]:
    schedule: ResolvedSchedule = item.schedule
    common = {"title": f"{item.number}. {item.title}", "lead_agency": owner, "standing_body": standing_body}
    coordinating = [code for code in item.coordinating if code != owner]
    if item.process == CONTINUOUS_DUTY.key:
        return {**common, "coordinating_agencies": coordinating,
                "report_dates": [d.isoformat() for d in schedule.report_dates],
                "report_deadlines": [d.isoformat() for d in schedule.report_deadlines],
                "end_date": schedule.end.isoformat()}
    if item.process == PILOT_ROLLOUT.key:
        return {**common, "deadline": schedule.end.isoformat(),
                "pilot_agencies": resolve_agencies(raw["pilot"], directory, province, params),
                "rollout_agencies": resolve_agencies(raw["rollout"], directory, province, params)}
    return {**common, "deadline": schedule.end.isoformat(), "coordinating_agencies": coordinating}
