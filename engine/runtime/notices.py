"""Telling people, inside the unit of work of what causes it: a line in each recipient's inbox, and a mail in
the outbox for those with an address who want this kind of notice at once (written in Vietnamese when it is
queued; those who chose the daily digest get it there, ``engine.services.digests``). The inbox keeps each
message as its template and values, so that every reader reads it in their own language.

``tell_of_new_tasks`` is called by the step pipeline for the tasks a step opens: new work, a result to
approve, a contribution asked, a result returned, an ad-hoc report requested."""
from __future__ import annotations

import os
from datetime import datetime
from functools import partial

from engine.i18n import Message, in_language, message_to_json, t, word
from engine.model import policy
from engine.model.clock import LOCAL_TZ
from engine.model.notices import DEFAULT_MAIL, DIGEST, IMMEDIATE
from engine.model.tasks import CONTRIBUTION, DECISION
from engine.runtime.views import item_context, step_kind_of
from engine.store.notices.tables import NotificationRow, OutboxMailRow
from engine.store.people.tables import UserRow
from engine.store.uow import UnitOfWork

SUBJECT_PREFIX = "[planflow] "


def notify(uow: UnitOfWork, now: datetime, recipients: list[UserRow], kind: str, message: Message,
           details: list[Message] = (), task_id: str | None = None, instance_id: int | None = None,
           plan_id: int | None = None) -> list[str]:
    """Inside an open unit of work: the inbox lines and queued mails of one notice; returns who was told."""
    template, params = message_to_json(message)
    people = dict((user.username, user) for user in recipients)
    choices = _mail_choices(uow, [name for name, user in people.items() if user.email])
    told = []
    for user in people.values():
        mode = choices.get((user.username, kind), DEFAULT_MAIL.get(kind, IMMEDIATE)) if user.email else None
        uow.notifications.add(NotificationRow(username=user.username, kind=kind, template=template, params=params,
                                              task_id=task_id, instance_id=instance_id, plan_id=plan_id,
                                              created_at=now, read_at=None,
                                              mail={IMMEDIATE: "sent", DIGEST: "digest"}.get(mode)))
        if mode == IMMEDIATE:
            uow.outbox.add(OutboxMailRow(to_address=user.email, subject=SUBJECT_PREFIX + in_language(message),
                                         body=_mail_body(message, details, task_id), status="pending",
                                         created_at=now, next_attempt_at=now, attempts=0))
        told.append(user.username)
    return told


def _mail_choices(uow: UnitOfWork, usernames: list[str]) -> dict[tuple[str, str], str]:
    """What these people chose for their mail, read once a transaction."""
    known = uow.memo.setdefault("mail_choices", {})
    unread = [name for name in usernames if name not in known]
    if unread:
        chosen = uow.notifications.mail_choices(unread)
        for name in unread:
            known[name] = {kind: mode for (who, kind), mode in chosen.items() if who == name}
    return {(name, kind): mode for name in usernames for kind, mode in known[name].items()}


def tell_of_new_tasks(uow: UnitOfWork, now: datetime, instance, rows: list, redone: set[str], done,
                      done_by: str | None) -> None:
    """Tell the people of each task a step opened (``rows``; ``redone``: elements done before in this instance,
    so a task of one is a result returned; ``done``: the task whose completion made the step). The person whose
    step it was is not told of work they see in front of them.

    The notices are written when the transaction commits, after every step of it (a launch's instances go in
    together, not one at a time between the notices' queries)."""
    waiting = uow.memo.setdefault("new_tasks", [])
    if not waiting:
        uow.before_commit(partial(_tell_waiting, uow))
    waiting.append((now, instance, rows, set(redone), done, done_by))


def _tell_waiting(uow: UnitOfWork) -> None:
    for now, instance, rows, redone, done, done_by in uow.memo.pop("new_tasks", []):
        _tell(uow, now, instance, rows, redone, done, done_by)


