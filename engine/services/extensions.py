"""Extensions (gia hạn): an agency asks, with a reason, to have a task's deadline moved; the standing body
grants or refuses.

A granted extension moves the deadline where the process keeps it: the task's
boundary timer is re-armed at the new date (or, when it has fired already,
reads the new date from then on), the variable it reads changes so that the
task asked again after a return is due then too, and the task row, the
item's status and the reminders follow (those sent for the old date are due
again for the new one; the audit log keeps what was sent). Each request and decision is in the
audit log, and the people concerned are told in their inbox and by mail.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from engine.errors import Conflict, Invalid
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.policy import Forbidden
from engine.model.schedules import deadline_from
from engine.runtime.acting import open_task_for
from engine.runtime.notices import notify, recipients_of_task
from engine.runtime.steps import Change, run_change
from engine.runtime.views import item_context
from engine.store.processes.tables import ExtensionRow
from engine.store.uow import UnitOfWork

MAX_REASON = 2000
MAX_EXTENSION = timedelta(days=366)


@dataclass
class ExtensionView:
    id: int
    task_id: str
    task_name: str
    instance_id: int
    plan_id: int | None
    plan_symbol: str | None
    item_number: str | None
    agency: str
    requested_by: str
    requested_at: datetime
    reason: str
    due_before: datetime
    requested_until: datetime
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None
    granted_until: datetime | None


def request_extension(uow: UnitOfWork, clock, actor: Actor, task_id: str, until: Any, reason: Any) -> ExtensionView:
    """A member of the task's agency asks for its deadline to move to ``until`` (a date: the end of that day)."""
    now = clock.now()
    reason = _reason(reason, "reason")
    with uow:
        task = open_task_for(uow, actor, task_id)
        if task.due_at is None:
            raise Conflict(t("task '%(name)s' has no deadline to move", name=word(task.name)))
        wanted = _instant(until, "until")
        if wanted <= task.due_at:
            raise Invalid(t("ask for a date after the present deadline, %(due)s", due=_day(task.due_at)),
                          errors={"until": [t("not after the present deadline")]})
        if wanted > task.due_at + MAX_EXTENSION:
            raise Invalid(t("an extension moves a deadline by a year at most"), errors={"until": [t("too far")]})
        if (pending := uow.extensions.pending_for_task(task_id)) is not None:
            raise Conflict(t("an extension of this task asked on %(day)s is still waiting for a decision",
                             day=_day(pending.requested_at)))
        item = item_context(uow, task.instance_id)
        row = uow.extensions.add(ExtensionRow(
            task_id=task.id, instance_id=task.instance_id, plan_id=item.plan_id if item else None,
            agency=task.assigned_agency or "", requested_by=actor.name, requested_at=now, reason=reason,
            due_before=task.due_at, requested_until=wanted, status="pending"))
        uow.flush()
        uow.audit.append(now, actor.name, "extension.requested", task.instance_id, task.id, data={
            "request": row.id, "agency": row.agency, "due_at": task.due_at.isoformat(),
            "until": wanted.isoformat(), "reason": reason})
        if item is not None:
            deciders = uow.users.people(item.standing_body, {"approver"}) + uow.users.people(
                None, {"coordinator"}, province=uow.plans.get(item.plan_id).province)
            notify(uow, now, [u for u in deciders if u.username != actor.name], "extension_requested",
                   t("%(agency)s asks to extend '%(task)s' of plan %(plan)s, item %(item)s, from %(due)s to "
                     "%(until)s: %(reason)s", agency=row.agency, task=word(task.name), plan=item.plan_symbol,
                     item=item.number, due=_day(task.due_at), until=_day(wanted), reason=reason),
                   task_id=task.id, instance_id=task.instance_id, plan_id=item.plan_id)
        uow.commit()
        return _view(uow, row)


