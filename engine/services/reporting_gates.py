"""Reporting gates: for each reporting period of a plan, who has sent its report and who is missing.

A continuous duty asks, at each data cut-off, for the lead's periodic report
and each coordinating agency's contribution; the period (the gate) closes
when all are in, and until then it holds the next period and the final
report back. This view reads that from the task rows alone (the k-th report
task of an instance, and the k-th contribution task of each agency, belong
to its k-th period), so that a plan of hundreds of instances is answered
without restoring one workflow.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from engine.i18n import t
from engine.model.actors import Actor
from engine.model.process_kinds import CONTINUOUS_DUTY
from engine.model.schedules import DEFAULT_SUBMISSION, ReportingPeriod, reporting_period
from engine.runtime.plans import visible_plan
from engine.store.uow import UnitOfWork

REPORT_ELEMENTS = ("periodic_report", "contribute_period")
AD_HOC_ELEMENTS = ("report_result",)  # an ad-hoc request runs the plan-item process for each agency


@dataclass
class Submission:
    agency: str
    role: str  # lead | coordinating
    status: str  # submitted | waived | missing | waiting (not asked for yet: an earlier gate holds it back)
    task_id: str | None = None
    submitted_at: datetime | None = None
    on_time: bool | None = None
    late: bool = False  # chậm báo cáo: still missing after the period's due date, or sent after it


@dataclass
class Gate:
    """One item's gate for one agency's instance in one period."""

    item_number: str
    item_title: str
    instance_id: int
    agency: str  # whose duty it is (the lead, or the performer doing it for itself)
    status: str  # not_open | open | closed
    submissions: list[Submission] = field(default_factory=list)
    blocks: str | None = None  # what an open gate holds back

    @property
    def missing(self) -> list[str]:
        return [s.agency for s in self.submissions if s.status in ("missing", "waiting")]

    @property
    def missed(self) -> list[str]:
        """The agencies whose report is still missing after the period's due date."""
        return [s.agency for s in self.submissions if s.status in ("missing", "waiting") and s.late]


@dataclass
class PeriodGates:
    period: ReportingPeriod
    gates: list[Gate] = field(default_factory=list)

    @property
    def missing(self) -> list[str]:
        return sorted({agency for gate in self.gates for agency in gate.missing})

    @property
    def status(self) -> str:
        statuses = {gate.status for gate in self.gates}
        if statuses == {"not_open"}:
            return "not_open"
        return "open" if "open" in statuses else "closed"


@dataclass
class AdHocRequest:
    """An ad-hoc report asked of chosen agencies (an item ĐX.n of the plan) and who has sent it."""

    item_number: str
    subject: str
    requested_at: datetime
    due_at: datetime
    submissions: list[Submission] = field(default_factory=list)  # status: approved | submitted | missing

    @property
    def missing(self) -> list[str]:
        return [s.agency for s in self.submissions if s.status == "missing"]


@dataclass
class ReportingView:
    plan_id: int
    plan_symbol: str
    regime: dict[str, Any]
    periods: list[PeriodGates] = field(default_factory=list)
    ad_hoc: list[AdHocRequest] = field(default_factory=list)


def reporting_view(uow: UnitOfWork, clock, actor: Actor, plan_id: int) -> ReportingView:
    """The plan's reporting regime and every period's gates, as of now, for whoever sees the plan."""
    now = clock.now()
    with uow:
        plan = visible_plan(uow, actor, plan_id)
        regime = regime_of(plan.template.data.get("reporting") or {}, plan.standing_body)
        every = uow.plans.items(plan.id)
        items = [item for item in every if item.schedule and item.schedule.get("report_dates")]
        requests = [item for item in every if item.schedule and item.schedule.get("reporting") == "ad_hoc"]
        instances = uow.plans.instances_of_items([item.id for item in items + requests])
        tasks = uow.tasks.of_instances_at([i.id for i in instances], REPORT_ELEMENTS + AD_HOC_ELEMENTS)
        view = ReportingView(plan.id, plan.symbol, regime)
        periods: dict[tuple[str, str], PeriodGates] = {}
        for item in items:
            for instance in (i for i in instances if i.plan_item_id == item.id):
                mine = [task for task in tasks if task.instance_id == instance.id]
                for gate_period, gate in _gates(item, instance, mine, now, regime["submission"]):
                    key = (gate_period.frequency, gate_period.closes_at.isoformat())
                    periods.setdefault(key, PeriodGates(gate_period)).gates.append(gate)
        view.periods = sorted(periods.values(), key=lambda p: (p.period.closes_at, p.period.frequency))
        view.ad_hoc = [_request(item, [i for i in instances if i.plan_item_id == item.id], tasks)
                       for item in requests]
        return view


@dataclass
class MissedGate:
    """A gate whose period's due date has passed with reports missing: who is missing, and by which task."""

    plan_id: int
    plan_symbol: str
    province: str
    instance_id: int
    period: ReportingPeriod
    gate: Gate
    missing: list[tuple[str, str, str | None]]  # (agency, its open task, the task's lane)
    report_task_id: str  # the lead's report task of the period: the gate's own mark


