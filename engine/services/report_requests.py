"""Ad-hoc reports (báo cáo đột xuất): a coordinator asks chosen agencies for a report by a deadline.

A request becomes an item of the plan, numbered ĐX.1, ĐX.2 … in the order
asked, with the chosen agencies as its performers: each agency gets its own
plan-item process (report, then the standing body approves or returns it),
so the request has the statuses, worklists, reminders, escalation and
progress report of any other item, and reaches exactly the agencies named.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.errors import Invalid
from engine.i18n import t
from engine.model import policy, process_kinds
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.schedules import deadline_from
from engine.model.search import folded
from engine.runtime.plans import PlanView, plan_view
from engine.runtime.starts import begin_instance
from engine.store.plans.tables import PlanItemRow
from engine.store.uow import UnitOfWork

PREFIX = "ĐX."  # đột xuất
MAX_SUBJECT = 500
MAX_CONTENT = 10_000
MAX_AGENCIES = 500
PROCESS = process_kinds.AD_HOC_REPORT.key


@dataclass
class RequestedReport:
    plan: PlanView
    number: str


def request_report(uow: UnitOfWork, clock, actor: Actor, plan_id: int, agencies: Any, due: Any, subject: Any,
                   content: Any = None) -> RequestedReport:
    """Ask ``agencies`` of the plan's province for a report on ``subject`` by ``due`` (a date: the end of that
    day in Vietnam; or an instant). Coordinators of the plan's province (and admins) ask."""
    now = clock.now()
    with uow:
        plan = uow.plans.get(plan_id)
        policy.check_requests_reports(actor, plan_id, plan.province)
        cross = bool(plan.template.data.get("cross_province"))
        directory = uow.agencies.directory(None if cross else [plan.province])
        chosen = _agencies(agencies, directory, plan, now.astimezone(LOCAL_TZ).date())
        deadline = _deadline(due, now)
        subject, content = _text(subject, "subject", MAX_SUBJECT, True), _text(content, "content", MAX_CONTENT, False)
        items = uow.plans.items(plan.id)
        number = f"{PREFIX}{1 + sum(item.number.startswith(PREFIX) for item in items)}"
        local_due = deadline.astimezone(LOCAL_TZ)
        row = uow.plans.add(PlanItemRow(
            plan_id=plan.id, position=1 + max((item.position for item in items), default=-1), number=number,
            parent_number=None, title=subject, text=content, process_key=PROCESS, lead_agency=None,
            performers=chosen, coordinating=[], outputs=[],
            schedule={"kind": "deadline", "text": f"Báo cáo đột xuất, hạn {local_due:%H:%M} ngày {local_due:%d/%m/%Y}",
                      "start": now.isoformat(), "end": deadline.isoformat(), "reporting": "ad_hoc",
                      "report_dates": [], "report_deadlines": []},
            sub_plan_required=False, note=t("Ad-hoc report requested by %(actor)s on %(day)s",
                                            actor=actor.name, day=now.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")),
            search_text=folded(f"{plan.symbol} {plan.title} {number} {subject}")))
        uow.flush()
        definition = uow.definitions.latest(PROCESS)
        started = [begin_instance(uow, clock, actor, definition,
                                  {"title": f"{number}. {subject}", "lead_agency": agency,
                                   "standing_body": plan.standing_body, "deadline": deadline.isoformat(),
                                   "coordinating_agencies": []},
                                  business_key=f"{plan.symbol} #{number}", plan_item_id=row.id, agency=agency,
                                  province=plan.province)
                   for agency in chosen]
        uow.audit.append(now, actor.name, "report.requested", data={
            "plan": plan.id, "item": number, "subject": subject, "agencies": chosen, "due_at": deadline.isoformat()})
        uow.commit()
        for each in started:
            each.kept()
        return RequestedReport(plan_view(uow, plan, now), number)


def _agencies(agencies: Any, directory, plan, today: date) -> list[str]:
    """The agencies asked, each once: bodies of the plan's province (unless it spans provinces) that exist
    today."""
    if not isinstance(agencies, list) or not agencies or not all(isinstance(code, str) for code in agencies):
        raise Invalid(t("name the agencies to report: a list of agency codes"), errors={"agencies": [t("required")]})
    if len(agencies) > MAX_AGENCIES:
        raise Invalid(t("at most %(count)s agencies in one request", count=MAX_AGENCIES),
                      errors={"agencies": [t("too many")]})
    chosen = list(dict.fromkeys(code.strip() for code in agencies))
    found = {code: directory.get(code) or (directory.look_up(code) if directory.look_up else None)
             for code in chosen}
    unknown = [code for code, agency in found.items() if agency is None]
    if unknown:
        raise Invalid(t("no agency %(codes)s in the directory", codes=", ".join(unknown[:5])),
                      errors={"agencies": [t("unknown: %(code)s", code=code) for code in unknown]})
    cross = bool(plan.template.data.get("cross_province"))
    elsewhere = [code for code, agency in found.items() if not cross and agency.province != plan.province]
    if elsewhere:
        raise Invalid(t("%(codes)s: not an agency of %(province)s, whose plan this is",
                        codes=", ".join(elsewhere[:5]), province=plan.province),
                      errors={"agencies": [t("another province: %(code)s", code=code) for code in elsewhere]})
    gone = [code for code, agency in found.items() if not agency.exists_on(today)]
    if gone:
        raise Invalid(t("%(codes)s: no longer exists (its duties passed to %(after)s)", codes=", ".join(gone[:5]),
                        after=", ".join(found[gone[0]].successors) or "—"),
                      errors={"agencies": [t("ceased: %(code)s", code=code) for code in gone]})
    return chosen


def _deadline(due: Any, now: datetime) -> datetime:
    try:
        deadline = deadline_from(due.isoformat() if isinstance(due, date) else due if isinstance(due, str) else "")
    except ValueError:
        raise Invalid(t("give the deadline as a date (2022-09-30) or an instant (2022-09-30T17:00+07:00)"),
                      errors={"due": [t("not a date")]}) from None
    if deadline <= now:
        raise Invalid(t("the deadline %(due)s has passed already", due=deadline.astimezone(LOCAL_TZ).isoformat()),
                      errors={"due": [t("in the past")]})
    if deadline > now + timedelta(days=366):
        raise Invalid(t("an ad-hoc report is due within a year"), errors={"due": [t("more than a year ahead")]})
    return deadline


def _text(value: Any, name: str, limit: int, required: bool) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()) or len(value) > limit:
        raise Invalid(t("the %(name)s is text of 1 to %(limit)s characters", name=name, limit=limit),
                      errors={name: [t("1 to %(limit)s characters", limit=limit)]})
    return value.strip() or None
