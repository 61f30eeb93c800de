"""The dashboard's numbers: per plan and per agency, done on time / done late / in progress / late in reporting /
overdue, the overdue work first, and completion week by week.

Each agency's run of an item (the lead's, or each performer's own) is one
unit of work, counted in the layout of Vietnamese task tracking. The numbers
come from a narrow query of the item and instance columns they need; no
workflow state is loaded.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import forms
from engine.model import policy
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.progress import COUNTED_AS, OPEN_ORDER, Run, deadline_status, item_status
from engine.model.tasks import CONTRIBUTION, step_kind
from engine.runtime.plans import Duty, late_in_reporting, visible_plan
from engine.store.uow import UnitOfWork

COUNTS = ("done_on_time", "done_late", "in_progress", "report_late", "overdue")
MAX_WEEKS = 160  # about three years of weekly points


@dataclass
class Counts:
    done_on_time: int = 0
    done_late: int = 0
    in_progress: int = 0
    report_late: int = 0  # chậm báo cáo: a periodic report past its due date, or the last one sent late
    overdue: int = 0
    due_soon: int = 0  # of in_progress: due within 3 working days
    not_yet_due: int = 0  # of in_progress: its time has not begun

    def add(self, status: str) -> None:
        counted = COUNTED_AS.get(status, "in_progress")
        setattr(self, counted, getattr(self, counted) + 1)
        if status in ("due_soon", "not_yet_due"):
            setattr(self, status, getattr(self, status) + 1)

    @property
    def total(self) -> int:
        return sum(getattr(self, name) for name in COUNTS)


@dataclass
class AgencyCounts:
    agency: str
    name: str
    counts: Counts = field(default_factory=Counts)


@dataclass
class OverdueWork:
    plan_id: int
    plan_symbol: str
    item_number: str
    item_title: str
    agency: str | None
    agency_name: str | None
    due_at: datetime
    days_overdue: int


@dataclass
class Week:
    start: date
    completed: int  # runs completed by the end of the week, in all
    completed_on_time: int
    total: int  # runs of the plan by then


@dataclass
class PlanDashboard:
    plan_id: int
    plan_symbol: str
    plan_title: str
    as_of: datetime
    counts: Counts
    by_agency: list[AgencyCounts]
    overdue: list[OverdueWork]
    weeks: list[Week]
    #: Each agency's status on each item it works (the agencies × items matrix): (agency, item number) -> status;
    #: an agency that only coordinates on an item, the status of its contributions (``contribution_status``).
    cells: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def matrix_agencies(self) -> list[str]:
        """The matrix's rows: the agencies that carry work, most overdue first, then those that only coordinate."""
        carrying = [entry.agency for entry in self.by_agency]
        return carrying + sorted({agency for agency, _ in self.cells} - set(carrying))


@dataclass
class ProvinceDashboard:
    province: str | None
    as_of: datetime
    counts: Counts
    plans: list[dict]  # {"plan_id", "symbol", "title", "counts"}
    by_agency: list[AgencyCounts]
    overdue: list[OverdueWork]


def plan_dashboard(uow: UnitOfWork, clock, actor: Actor, plan_id: int) -> PlanDashboard:
    now = clock.now()
    with uow:
        plan = visible_plan(uow, actor, plan_id)
        names = uow.agencies.names([plan.province])
        units = _units(uow, [plan.id], now)
        counts, by_agency, overdue = _tally(units, names, now)
        cells = _contribution_cells(uow, units, now)
        cells.update({(unit.agency, unit.item_number): unit.status for unit in units if unit.agency})
        return PlanDashboard(plan.id, plan.symbol, plan.title, now, counts, by_agency, overdue,
                             _weeks(units, plan.launched_at, now), cells)


def province_dashboard(uow: UnitOfWork, clock, actor: Actor, limit_overdue: int = 100) -> ProvinceDashboard:
    """Every plan the caller sees (their province's; all for auditors and admins), top-level plans and
    sub-plans alike, each with its counts; the agencies across them; the overdue work, longest overdue first."""
    now = clock.now()
    scope = policy.scope(actor)
    with uow:
        names = uow.agencies.names(scope)
        plans = uow.plans.summaries(scope)
        units = _units(uow, [plan.id for plan in plans], now)
        counts, by_agency, overdue = _tally(units, names, now)
        of_plan = {plan.id: Counts() for plan in plans}
        for unit in units:
            of_plan[unit.plan_id].add(unit.status)
        per_plan = [{"plan_id": plan.id, "symbol": plan.symbol, "title": plan.title, "counts": of_plan[plan.id]}
                    for plan in plans]
        per_plan.sort(key=lambda entry: (-entry["counts"].overdue, -entry["plan_id"]))
        province = None if scope is None else actor.province
        return ProvinceDashboard(province, now, counts, per_plan, by_agency, overdue[:limit_overdue])