def decide_extension(uow: UnitOfWork, clock, actor: Actor, request_id: int, grant: bool, reason: Any = None,
                     until: Any = None) -> ExtensionView:
    """The standing body (its approvers, or the plan's coordinators) grants or refuses; a refusal says why.
    A grant may give less time than asked (``until``, between the present deadline and the date asked)."""
    now = clock.now()
    with uow:
        row = uow.extensions.get(request_id)
        item = item_context(uow, row.instance_id)
        province = uow.plans.get(item.plan_id).province if item is not None else None
        policy.check_decides_extension(actor, row.id, item.standing_body if item is not None else None, province)
        if row.status != "pending":
            raise Conflict(t("extension request %(id)s was %(status)s already", id=row.id, status=word(row.status)))
        if actor.name == row.requested_by:
            raise Forbidden(t("you asked for this extension yourself; another person of the standing body "
                              "decides on it"))
        decision_reason = _reason(reason, "reason") if not grant or reason not in (None, "") else None
        task = uow.tasks.get(row.task_id)
        if grant:
            granted = _instant(until, "until") if until not in (None, "") else row.requested_until
            if not row.due_before < granted <= row.requested_until:
                raise Invalid(t("grant a date after %(due)s and no later than the %(until)s asked for",
                                due=_day(row.due_before), until=_day(row.requested_until)),
                              errors={"until": [t("outside what was asked")]})
            if task.status != "ready":
                raise Conflict(t("task '%(name)s' is %(status)s: there is no deadline left to move",
                                 name=word(task.name), status=word(task.status)))
            row.status, row.granted_until = "granted", granted
        else:
            row.status = "refused"
        row.decided_by, row.decided_at, row.decision_reason = actor.name, now, decision_reason
        audit = {"request": row.id, "agency": row.agency, "reason": decision_reason}
        if grant:
            audit.update({"from": row.due_before.isoformat(), "until": row.granted_until.isoformat()})
            uow.reminders.forget_task(row.task_id)  # reminded again, and escalated again, for the new date
            instance, until_local = uow.instances.get(row.instance_id), row.granted_until.astimezone(LOCAL_TZ)
            task.due_at = row.granted_until  # kept by the step unless a timer of the process says the same
            run_change(uow, clock, actor, instance, Change(
                action="move_deadline", audit="extension.granted", audit_data=audit,
                apply=lambda execution: execution.move_deadline(row.task_id, until_local),
                failure="moving the deadline failed"))  # commits the decision with the step
        else:
            uow.audit.append(now, actor.name, "extension.refused", row.instance_id, row.task_id, data=audit)
        where = dict(task=word(task.name), plan=item.plan_symbol if item else "", item=item.number if item else "")
        message = (t("Extension granted: '%(task)s' of plan %(plan)s, item %(item)s, is now due on %(until)s",
                     until=_day(row.granted_until), **where) if grant else
                   t("Extension refused: '%(task)s' of plan %(plan)s, item %(item)s, stays due on %(due)s: "
                     "%(reason)s", due=_day(row.due_before), reason=decision_reason, **where))
        notify(uow, now, recipients_of_task(uow, row.agency, task.lane),
               "extension_granted" if grant else "extension_refused", message, task_id=row.task_id,
               instance_id=row.instance_id, plan_id=row.plan_id)
        uow.commit()
        return _view(uow, uow.extensions.get(request_id))


def list_extensions(uow: UnitOfWork, actor: Actor, status: str | None = None, page: int = 1,
                    per_page: int = 50) -> tuple[list[ExtensionView], int]:
    """The requests the caller may see: their agency's (members), their province's (coordinators, approvers of
    a standing body see the plans of their province), every one (auditors, admins)."""
    with uow:
        agency, plan_ids = None, None
        if policy.sees_everything(actor):  # coordinators, auditors, admins: their province's (or every one)
            province = policy.scope(actor)
            plan_ids = None if province is None else uow.plans.ids_where(provinces=province)
        elif actor.agency and actor.roles & policy.WORKERS:
            agency = actor.agency
            if "approver" in actor.roles:  # and what is asked of the plans whose standing body it is
                plan_ids = uow.plans.ids_where(standing_body=actor.agency)
        else:
            return [], 0
        rows, total = uow.extensions.listed(status, agency, plan_ids, per_page, (page - 1) * per_page)
        return [_view(uow, row) for row in rows], total


def extensions_of_task(uow: UnitOfWork, task_id: str) -> list[ExtensionView]:
    """Inside an open unit of work: the requests made for one task, oldest first."""
    return [_view(uow, row) for row in uow.extensions.for_task(task_id)]


def _instant(value: Any, name: str) -> datetime:
    text = value.isoformat() if isinstance(value, (date, datetime)) else str(value) if value else ""
    try:
        when = deadline_from(text)
    except ValueError:
        raise Invalid(t("give a date (2022-09-30) or an instant (2022-09-30T17:00+07:00)"),
                      errors={name: [t("not a date")]}) from None
    if not 1900 <= when.year <= 2200:
        raise Invalid(t("give a date between the years 1900 and 2200"), errors={name: [t("out of range")]})
    return when


def _reason(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > MAX_REASON:
        raise Invalid(t("say why (1 to %(MAX_REASON)s characters)", MAX_REASON=MAX_REASON),
                      errors={name: [t("1 to %(limit)s characters", limit=MAX_REASON)]})
    return value.strip()


def _day(when: datetime) -> str:
    return when.astimezone(LOCAL_TZ).strftime("%d/%m/%Y")


def _view(uow: UnitOfWork, row: ExtensionRow) -> ExtensionView:
    task = uow.tasks.get(row.task_id)
    item = item_context(uow, row.instance_id)
    return ExtensionView(row.id, row.task_id, task.name, row.instance_id, row.plan_id,
                         item.plan_symbol if item else None, item.number if item else None, row.agency,
                         row.requested_by, row.requested_at, row.reason, row.due_before, row.requested_until,
                         row.status, row.decided_by, row.decided_at, row.decision_reason, row.granted_until)
