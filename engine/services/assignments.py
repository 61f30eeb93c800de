"""Who works a task: claiming it, letting it go, handing it to a colleague, and waiving a contribution.

Colleagues of one agency share its worklist; a claim shows them someone is
on a task. A coordinator can waive a coordinating agency's contribution that
never comes (the agency has no user, or nothing to add), with a reason that
stays in the history, so that the item is not stuck waiting for it; the lead
agency or a coordinator can remind a silent coordinating agency instead, with
a reason that reaches its people as a notice and stays in the history.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import forms
from engine.errors import Conflict, Invalid, NotFound
from engine.i18n import Message, t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.model.tasks import CONTRIBUTION
from engine.model.clock import LOCAL_TZ
from engine.runtime.acting import open_task_for
from engine.runtime.notices import agency_name, notify, recipients_of_task
from engine.runtime.steps import Change, run_change
from engine.runtime.views import InstanceView, TaskView, item_context, step_kind_of, task_view
from engine.store.uow import UnitOfWork

MAX_REASON = 2000


def claim_task(uow: UnitOfWork, clock, actor: Actor, task_id: str) -> TaskView:
    """Take a task so that colleagues see someone is on it; claiming your own claim again is harmless."""
    with uow:
        row = open_task_for(uow, actor, task_id)
        if row.claimed_by not in (None, actor.name):
            raise Conflict(t("task '%(name)s' is claimed by %(claimed_by)s",
                             name=word(row.name), claimed_by=row.claimed_by))
        if row.claimed_by is None:
            # Only if still unclaimed and open: two colleagues claiming at once cannot both win.
            if not uow.tasks.claim(task_id, actor.name):
                uow.rollback()
                holder = uow.tasks.get(task_id)
                if holder.claimed_by == actor.name and holder.status == "ready":
                    return task_view(holder)  # the same person's second click, at the same moment
                raise Conflict(t("task '%(name)s' was claimed or completed by someone else meanwhile",
                                 name=word(row.name)))
            uow.audit.append(clock.now(), actor.name, "task.claimed", row.instance_id, row.id,
                             data={"element": row.element_id})
        uow.commit()
        return task_view(uow.tasks.get(task_id))


def unclaim_task(uow: UnitOfWork, clock, actor: Actor, task_id: str) -> TaskView:
    """Let a claimed task go back to the agency's worklist; only whoever holds it does that."""
    with uow:
        row = open_task_for(uow, actor, task_id)
        if row.claimed_by is None:
            return task_view(row)
        if row.claimed_by != actor.name:
            raise Conflict(t("task '%(name)s' is claimed by %(claimed_by)s; only they can let it go (or hand it "
                             "over)",
                             name=word(row.name), claimed_by=row.claimed_by))
        row.claimed_by = None
        uow.audit.append(clock.now(), actor.name, "task.unclaimed", row.instance_id, row.id,
                         data={"element": row.element_id})
        uow.commit()
        return task_view(row)


def hand_over_task(uow: UnitOfWork, clock, actor: Actor, task_id: str, colleague: str) -> TaskView:
    """Give a task to a colleague of the same agency who may work it; it is claimed for them."""
    with uow:
        row = open_task_for(uow, actor, task_id)
        if row.claimed_by not in (None, actor.name):
            raise Conflict(t("task '%(name)s' is claimed by %(claimed_by)s; only they can hand it over",
                             name=word(row.name), claimed_by=row.claimed_by))
        user = uow.users.by_username(colleague) if isinstance(colleague, str) else None
        if user is None or not user.active:
            raise Invalid(t("there is no active user '%(colleague)s'", colleague=colleague),
                          errors={"to": [t("no such user")]})
        receiver = Actor(user.username, agency=user.agency, roles=frozenset(user.roles))
        try:
            policy.check_acts_on_task(receiver, task_id, row.assigned_agency, row.lane, row.instance.province)
        except (NotFound, policy.Forbidden):
            raise Invalid(t("%(colleague)s cannot work this task: a task goes to a colleague of "
                            "%(assigned_agency)s who may do it",
                            colleague=colleague, assigned_agency=row.assigned_agency),
                          errors={"to": [t("not a colleague who may work this task")]}) from None
        previous, row.claimed_by = row.claimed_by, receiver.name
        uow.audit.append(clock.now(), actor.name, "task.handed_over", row.instance_id, row.id,
                         data={"element": row.element_id, "from": previous or actor.name, "to": receiver.name})
        uow.commit()
        return task_view(row)