def _tell(uow: UnitOfWork, now: datetime, instance, rows: list, redone: set[str], done, done_by) -> None:
    item = item_context(uow, instance.id)
    lead = agency_name(uow, item.lead_agency) if item else ""
    for row in rows:
        kind, message = _new_task_notice(row, item, row.element_id in redone, done,
                                         agency_name(uow, row.assigned_agency), lead)
        people = [user for user in recipients_of_task(uow, row.assigned_agency, row.lane)
                  if user.username != done_by]
        if people:
            notify(uow, now, people, kind, message, _task_lines(row, item), task_id=row.id,
                   instance_id=instance.id, plan_id=item.plan_id if item else None)


def _new_task_notice(row, item, redo: bool, done, agency: str, lead: str) -> tuple[str, Message]:
    where = dict(task=word(row.name), plan=item.plan_symbol if item else "", item=item.number if item else "",
                 agency=agency, due=_day(row.due_at))
    step = step_kind_of(row)
    if item is None:
        return "assigned", t("New task for %(agency)s: '%(task)s'", **where)
    if redo and done is not None and step_kind_of(done) == DECISION and not (done.result or {}).get("approved"):
        reason = (done.result or {}).get("return_reason") or (done.result or {}).get("comment") or ""
        return "returned", t("Returned for rework: '%(task)s' of plan %(plan)s, item %(item)s: %(reason)s",
                             reason=reason, **where)
    if step == DECISION:
        return "approval", t("Waiting for approval: '%(task)s' of plan %(plan)s, item %(item)s, from %(lead)s",
                             lead=lead, **where)
    if step == CONTRIBUTION:
        return "contribution", t("Contribution asked of %(agency)s: '%(task)s' of plan %(plan)s, item %(item)s "
                                 "(lead agency: %(lead)s)", lead=lead, **where)
    if (item.schedule or {}).get("reporting") == "ad_hoc":
        return "report_requested", t("Ad-hoc report requested of %(agency)s: %(title)s, plan %(plan)s, due on "
                                     "%(due)s", title=item.title, **where)
    if row.due_at is not None:
        return "assigned", t("New task for %(agency)s: '%(task)s' of plan %(plan)s, item %(item)s, due on %(due)s",
                             **where)
    return "assigned", t("New task for %(agency)s: '%(task)s' of plan %(plan)s, item %(item)s", **where)


def _task_lines(row, item) -> list[Message]:
    lines = [t("Task: %(task)s", task=word(row.name)), t("Agency: %(agency)s", agency=row.assigned_agency or "")]
    if row.due_at is not None:
        lines.append(t("Deadline: %(due)s", due=row.due_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")))
    if item is not None:
        lines.insert(0, t("Plan %(plan)s, item %(item)s: %(title)s", plan=item.plan_symbol, item=item.number,
                          title=item.title))
    return lines


def _day(moment: datetime | None) -> str:
    return moment.astimezone(LOCAL_TZ).strftime("%d/%m/%Y") if moment else ""


def _mail_body(message: Message, details: list[Message], task_id: str | None) -> str:
    lines = [in_language(message), ""] + [in_language(detail) for detail in details]
    base = os.environ.get("PLANFLOW_BASE_URL", "").rstrip("/")
    if base and task_id:
        lines += ["", f"{base}/api/v1/tasks/{task_id}"]
    lines += ["", in_language(t("This message was sent by planflow; do not reply to it."))]
    return "\n".join(lines) + "\n"


def agency_name(uow: UnitOfWork, code: str | None) -> str:
    """How people call an agency in a notice: its short name (its code when the directory lacks it)."""
    if not code:
        return ""
    key = ("agency_name", code)
    if key not in uow.memo:
        row = uow.agencies.find(code)
        uow.memo[key] = (row.short_name or row.name) if row else code
    return uow.memo[key]


def recipients_of_task(uow: UnitOfWork, agency: str | None, lane: str | None) -> list[UserRow]:
    """Who works a task: its agency's members (approvers, for the standing body's steps)."""
    if not agency:
        return []
    key = ("recipients", agency, lane == "standing_body")
    if key not in uow.memo:
        roles = {"approver"} if lane == "standing_body" else set(policy.WORKERS)
        uow.memo[key] = uow.users.people(agency, roles)
    return uow.memo[key]
