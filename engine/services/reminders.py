"""The worker's deadline round: reminders before a deadline, on the day, the escalation of overdue work, and
the notice of a reporting period whose due date passed with reports missing (``gate_missed``).

Each notice is sent in a transaction of its own that first records it
(``ReminderRow``, unique per task and kind): a second worker doing the same
round at the same moment finds the row taken and sends nothing, so nobody is
reminded twice. Every notice is in the audit log with whom it told.
"""
from __future__ import annotations

from datetime import timedelta

from engine.errors import Duplicate
from engine.i18n import Message, message_to_json, t, word
from engine.model.actors import SYSTEM
from engine.model.clock import LOCAL_TZ
from engine.model.deadlines import (
    REMIND_WORKING_DAYS,
    day_text,
    reminder_due,
    working_days_left,
)
from engine.runtime.notices import agency_name, notify, recipients_of_task
from engine.runtime.views import item_context
from engine.services.reporting_gates import MissedGate, missed_gates
from engine.store.notices.tables import ReminderRow
from engine.store.processes.tables import TaskRow
from engine.store.uow import UnitOfWork

#: How far ahead open tasks are looked at: enough for the reminder's working days across any holiday.
_HORIZON = timedelta(days=3 * REMIND_WORKING_DAYS + 21)
#: How many agencies an escalation of many names before "…".
MAX_NAMED = 8


def send_reminders(uow: UnitOfWork, clock, limit: int = 1000) -> dict[str, int]:
    """Send every reminder, due-day notice, overdue escalation and missed-gate notice due now; returns how many
    of each (``gate_missed``: the agencies told their period's report is missing)."""
    now = clock.now()
    counts = {"before": 0, "due_today": 0, "overdue": 0, "gate_missed": 0}
    with uow:
        tasks = [(task.id, task.due_at) for task in uow.reminders.open_tasks_due_by(now + _HORIZON, limit)]
        sent = uow.reminders.kinds_sent([task_id for task_id, _ in tasks])
    for task_id, due_at in tasks:
        kind = reminder_due(due_at, now)
        if kind is not None and kind not in sent.get(task_id, set()):
            counts[kind] += _remind(uow, clock, task_id, kind)
    counts["gate_missed"] = _send_gate_notices(uow, clock)
    return counts


#: The mark, on the lead's report task of a period, that the plan's coordinators were told its gate was missed.
GATE_WATCHERS = "gate_watchers"


def _send_gate_notices(uow: UnitOfWork, clock) -> int:
    """Tell each agency whose report or contribution of a period is missing after its due date, once a gate,
    and the plan's coordinators once a gate, naming them all; returns how many agencies were told."""
    now = clock.now()
    with uow:
        gates = missed_gates(uow, now)
        sent = uow.reminders.kinds_sent([task for gate in gates for task in
                                         [gate.report_task_id] + [task_id for _, task_id, _ in gate.missing]])
    told = 0
    for gate in gates:
        untold = [each for each in gate.missing if "gate_missed" not in sent.get(each[1], set())]
        if untold or GATE_WATCHERS not in sent.get(gate.report_task_id, set()):
            told += _tell_gate(uow, now, gate, untold, GATE_WATCHERS not in sent.get(gate.report_task_id, set()))
    return told


def _tell_gate(uow: UnitOfWork, now, gate: MissedGate, untold: list, watchers_too: bool) -> int:
    where = dict(period=gate.period.label, plan=gate.plan_symbol, item=gate.gate.item_number,
                 due=day_text(gate.period.due_at))
    details = [t("Plan %(plan)s, item %(item)s: %(title)s", plan=gate.plan_symbol, item=gate.gate.item_number,
                 title=gate.gate.item_title)]
    try:
        with uow:
            told: dict[str, list[str]] = {}
            for agency, task_id, _ in untold:
                uow.reminders.add(ReminderRow(task_id=task_id, kind="gate_missed", sent_at=now))
            if watchers_too:
                uow.reminders.add(ReminderRow(task_id=gate.report_task_id, kind=GATE_WATCHERS, sent_at=now))
            uow.flush()  # a second worker at the same moment stops here (Duplicate)
            for agency, task_id, lane in untold:
                message = t("Reporting period missed: the report of %(agency)s for %(period)s, plan %(plan)s, item "
                            "%(item)s, was due on %(due)s and has not come in", agency=agency_name(uow, agency),
                            **where)
                told[agency] = notify(uow, now, recipients_of_task(uow, agency, lane), "gate_missed", message,
                                      details, task_id=task_id, instance_id=gate.instance_id, plan_id=gate.plan_id)
            if watchers_too:
                names = ", ".join(agency_name(uow, agency) for agency, _, _ in gate.missing[:MAX_NAMED]) + \
                    (", …" if len(gate.missing) > MAX_NAMED else "")
                message = t("Reporting period missed: %(period)s of plan %(plan)s, item %(item)s, was due on %(due)s; "
                            "still missing: %(names)s", names=names, **where)
                coordinators = uow.users.people(None, {"coordinator"}, province=gate.province)
                told["coordinators"] = notify(uow, now, coordinators, "gate_missed", message, details,
                                              instance_id=gate.instance_id, plan_id=gate.plan_id)
            uow.audit.append(now, SYSTEM.name, "reminder.gate_missed", gate.instance_id, gate.report_task_id,
                             data={"period": gate.period.label, "due_at": gate.period.due_at.isoformat(),
                                   "missing": [agency for agency, _, _ in gate.missing], "told": told})
            uow.commit()
            return len(untold)
    except Duplicate:
        return 0


