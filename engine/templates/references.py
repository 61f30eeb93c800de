"""Checking that what a template names exists: agencies, groups, parameters, processes.

Each problem is reported at its field path (``items[3].lead``) with a
message in the coordinator's words, e.g. "agency 'QNG-CAT' is not in the
agency directory; did you mean 'QNG-CA' (Công an tỉnh Quảng Ngãi)?".
"""
from __future__ import annotations

from datetime import date
from typing import Any, Iterator

from engine.i18n import t
from engine.model.agencies import AgencyDirectory
from engine.model.process_kinds import PILOT_ROLLOUT, ROLE_AGENCIES, STANDARD
from engine.templates.resolve import plan_day, plan_directory, province_problem
from engine.templates.schema import PLACEHOLDER


def check_references(template: dict[str, Any], directory: AgencyDirectory, processes: set[str],
                     template_keys: set[str] | None = None, on: date | None = None) -> dict[str, list[str]]:
    """Every broken reference of a structurally valid template, by field path: the agencies are those of its
    province (unless it spans provinces) that existed on its date of issue (else on ``on``)."""
    errors: dict[str, list[str]] = {}
    province = template["province"]
    params = template.get("parameters", {})

    def add(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    day = plan_day(template, None, on)
    problem = province_problem(directory, province, day)
    if problem:
        add("province", problem)
    directory = plan_directory(template, directory, day)
    for path in ("issuer", "on_behalf_of"):
        if path in template:
            _check_refs(path, [template[path]], directory, province, params, add)
    for path, code in (("standing_body", template["standing_body"]),
                       ("reporting.to", template.get("reporting", {}).get("to"))):
        if code is not None and code not in directory:
            add(path, directory.describe_unknown(code, province))
    for name, parameter in params.items():
        if parameter.get("required") and parameter.get("default") is not None:
            add(f"parameters.{name}", t("a required parameter has no default; drop one of the two"))
        problem = _default_problem(parameter)
        if problem:
            add(f"parameters.{name}.default", problem)
    _check_placeholders("symbol", template["symbol"], params, add)
    for path, item in _items(template["items"], "items"):
        _check_item(path, item, directory, province, params, processes, template_keys, add)
    return errors


def _items(items: list[dict], path: str) -> Iterator[tuple[str, dict]]:
    for index, item in enumerate(items):
        here = f"{path}[{index}]"
        yield here, item
        yield from _items(item.get("items", []), f"{here}.items")


def _check_item(path, item, directory, province, params, processes, template_keys, add) -> None:
    for role in ("lead", "performers", "coordinating", "pilot", "rollout"):
        if role in item:
            refs = item[role] if isinstance(item[role], list) else [item[role]]
            _check_refs(f"{path}.{role}", refs, directory, province, params, add)
    process = item.get("process")
    if process is None:
        return
    if process not in processes:
        known = ", ".join(sorted(processes)) or t("none deployed")
        add(f"{path}.process", t("process '%(process)s' is not deployed (known: %(known)s)", process=process,
                                 known=known))
        return
    rules = STANDARD.get(process)
    schedule = item.get("schedule", {})
    kind = next((k for k in ("window", "year", "deadline", "continuous") if k in schedule), None)
    if kind and rules is not None and kind not in rules.schedules:
        allowed = " or ".join(sorted(rules.schedules))
        add(f"{path}.schedule", t("process '%(process)s' runs items with a %(allowed)s schedule, not '%(kind)s'",
                                  process=process, allowed=allowed, kind=kind))
    needs = rules.needs if rules is not None else ()
    for needed in needs:
        if needed not in item:
            add(f"{path}.{needed}", t("process '%(process)s' needs the %(needed)s agencies", process=process,
                                      needed=needed))
    for role in ROLE_AGENCIES:
        if role in item and role not in needs:
            add(f"{path}.{role}", t("%(role)s agencies belong to a %(kind)s item, not '%(process)s'", role=role,
                                    kind=PILOT_ROLLOUT.key, process=process))
    for key, value in _date_texts(schedule):
        _check_placeholders(f"{path}.schedule.{key}", value, params, add)
        if not PLACEHOLDER.search(value):
            problem = _literal_problem(key, value)
            if problem:
                add(f"{path}.schedule.{key}", problem)
    sub_plan = item.get("sub_plan", {})
    if sub_plan.get("template") and template_keys is not None and sub_plan["template"] not in template_keys:
        add(f"{path}.sub_plan.template", t("template '%(key)s' is not registered", key=sub_plan["template"]))


def _check_refs(path, refs, directory, province, params, add) -> None:
    known_groups = directory.group_names()
    for ref in refs:
        if "agency" in ref and ref["agency"] not in directory:
            add(path, directory.describe_unknown(ref["agency"], province))
        for group in ref.get("groups", ()):
            if group not in known_groups and params.get(group, {}).get("type") != "agencies":
                add(path, t("group '%(group)s' is neither a group of the agency directory (%(groups)s) nor a "
                            "parameter of type agencies", group=group, groups=", ".join(sorted(known_groups))))
        if "param" in ref and params.get(ref["param"], {}).get("type") != "agencies":
            add(path, t("parameter '%(name)s' is not declared with type agencies", name=ref["param"]))


def _date_texts(schedule: dict) -> Iterator[tuple[str, str]]:
    for key, value in schedule.items():
        if isinstance(value, dict):
            for inner, text in value.items():
                if isinstance(text, str):
                    yield f"{key}.{inner}", text
        elif isinstance(value, str) and key not in ("text", "reporting"):
            yield key, value


def _check_placeholders(path: str, text: str, params: dict, add) -> None:
    for name in PLACEHOLDER.findall(text):
        if name not in params:
            add(path, t("'{%(name)s}' is not a parameter of this template", name=name))


def _default_problem(parameter: dict) -> str | None:
    default, kind = parameter.get("default"), parameter["type"]
    if default is None:
        return None
    if kind == "integer" and not (isinstance(default, int) and not isinstance(default, bool)):
        return t("'%(value)s' is not a whole number", value=default)
    if kind == "date":
        return _literal_problem("date", str(default))
    if kind == "agencies" and not isinstance(default, list):
        return t("give a list of agency codes")
    return None


def _literal_problem(key: str, value: str) -> str | None:
    """A date or year written without parameters must be one already."""
    if key.endswith("year"):
        return None if value.isdigit() and 1900 < int(value) < 2200 else t("'%(value)s' is not a year", value=value)
    try:
        date.fromisoformat(value)
    except ValueError:
        return t("'%(value)s' is not a date such as 2022-09-30", value=value)
    return None

