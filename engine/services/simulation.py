"""Previewing a plan's year: the clock moved forward day by day on a copy of the database.

A coordinator sees, before it happens, which items will fall due, become
overdue and be escalated, agency by agency, week by week. The copy is a
temporary SQLite file: nothing real changes and no mail leaves (notices are
queued in the copy and thrown away with it). Each day runs what the worker
runs: the due timers, then the deadline round.
"""
from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from engine.errors import Invalid
from engine.i18n import t
from engine.model.clock import LOCAL_TZ, FixedClock
from engine.runtime.plans import plan_view
from engine.services.processes import fire_due_timers
from engine.services.reminders import send_reminders
from engine.store.uow import UnitOfWork

_NOTICES = ("reminder.before", "reminder.due_today", "reminder.overdue")


@dataclass
class SimulatedWeek:
    start: date
    reminders: dict[str, int] = field(default_factory=dict)  # agency -> reminders sent ahead of a deadline
    fell_due: dict[str, list[str]] = field(default_factory=dict)  # agency -> item numbers due that day
    became_overdue: dict[str, list[str]] = field(default_factory=dict)  # agency -> item numbers
    escalated: dict[str, list[str]] = field(default_factory=dict)  # agency -> item numbers escalated


@dataclass
class Simulation:
    plan_id: int
    symbol: str
    start: datetime
    until: date
    weeks: list[SimulatedWeek] = field(default_factory=list)
    overdue_by_month: dict[str, list[tuple[str, str | None]]] = field(default_factory=dict)  # "2022-08" -> items


def simulate(database, plan_id: int, start: datetime, until: date, step: timedelta = timedelta(days=1)) -> Simulation:
    """Run the worker's days from ``start`` to ``until`` on a copy of ``database`` and say what happened."""
    if step < timedelta(hours=1) or step > timedelta(days=31):
        raise Invalid(t("simulate in steps of an hour to a month"), errors={"step": ["1h to 31d"]})
    if until <= start.astimezone(LOCAL_TZ).date():
        raise Invalid(t("simulate until a day after the start (%(start)s)", start=start.date().isoformat()),
                      errors={"until": [t("after the start")]})
    with tempfile.TemporaryDirectory(prefix="planflow-simulation-") as folder:
        copy = database.copy_to(Path(folder) / "simulation.sqlite3")
        try:
            return _run(UnitOfWork(copy.sessions), plan_id, start, until, step)
        finally:
            copy.dispose()


def _run(uow: UnitOfWork, plan_id: int, start: datetime, until: date, step: timedelta) -> Simulation:
    with uow:
        plan = uow.plans.get(plan_id)
        simulation = Simulation(plan.id, plan.symbol, start, until)
        seen = uow.audit.last_id()
        numbers = uow.plans.item_numbers_by_instance(plan_id)
        overdue_before = _overdue(uow, plan, start)
    clock = FixedClock(start)
    week: SimulatedWeek | None = None
    while clock.now().astimezone(LOCAL_TZ).date() <= until:
        today = clock.now().astimezone(LOCAL_TZ).date()
        if week is None or today >= week.start + timedelta(days=7):
            week = SimulatedWeek(today - timedelta(days=today.weekday()))
            simulation.weeks.append(week)
        for _ in range(20):  # what fell due since yesterday, hundreds of instances at a time
            if fire_due_timers(uow, clock, limit=500)["advanced"] < 500:
                break
        send_reminders(uow, clock)
        with uow:
            plan = uow.plans.get(plan_id)
            events = uow.audit.since(seen, _NOTICES)
            if any(event.instance_id not in numbers for event in events):  # an instance started since: look again
                numbers = uow.plans.item_numbers_by_instance(plan_id)
            for event in events:
                seen = event.id
                if event.instance_id not in numbers:  # another plan's
                    continue
                agency = event.data.get("agency") or "?"
                if event.action == "reminder.overdue":
                    _add(week.escalated, agency, numbers.get(event.instance_id))
                elif event.action == "reminder.due_today":
                    _add(week.fell_due, agency, numbers.get(event.instance_id))
                else:
                    week.reminders[agency] = week.reminders.get(agency, 0) + 1
            tomorrow = (clock.now() + step).astimezone(LOCAL_TZ).date()
            month_ends = tomorrow.month != today.month or tomorrow > until
            if month_ends or tomorrow >= week.start + timedelta(days=7):  # the plan's view is read at week and month ends only
                overdue = _overdue(uow, plan, clock.now())
                for number, agency in sorted(overdue - overdue_before):
                    _add(week.became_overdue, agency or "?", number)
                overdue_before = overdue
                if month_ends:
                    simulation.overdue_by_month[today.strftime("%Y-%m")] = sorted(overdue)
        clock.set(clock.now() + step)
    return simulation


def _overdue(uow: UnitOfWork, plan, now: datetime) -> set[tuple[str, str | None]]:
    view = plan_view(uow, plan, now)
    return {(item.number, item.lead or (item.performers[0] if len(item.performers) == 1 else None))
            for item in view.items if item.status == "overdue"}


def _add(into: dict[str, list[str]], agency: str, number: str | None) -> None:
    if number is not None and number not in into.setdefault(agency, []):
        into[agency].append(number)