def _contribution_cells(uow: UnitOfWork, units: list[_Unit], now: datetime) -> dict[tuple[str, str], str]:
    """(agency, item number) -> where the agency's contributions to the item stand (``contribution_status``); for
    a duty reporting periodically, "report_late" while the agency's contributions to its reports are late, and
    its cell all the same before its first contribution is asked."""
    numbers = {unit.instance_id: unit.item_number for unit in units}
    found: dict[tuple[str, str], list[str]] = {}
    for row in uow.tasks.deadlines_of(list(numbers)):
        if row.assigned_agency and step_kind(forms.kind_of(row.form_key), row.lane) == CONTRIBUTION:
            found.setdefault((row.assigned_agency, numbers[row.instance_id]), []).append(
                deadline_status(row.due_at, row.status, row.completed_at, now))
    cells = {key: contribution_status(statuses) for key, statuses in found.items()}
    for unit in units:
        for agency in unit.contributors:
            if (unit.instance_id, agency) in unit.late:
                cells[(agency, unit.item_number)] = "report_late"
            elif unit.completed_at is None:
                cells.setdefault((agency, unit.item_number), "in_progress")
    return cells


def contribution_status(statuses: list[str]) -> str:
    """Where an agency's contributions to an item stand, from each one's deadline status in the order asked: the
    gravest of those still open, else the last one's."""
    open_ones = [status for status in statuses if status in OPEN_ORDER or status == "no_deadline"]
    return next((status for status in OPEN_ORDER + ("no_deadline",) if status in open_ones), statuses[-1])


@dataclass
class _Unit:
    instance_id: int
    plan_id: int
    plan_symbol: str
    item_number: str
    item_title: str
    agency: str | None
    end: datetime | None
    completed_at: datetime | None
    status: str
    #: Who contributes to each period's report of a duty reporting periodically, and who of the run is late in it.
    contributors: tuple[str, ...] = ()
    late: frozenset[tuple[int, str | None]] = frozenset()


def _units(uow: UnitOfWork, plan_ids: list[int], now: datetime) -> list[_Unit]:
    rows = uow.plans.runs_of_plans(plan_ids)
    extended = uow.extensions.granted_until([row.instance_id for row in rows])
    late = late_in_reporting(uow, [Duty(row.instance_id, row.schedule, row.agency, tuple(row.coordinating or ()))
                                   for row in rows if row.completed_at is None], now)
    late_of: dict[int, set] = {}
    for key in late:
        late_of.setdefault(key[0], set()).add(key)
    units = []
    for row in rows:
        schedule = row.schedule or {}
        end = datetime.fromisoformat(schedule["end"]) if schedule.get("end") else None
        start = datetime.fromisoformat(schedule["start"]) if schedule.get("start") else None
        own_end = max(end, extended[row.instance_id]) if end and row.instance_id in extended else end
        done = row.completed_at  # however close to ``now``: another process's clock may run a moment ahead
        status = item_status([Run(row.agency, done, own_end, (row.instance_id, row.agency) in late)], end, now,
                             start)
        periodic = bool(schedule.get("report_deadlines"))
        units.append(_Unit(row.instance_id, row.plan_id, row.symbol, row.number, row.title, row.agency, own_end,
                           done, status,
                           tuple(code for code in row.coordinating or () if code != row.agency) if periodic else (),
                           frozenset(late_of.get(row.instance_id, ()))))
    return units


def _tally(units: list[_Unit], names: dict[str, str], now: datetime):
    counts, agencies, overdue = Counts(), {}, []
    for unit in units:
        counts.add(unit.status)
        key = unit.agency or "?"
        agencies.setdefault(key, AgencyCounts(key, names.get(key, key))).counts.add(unit.status)
        if unit.status == "overdue":
            days = (now.astimezone(LOCAL_TZ).date() - unit.end.astimezone(LOCAL_TZ).date()).days
            overdue.append(OverdueWork(unit.plan_id, unit.plan_symbol, unit.item_number, unit.item_title,
                                       unit.agency, names.get(unit.agency) if unit.agency else None, unit.end, days))
    by_agency = sorted(agencies.values(), key=lambda a: (-a.counts.overdue, -a.counts.total, a.agency))
    overdue.sort(key=lambda work: (-work.days_overdue, work.plan_id, work.item_number))
    return counts, by_agency, overdue


def _weeks(units: list[_Unit], launched_at: datetime, now: datetime) -> list[Week]:
    """Completion at the end of each week (Monday to Sunday, Vietnam's days) from the launch week to now."""
    first = launched_at.astimezone(LOCAL_TZ).date()
    first -= timedelta(days=first.weekday())
    today = now.astimezone(LOCAL_TZ).date()
    starts = []
    day = first
    while day <= today:
        starts.append(day)
        day += timedelta(days=7)
    starts = starts[-MAX_WEEKS:]
    done = sorted((u.completed_at.astimezone(LOCAL_TZ).date(), u.end is None or u.completed_at <= u.end)
                  for u in units if u.completed_at)
    weeks, index, completed, on_time = [], 0, 0, 0
    for start in starts:
        end = start + timedelta(days=6)
        while index < len(done) and done[index][0] <= end:
            completed += 1
            on_time += done[index][1]
            index += 1
        weeks.append(Week(start, completed, on_time, len(units)))
    return weeks
