"""Turning a template and launch parameters into concrete items and process instances.

Everything is resolved here, before anything is written: parameters are
typed and defaulted, groups expand to agencies, schedules become instants in
Asia/Ho_Chi_Minh, and each item gets the start variables of its process.
"""
from __future__ import annotations

import calendar
import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

from engine.errors import Invalid
from engine.i18n import Message, t
from engine.model.agencies import AgencyDirectory
from engine.model.clock import LOCAL_TZ
from engine.model.schedules import end_of_day, report_cutoffs, submission_deadline
from engine.templates.schema import PLACEHOLDER


@dataclass(frozen=True)
class ResolvedSchedule:
    kind: str  # window | year | deadline | continuous
    text: str
    start: datetime
    end: datetime
    reporting: str | None = None
    report_dates: tuple[datetime, ...] = ()  # when each reporting period closes (its data cut-off)
    report_deadlines: tuple[datetime, ...] = ()  # … and when its report is due

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start.isoformat(), "end": self.end.isoformat(),
                "reporting": self.reporting, "report_dates": [d.isoformat() for d in self.report_dates],
                "report_deadlines": [d.isoformat() for d in self.report_deadlines]}


@dataclass
class PlannedItem:
    """One item of the plan to be: who, when, and the instances to start (one per performer)."""

    number: str
    title: str
    path: str
    text: str | None = None
    parent_number: str | None = None
    process: str | None = None
    lead: str | None = None
    performers: list[str] = field(default_factory=list)
    coordinating: list[str] = field(default_factory=list)
    schedule: ResolvedSchedule | None = None
    outputs: list[str] = field(default_factory=list)
    sub_plan: dict[str, Any] = field(default_factory=dict)
    note: str | None = None
    instances: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # (agency, start variables)


def needs_value(spec: dict[str, Any]) -> bool:
    """Whether a person launching from a form must give the parameter: it is required, or the template gives an
    example of it (the source document's own number, year, date or units), which stands for a value the plan needs
    but is never the new plan's by default."""
    return bool(spec.get("required")) or spec.get("default") not in (None, "", [])


def resolve_parameters(template: dict[str, Any], given: dict[str, Any], directory: AgencyDirectory,
                       examples: bool = True) -> dict[str, Any]:
    """Typed launch parameters; every problem named by parameter. With ``examples`` (the API's and the command
    line's launches) a parameter not given takes the template's default; without (a person's form) it never does:
    one the plan needs (``needs_value``) is asked for."""
    declared = template.get("parameters", {})
    errors: dict[str, list[str]] = {}
    for name in given:
        if name not in declared:
            errors[f"parameters.{name}"] = [f"this template has no parameter '{name}' "
                                            f"(it has: {', '.join(sorted(declared)) or 'none'})"]
    values: dict[str, Any] = {}
    for name, spec in declared.items():
        raw = given.get(name, spec.get("default") if examples else None)
        if raw is None or (not examples and raw in ("", [])):
            if spec.get("required") or (not examples and needs_value(spec)):
                errors[f"parameters.{name}"] = [t("%(label)s is required", label=spec.get("label") or name)]
            values[name] = [] if spec["type"] == "agencies" else None
            continue
        try:
            values[name] = _coerce(spec["type"], raw, directory, template["province"])
        except ValueError as error:
            errors[f"parameters.{name}"] = [error.args[0]]  # a message, put in the reader's language
    if errors:
        raise Invalid(t("the launch parameters are not valid: %(first)s", first=next(iter(errors.values()))[0]),
                      errors=errors)
    return values


def _coerce(kind: str, raw: Any, directory: AgencyDirectory, province: str) -> Any:
    if kind == "string":
        return str(raw)
    if kind == "integer":
        try:
            return int(raw)
        except (TypeError, ValueError):
            raise ValueError(t("'%(value)s' is not a whole number", value=str(raw))) from None
    if kind == "date":
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw)).isoformat()
        except ValueError:
            raise ValueError(t("'%(value)s' is not a date such as 2022-05-25", value=str(raw))) from None
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise ValueError(t("give a list of agency codes, e.g. [\"QNG-STTTT\"], not %(value)s",
                           value=json.dumps(raw, ensure_ascii=False)))
    codes = [code.strip() for code in raw if code.strip()]
    unknown = [code for code in codes if code not in directory]
    if unknown:
        said = {f"unknown{number}": directory.describe_unknown(code, province) for number, code in enumerate(unknown)}
        raise ValueError(Message("; ".join(f"%({name})s" for name in said), **said))  # each said in the reader's words
    return list(codes)


def fill(text: str, params: dict[str, Any]) -> str:
    """``"{year}-12-31"`` with the launch parameters put in."""
    return PLACEHOLDER.sub(lambda m: str(params.get(m.group(1), m.group(0))), text)


