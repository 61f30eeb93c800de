"""An agency's own implementing plan (a sub-plan) drafted from its parent: the parent's items in which the
agency takes part, each now led by the agency, with the agency as issuer."""
from __future__ import annotations

from typing import Any

from engine.errors import Invalid
from engine.i18n import t
from engine.model import process_kinds
from engine.model.agencies import AgencyDirectory
from engine.templates.resolve import resolve_agencies

#: What an item of the parent carries that an agency's own item does not: who else does it, and how.
_PARENTS_OWN = ("lead", "performers", "coordinating", "pilot", "rollout", "sub_plan", "items")


def sub_plan_template(source: dict[str, Any], agency: str, *, symbol: str, province: str, standing_body: str,
                      parameters: dict[str, Any], directory: AgencyDirectory) -> dict[str, Any]:
    """The template data of ``agency``'s implementing plan of the plan launched from ``source`` as ``symbol``
    with ``parameters`` (whose year, dates … become the sub-plan's defaults)."""
    def takes_part(raw: dict) -> bool:
        refs = [raw["lead"]] if "lead" in raw else []
        refs += list(raw.get("performers", [])) + list(raw.get("coordinating", []))
        return not raw.get("sub_plan") and agency in resolve_agencies(refs, directory, province, parameters)

    items = [_own_item(raw, agency) for raw in _leaves(source["items"]) if takes_part(raw)]
    if not items:
        raise Invalid(t("agency '%(agency)s' takes part in no item of plan %(symbol)s", agency=agency, symbol=symbol))
    data = {**{k: source[k] for k in ("document_type", "province", "implements", "purposes", "requirements",
                                      "reporting", "notes") if k in source},
            "key": f"{source['key']}--{agency.lower()}"[:100], "name": f"Kế hoạch triển khai {symbol} của {agency}",
            "issuer": {"agency": agency}, "symbol": "{number}/KH", "standing_body": standing_body,
            "parameters": {**source.get("parameters", {}), "number": {"type": "string", "required": True,
                                                                       "label": "Số kế hoạch"}},
            "items": items}
    for name, value in parameters.items():  # the parent's year, dates … are the sub-plan's too
        if name in data["parameters"] and name != "number" and data["parameters"][name]["type"] != "agencies":
            data["parameters"][name] = {**data["parameters"][name], "default": value}
    return data


def _leaves(items: list[dict]) -> list[dict]:
    """The items that run a process, at any depth (headings left out)."""
    return [leaf for item in items for leaf in ([item] if item.get("process") else _leaves(item.get("items", [])))]


def _own_item(raw: dict, agency: str) -> dict:
    own = {key: value for key, value in raw.items() if key not in _PARENTS_OWN}
    if "process" in own:
        own["process"] = process_kinds.own_part(own["process"])
    return {**own, "lead": {"agency": agency}}
