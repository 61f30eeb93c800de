"""A template as a form gives it: the header's fields and each item's, as text, and back.

A coordinator reviews a template drafted from a plan document in a form, not in YAML: ``form_of`` gives
the form's values of a template, ``template_of`` the template with the values a form sent (checked after as
any template is), and ``field_of`` the field of the form a problem of the template stands at. The values are
text and lists of text, as a form sends them. An item is known by where it stands in the template
(``items[1].items[0]``, as the template's problems name it), which the form does not change.

An agency is written as its code; a group of agencies as ``groups:departments,districts``; a launch
parameter as ``param:relevant_units``; several performers as ``each:`` and their values joined by ``|``.
Anything else (a name the document gives that is not in the directory) stays as it was written, for the
check to refuse at its field.
"""
from __future__ import annotations

import copy
import re
from typing import Any, Iterator

import yaml

from engine.model import process_kinds

#: The kinds of time an item has (the schedule's keys), in the order a form offers them.
WHEN = ("deadline", "window", "year", "continuous")
#: The groups of agencies a plan names as a whole ("các sở, ban, ngành", "UBND các huyện" …).
GROUPS = ("departments", "districts", "communes", "mass_organisations")
ITEM_PATH = re.compile(r"^(items\[\d+\](?:\.items\[\d+\])*)(?:\.([a-z_]+))?")
#: Fields of an item a problem may stand at, by the template's key (performers are chosen where the lead is).
ITEM_FIELDS = {"number": "number", "title": "title", "lead": "lead", "performers": "lead",
               "coordinating": "coordinating", "schedule": "schedule", "outputs": "outputs"}
#: The processes drafting chooses by the item's time: another time chooses again (others are kept).
BY_SCHEDULE = (process_kinds.PLAN_ITEM.key, process_kinds.CONTINUOUS_DUTY.key)
HEADER_FIELDS = {"name": "name", "issuer": "issuer", "standing_body": "standing_body", "symbol": "symbol",
                 "parameters.number": "number", "parameters.issued_on": "issued_on",
                 "reporting.to": "standing_body"}


def item_paths(items: list[dict], path: str = "items", depth: int = 0) -> Iterator[tuple[str, dict, int]]:
    """Each item of a template with its path and depth, in the order the document gives them."""
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        yield here, item, depth
        yield from item_paths(item.get("items") or [], f"{here}.items", depth + 1)


def form_of(template: dict[str, Any]) -> dict[str, Any]:
    """The form's values of a template: its header, and each item's by its path."""
    parameters = template.get("parameters") or {}
    return {"name": template.get("name") or "", "issuer": ref_value(template.get("issuer")),
            "standing_body": template.get("standing_body") or "",
            "number": _text((parameters.get("number") or {}).get("default")),
            "issued_on": _text((parameters.get("issued_on") or {}).get("default")),
            "symbol": template.get("symbol") or "",
            "items": {path: _item_form(item) for path, item, _ in item_paths(template.get("items") or [])}}


def _item_form(item: dict[str, Any]) -> dict[str, Any]:
    form: dict[str, Any] = {"number": _text(item.get("number")), "title": item.get("title") or ""}
    if item.get("items"):
        return form  # a heading: its sub-items say who does what, and when
    form["lead"] = ref_value(item["lead"]) if "lead" in item else _performers_value(item.get("performers"))
    form["coordinating"] = [ref_value(ref) for ref in _one_by_one(item.get("coordinating"))]
    schedule = item.get("schedule") or {}
    window, continuous = schedule.get("window") or {}, schedule.get("continuous") or {}
    form.update(when=next((kind for kind in WHEN if kind in schedule), ""), words=schedule.get("text") or "",
                deadline=_text(schedule.get("deadline")), month=_text(window.get("month")),
                year=_text(window.get("year") or schedule.get("year")), until=_text(continuous.get("until")))
    form["outputs"] = [str(output) for output in item.get("outputs") or []]
    return form


def template_of(template: dict[str, Any], form: dict[str, Any]) -> dict[str, Any]:
    """The template with the form's values in it; what the form does not hold is kept as it was."""
    made = copy.deepcopy(template)
    made["name"] = form.get("name", "")
    made["issuer"] = form.get("issuer", "")
    if (made.get("reporting") or {}).get("to") == made.get("standing_body"):
        made["reporting"]["to"] = form.get("standing_body", "")
    made["standing_body"] = form.get("standing_body", "")
    made["symbol"] = form.get("symbol", "")
    parameters = made.setdefault("parameters", {})
    for name, label, kind in (("number", "Số kế hoạch", "string"), ("issued_on", "Ngày ban hành", "date")):
        if form.get(name) or name in parameters:
            parameters.setdefault(name, {"type": kind, "label": label})["default"] = form.get(name) or None
    items = form.get("items") or {}
    for path, item, _ in item_paths(made.get("items") or []):
        if path in items:
            _apply(item, items[path])
    return made