def resolve_agencies(refs: Any, directory: AgencyDirectory, province: str, params: dict[str, Any]) -> list[str]:
    """Codes for a list of references, groups expanded, each agency once, in order."""
    codes: list[str] = []
    for ref in refs if isinstance(refs, list) else [refs]:
        if "agency" in ref:
            found = [ref["agency"]]
        elif "param" in ref:
            found = params.get(ref["param"]) or []
        else:
            found = [code for group in ref["groups"]
                     for code in (params[group] if isinstance(params.get(group), list)
                                  else directory.members(group, province))]
        codes.extend(code for code in found if code not in codes)
    return codes


def resolve_schedule(schedule: dict[str, Any], params: dict[str, Any], launched_on: date,
                     path: str, submission: dict[str, Any] | None = None) -> ResolvedSchedule:
    """The schedule in instants; ``submission`` is the plan's rule for when a period's report is due."""
    try:
        return _resolve_schedule(schedule, params, launched_on, submission)
    except ValueError as error:
        raise Invalid(t("%(path)s: %(error)s", path=path, error=error.args[0]), errors={path: [error.args[0]]}) from None


def _resolve_schedule(schedule: dict[str, Any], params: dict[str, Any], launched_on: date,
                      submission: dict[str, Any] | None) -> ResolvedSchedule:
    text = fill(schedule["text"], params)
    start_of_launch = datetime.combine(launched_on, time(0, 0), LOCAL_TZ)
    if "window" in schedule:
        year, month = _year(fill(schedule["window"]["year"], params)), schedule["window"]["month"]
        first, last = date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
        return ResolvedSchedule("window", text, datetime.combine(first, time(0, 0), LOCAL_TZ), end_of_day(last))
    if "year" in schedule:
        year = _year(fill(schedule["year"], params))
        # "trong năm 2018" in a plan issued in March starts when the plan does.
        first = max(date(year, 1, 1), launched_on) if launched_on.year == year else date(year, 1, 1)
        return ResolvedSchedule("year", text, datetime.combine(first, time(0, 0), LOCAL_TZ),
                                end_of_day(date(year, 12, 31)))
    if "deadline" in schedule:
        deadline = _date(fill(schedule["deadline"], params))
        return ResolvedSchedule("deadline", text, start_of_launch, end_of_day(deadline))
    continuous = schedule["continuous"]
    since = _date(fill(continuous["since"], params)) if "since" in continuous else launched_on
    until = _date(fill(continuous["until"], params))
    if until < since:
        raise ValueError(t("the duty ends on %(until)s, before it starts on %(since)s", until=until.isoformat(),
                           since=since.isoformat()))
    reporting = schedule.get("reporting")
    cutoffs = tuple(report_cutoffs(since, until, reporting)) if reporting else ()
    return ResolvedSchedule("continuous", text, datetime.combine(since, time(0, 0), LOCAL_TZ), end_of_day(until),
                            reporting, cutoffs, tuple(submission_deadline(cutoff, submission) for cutoff in cutoffs))


def _year(text: str) -> int:
    if not text.isdigit() or not 1900 < int(text) < 2200:
        raise ValueError(t("'%(value)s' is not a year (from 1901 to 2199)", value=text))
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(t("'%(value)s' is not a date such as 2022-12-31", value=text)) from None


def plan_day(template: dict[str, Any], params: dict[str, Any] | None = None,
             fallback: date | None = None) -> date | None:
    """The day a plan's agencies are read as of: its date of issue (the launch's ``issued_on``, else the
    template's default), else ``fallback`` (the launch's or the check's day); None for a template whose date
    is given at each launch and not yet given. A plan of 2022 names the bodies of 2022, whenever it is
    launched."""
    issued = (params or {}).get("issued_on")
    declared = template.get("parameters", {}).get("issued_on")
    if issued is None and declared is not None and declared.get("default") is None:
        return None  # given at each launch: any day the province had, checked again when launched
    if issued is None:
        issued = (declared or {}).get("default")
    if isinstance(issued, date):
        return issued
    if isinstance(issued, str):
        try:
            return date.fromisoformat(issued)
        except ValueError:
            pass
    return fallback


def plan_directory(template: dict[str, Any], directory: AgencyDirectory, day: date | None) -> AgencyDirectory:
    """The bodies a plan may name: of its province (and the national ones) unless it spans provinces, as of its
    day."""
    dated = directory.as_of(day)
    return dated if template.get("cross_province") else dated.of_province(template["province"])


def province_problem(directory: AgencyDirectory, province: str, day: date | None) -> str | None:
    """Why a plan cannot be of ``province`` on ``day``: no such province, or it had been merged away."""
    known = directory.provinces.get(province)
    if known is None:
        if directory.provinces or not any(a.province == province for a in directory.agencies.values()):
            return t("province '%(province)s' is not in the directory", province=province)
        return None
    if not known.exists_on(day):
        return t("%(name)s (%(code)s) was merged into %(successor)s on 1 July 2025; a plan of %(day)s is a plan "
                 "of %(successor)s", name=known.name, code=province, successor=known.successor,
                 day=day.isoformat())
    if not any(a.province == province and a.exists_on(day) for a in directory.agencies.values()):
        return t("no agency of province '%(province)s' is in the agency directory", province=province)
    return None