def missed_gates(uow: UnitOfWork, now: datetime) -> list[MissedGate]:
    """Inside an open unit of work: every gate, of every plan, whose due date has passed (the agency's own, when
    an extension moved it) while an agency's report or contribution asked for it is still open, of the instances
    where an agency has not been told so yet."""
    untold = set(uow.reminders.instances_past_due_untold(REPORT_ELEMENTS, now, "gate_missed"))
    if not untold:
        return []
    duties = [row for row in uow.plans.running_of_process(CONTINUOUS_DUTY.key) if row.id in untold]
    tasks = uow.tasks.of_instances_at([row.id for row in duties], REPORT_ELEMENTS)
    rules: dict[int, dict] = {}
    missed = []
    for row in duties:
        if row.plan_id not in rules:
            rules[row.plan_id] = regime_of(uow.plans.get(row.plan_id).template.data.get("reporting") or {},
                                           "")["submission"]
        mine = [task for task in tasks if task.instance_id == row.id]
        by_id = {task.id: task for task in mine}
        for period, gate in _gates(row, row, mine, now, rules[row.plan_id]):
            late = [(s.agency, s.task_id, by_id[s.task_id].lane) for s in gate.submissions
                    if s.status == "missing" and s.late]
            report = next((s.task_id for s in gate.submissions if s.role == "lead" and s.task_id), None)
            if late and report:
                missed.append(MissedGate(row.plan_id, row.symbol, row.province, row.id, period, gate, late, report))
    return missed


def _request(item, instances, tasks) -> AdHocRequest:
    due = datetime.fromisoformat(item.schedule["end"])
    request = AdHocRequest(item.number, item.title, datetime.fromisoformat(item.schedule["start"]), due)
    for instance in instances:
        sent = [task for task in tasks if task.instance_id == instance.id and task.status == "completed"
                and task.element_id in AD_HOC_ELEMENTS]
        first = min(sent, key=lambda task: task.completed_step) if sent else None
        status = "approved" if instance.status == "completed" else "submitted" if sent else "missing"
        request.submissions.append(Submission(instance.agency, "lead", status, first.id if first else None,
                                              first.completed_at if first else None,
                                              first.completed_at <= due if first else None))
    return request


def regime_of(reporting: dict[str, Any], standing_body: str) -> dict[str, Any]:
    """The plan's regime with what it leaves unsaid filled as planflow applies it (and said to be so)."""
    return {
        "name": reporting.get("name"),
        "content": reporting.get("content"),
        "reporters": reporting.get("reporters"),
        "to": reporting.get("to") or standing_body,
        "method": reporting.get("method"),
        "periodic": list(reporting.get("periodic", [])),
        "ad_hoc": bool(reporting.get("ad_hoc")),
        "submission": reporting.get("submission") or DEFAULT_SUBMISSION,
        "submission_is_default": "submission" not in reporting,
        "cut_off": "Nghị định 09/2019/NĐ-CP, Điều 12",
        "outline": list(reporting.get("outline", [])),
        "tables": list(reporting.get("tables", [])),
        "basis": reporting.get("basis"),
    }


def _gates(item, instance, tasks, now: datetime, submission: dict):
    schedule = item.schedule
    frequency = schedule["reporting"]
    deadlines = schedule.get("report_deadlines") or []
    owner = instance.agency
    partners = [code for code in item.coordinating if code != owner]
    reports = [task for task in tasks if task.element_id == "periodic_report"]
    contributions = {code: [task for task in tasks if task.element_id == "contribute_period"
                            and task.assigned_agency == code] for code in partners}
    closes = [datetime.fromisoformat(text) for text in schedule["report_dates"]]
    for index, closes_at in enumerate(closes):
        period = reporting_period(closes_at, frequency, submission)
        if index < len(deadlines):  # the deadline the process was started with, whatever the regime says now
            period = ReportingPeriod(period.frequency, period.first_day, period.last_day, period.closes_at,
                                     datetime.fromisoformat(deadlines[index]))
        gate = Gate(item.number, item.title, instance.id, owner, "not_open")
        if closes_at > now:
            yield period, gate
            continue
        gate.submissions = [_submission(owner, "lead", reports, index, period)]
        gate.submissions += [_submission(code, "coordinating", contributions[code], index, period)
                             for code in partners]
        dues = {task.id: task.due_at for task in tasks}
        for sent in gate.submissions:
            due = dues.get(sent.task_id) or period.due_at
            sent.late = sent.on_time is False or (sent.status in ("missing", "waiting") and now > due)
        if gate.missing:
            gate.status = "open"
            gate.blocks = (t("the report of %(label)s", label=reporting_period(closes[index + 1], frequency).label)
                           if index + 1 < len(closes) else t("the final report"))
        else:
            gate.status = "closed"
        yield period, gate


def _submission(agency: str, role: str, tasks, index: int, period: ReportingPeriod) -> Submission:
    if index >= len(tasks):
        return Submission(agency, role, "waiting")
    task = tasks[index]
    if task.status == "completed":  # measured against its own deadline, which an extension may have moved
        return Submission(agency, role, "submitted", task.id, task.completed_at,
                          task.completed_at <= (task.due_at or period.due_at))
    if task.status == "waived":  # a coordinator waived it, with a reason in the history
        return Submission(agency, role, "waived", task.id, task.completed_at)
    return Submission(agency, role, "missing", task.id)