def _remind(uow: UnitOfWork, clock, task_id: str, kind: str) -> int:
    now = clock.now()
    try:
        with uow:
            task = uow.tasks.lock_open(task_id)
            if task is None:  # done meanwhile, or another worker is reminding it now
                return 0
            uow.reminders.add(ReminderRow(task_id=task.id, kind=kind, sent_at=now))
            uow.flush()  # a second worker at the same moment stops here (Duplicate)
            told = _tell(uow, now, task, kind)
            uow.audit.append(now, SYSTEM.name, f"reminder.{kind}", task.instance_id, task.id,
                             data={"element": task.element_id, "agency": task.assigned_agency,
                                   "due_at": task.due_at.isoformat(), "told": told})
            uow.commit()
            return 1
    except Duplicate:
        return 0


def _tell(uow: UnitOfWork, now, task: TaskRow, kind: str) -> dict[str, list[str]]:
    item = item_context(uow, task.instance_id)
    where = dict(task=word(task.name), plan=item.plan_symbol if item else "", item=item.number if item else "",
                 due=day_text(task.due_at))
    details = _details(task, item)
    refs = dict(task_id=task.id, instance_id=task.instance_id, plan_id=item.plan_id if item else None)
    workers = recipients_of_task(uow, task.assigned_agency, task.lane)
    if kind == "before":
        message = t("Reminder: '%(task)s' of plan %(plan)s, item %(item)s, is due on %(due)s (%(days)s working "
                    "days left)", days=working_days_left(task.due_at, now), **where)
    elif kind == "due_today":
        message = t("Due today: '%(task)s' of plan %(plan)s, item %(item)s, is due today, %(due)s", **where)
    else:
        message = t("Overdue: '%(task)s' of plan %(plan)s, item %(item)s, was due on %(due)s and is not done",
                    **where)
    told = {"workers": notify(uow, now, workers, kind, message, details, **refs)}
    if kind == "overdue" and item is not None:
        # The standing body and the plan's coordinators hear of overdue work once, an item a day: the
        # agencies of one item late on the same morning (every commune of a province) make one notice.
        watchers = uow.users.people(item.standing_body, {"approver"}) + \
            uow.users.people(None, {"coordinator"}, province=uow.plans.get(item.plan_id).province)
        agency = agency_name(uow, task.assigned_agency)
        escalation = t("Escalated: %(agency)s has not done '%(task)s' of plan %(plan)s, item %(item)s, due on "
                       "%(due)s", agency=agency, **where)
        grouped = _add_to_todays_escalations(uow, now, watchers, item, agency, where)
        told["escalated_to"] = grouped + notify(
            uow, now, [user for user in watchers if user.username not in grouped], "escalated", escalation,
            details, **refs)
    return told


def _add_to_todays_escalations(uow: UnitOfWork, now, watchers, item, agency: str, where: dict) -> list[str]:
    """Add the agency to the unread escalations the watchers were given today of the same item and deadline;
    returns those told so (they get no second mail)."""
    day_began = now.astimezone(LOCAL_TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    told = []
    for notice in uow.notifications.unread_of_plan(sorted({user.username for user in watchers}),
                                                   item.plan_id, "escalated", day_began):
        if (notice.params.get("item"), notice.params.get("due")) != (where["item"], where["due"]):
            continue
        agencies = list(notice.params.get("agencies") or [notice.params.get("agency", "")])
        if agency not in agencies:
            agencies.append(agency)
        shown = ", ".join(agencies[:MAX_NAMED]) + (", …" if len(agencies) > MAX_NAMED else "")
        message = t("Escalated: %(count)s agencies have not done '%(task)s' of plan %(plan)s, item %(item)s, due "
                    "on %(due)s: %(names)s", count=len(agencies), names=shown, **where)
        notice.template, params = message_to_json(message)
        notice.params = params | {"agencies": agencies}
        notice.task_id = None  # many tasks (of as many instances): the notice leads to the plan
        notice.instance_id = None
        told.append(notice.username)
    return told


def _details(task: TaskRow, item) -> list[Message]:
    lines = [t("Task: %(task)s", task=word(task.name)), t("Agency: %(agency)s", agency=task.assigned_agency or ""),
             t("Deadline: %(due)s", due=task.due_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y"))]
    if item is not None:
        lines.insert(0, t("Plan %(plan)s, item %(item)s: %(title)s", plan=item.plan_symbol, item=item.number,
                          title=item.title))
    return lines