def _apply(item: dict[str, Any], form: dict[str, Any]) -> None:
    item["number"], item["title"] = form.get("number", ""), form.get("title", "")
    if item.get("items"):
        return
    old = item.get("schedule")
    for key in ("lead", "performers", "coordinating", "schedule", "outputs"):
        item.pop(key, None)
    chosen = form.get("lead") or ""
    if chosen.startswith(("groups:", "param:", "each:")):
        item["performers"] = _performers(chosen)
    elif chosen:
        item["lead"] = chosen
    coordinating = [parse_ref(value) for value in form.get("coordinating") or [] if value]
    if coordinating:
        groups = [group for ref in coordinating if isinstance(ref, dict) for group in ref.get("groups", ())]
        alone = len(groups) == len(coordinating)
        item["coordinating"] = {"groups": groups} if alone else coordinating
    schedule = _schedule(form, old or {})
    if schedule is not None:
        item["schedule"] = schedule
    if item.get("process") in (None, *BY_SCHEDULE):
        item["process"] = process_kinds.for_schedule(schedule).key
    outputs = [line.strip() for line in form.get("outputs") or [] if line.strip()]
    if outputs:
        item["outputs"] = outputs


def _schedule(form: dict[str, Any], old: dict[str, Any]) -> dict[str, Any] | None:
    """The item's time as the form gives it; a continuous duty keeps its start and reporting as they were."""
    kind, words = form.get("when") or "", form.get("words") or ""
    if kind == "deadline":
        return {"text": words, "deadline": form.get("deadline", "")}
    if kind == "window":
        month = form.get("month", "")
        return {"text": words, "window": {"month": int(month) if month.isdigit() else month,
                                          "year": form.get("year", "")}}
    if kind == "year":
        return {"text": words, "year": form.get("year", "")}
    if kind == "continuous":
        kept = {"reporting": old["reporting"]} if "reporting" in old else {}
        return {"text": words, "continuous": {**(old.get("continuous") or {}), "until": form.get("until", "")},
                **kept}
    return None


def ref_value(ref: Any) -> str:
    """An agency reference of a template as a form's value."""
    if isinstance(ref, dict) and "group" in ref:
        return f"groups:{ref['group']}"
    if isinstance(ref, dict) and "groups" in ref:
        return "groups:" + ",".join(str(group) for group in ref["groups"])
    if isinstance(ref, dict) and "param" in ref:
        return f"param:{ref['param']}"
    return "" if ref is None else str(ref)


def parse_ref(value: str) -> Any:
    """A form's value as an agency reference of a template."""
    if value.startswith("groups:"):
        return {"groups": [group for group in value.removeprefix("groups:").split(",") if group]}
    if value.startswith("param:"):
        return {"param": value.removeprefix("param:")}
    return value


def _performers_value(performers: Any) -> str:
    if performers is None:
        return ""
    if not isinstance(performers, list):
        return ref_value(performers)
    if len(performers) == 1:
        return ref_value(performers[0])
    return "each:" + "|".join(ref_value(ref) for ref in performers)


def _performers(value: str) -> Any:
    if value.startswith("each:"):
        return [parse_ref(part) for part in value.removeprefix("each:").split("|") if part]
    ref = parse_ref(value)
    return [ref] if "param" in ref else ref


def _one_by_one(refs: Any) -> list:
    """The references of a list, several groups as one reference each (a form ticks them one by one)."""
    flat: list = []
    for ref in refs if isinstance(refs, list) else [] if refs is None else [refs]:
        if isinstance(ref, dict) and "groups" in ref:
            flat.extend({"group": group} for group in ref["groups"])
        else:
            flat.append(ref)
    return flat


def field_of(path: str) -> str:
    """The field of the form a problem of the template at ``path`` stands at: a header field (``issuer``), an
    item's (``items[2].lead``), an item as a whole (``items[2]``), or the form as a whole (``""``)."""
    found = ITEM_PATH.match(path)
    if found:
        field = ITEM_FIELDS.get(found.group(2) or "")
        return f"{found.group(1)}.{field}" if field else found.group(1)
    for prefix, field in HEADER_FIELDS.items():
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            return field
    return ""


def template_text(template: dict[str, Any]) -> str:
    """A template as the YAML file it is registered from."""
    return yaml.safe_dump(template, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def _text(value: Any) -> str:
    return "" if value is None else str(value)