def waive_contribution(uow: UnitOfWork, clock, actor: Actor, task_id: str, reason: str,
                       resolved_by: str | None = None) -> InstanceView:
    """End a coordinating agency's contribution without it, saying why; the item goes on without waiting."""
    with uow:
        row = uow.tasks.get_with_instance(task_id)
        involved = {task.assigned_agency for task in uow.tasks.for_instance(row.instance_id) if task.assigned_agency}
        policy.check_waives(actor, task_id, involved, row.instance.province)
        reason = _open_contribution(row, reason, t(
            "say why the contribution is waived (1 to %(MAX_REASON)s characters)", MAX_REASON=MAX_REASON), t(
            "task '%(name)s' is not a coordinating agency's contribution; only those are waived", name=word(row.name)))
        waived = {"waived": True, "reason": reason, "waived_by": actor.name}
        data = {"contribution": waived} if forms.kind_of(row.form_key) == CONTRIBUTION else waived
        return run_change(uow, clock, actor, uow.instances.get(row.instance_id), Change(
            action="waive_contribution", audit="task.waived", task=row, result=data, done_status="waived",
            apply=lambda execution: execution.complete_task(row.id, data),
            audit_data={"element": row.element_id, "agency": row.assigned_agency, "reason": reason},
            request={"task_id": row.id, "reason": reason}, resolved_by=resolved_by,
            failure=f"waiving the contribution of {row.assigned_agency} failed"))



@dataclass(frozen=True)
class Reminded:
    task: TaskView
    told: list[str]


def remind_contribution(uow: UnitOfWork, clock, actor: Actor, task_id: str, reason: Any) -> Reminded:
    """Remind a coordinating agency of the contribution it owes, saying why: its people get a notice (mailed as
    they chose), the history keeps the reason. The item's lead agency or the plan's coordinators do it, once a
    day per contribution."""
    now = clock.now()
    with uow:
        row = uow.tasks.get_with_instance(task_id)
        item = item_context(uow, row.instance_id)
        involved = {task.assigned_agency for task in uow.tasks.for_instance(row.instance_id) if task.assigned_agency}
        policy.check_reminds(actor, task_id, involved, item.lead_agency if item else None, row.instance.province)
        reason = _open_contribution(row, reason, t(
            "say why the agency is reminded (1 to %(MAX_REASON)s characters)", MAX_REASON=MAX_REASON), t(
            "task '%(name)s' is not a coordinating agency's contribution; only those are reminded",
            name=word(row.name)))
        today = now.astimezone(LOCAL_TZ).date()
        if any(notice.kind == "coordinating_reminded" and notice.created_at.astimezone(LOCAL_TZ).date() == today
               for notice in uow.notifications.of_task(task_id)):
            raise Conflict(t("%(agency)s was reminded of this contribution today already",
                             agency=agency_name(uow, row.assigned_agency)))
        people = recipients_of_task(uow, row.assigned_agency, row.lane)
        where = dict(agency=agency_name(uow, row.assigned_agency), by=agency_name(uow, actor.agency) or actor.name,
                     plan=item.plan_symbol if item else "", item=item.number if item else "", reason=reason)
        told = notify(uow, now, people, "coordinating_reminded",
                      t("%(by)s reminds %(agency)s of its contribution to plan %(plan)s, item %(item)s: %(reason)s",
                        **where),
                      [t("Task: %(task)s", task=word(row.name))], task_id=row.id, instance_id=row.instance_id,
                      plan_id=item.plan_id if item else None)
        uow.audit.append(now, actor.name, "task.reminded", row.instance_id, row.id,
                         data={"element": row.element_id, "agency": row.assigned_agency, "reason": reason,
                               "told": told})
        uow.commit()
        return Reminded(task_view(row), told)



def _open_contribution(row, reason: Any, say_why: Message, only_those: Message) -> str:
    """The reason given for acting on ``row``, once ``row`` is checked to be a contribution still awaited."""
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason or len(reason) > MAX_REASON:
        raise Invalid(say_why, errors={"reason": ["required" if not reason else "too long"]})
    if step_kind_of(row) != CONTRIBUTION:
        raise Conflict(only_those)
    if row.status != "ready":
        raise Conflict(t("task '%(name)s' is already %(status)s", name=word(row.name), status=word(row.status)))
    return reason
