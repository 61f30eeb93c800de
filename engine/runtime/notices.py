"""Telling people, inside the unit of work of what causes it: a line in each recipient's inbox, and a mail in
the outbox for those with an address (written in Vietnamese when it is queued; the inbox keeps each message
as its template and values, so that every reader reads it in their own language)."""
from __future__ import annotations

import os
from datetime import datetime

from engine.i18n import Message, in_language, message_to_json, t
from engine.model import policy
from engine.store.notices.tables import NotificationRow, OutboxMailRow
from engine.store.people.tables import UserRow
from engine.store.uow import UnitOfWork

SUBJECT_PREFIX = "[planflow] "


def notify(uow: UnitOfWork, now: datetime, recipients: list[UserRow], kind: str, message: Message,
           details: list[Message] = (), task_id: str | None = None, instance_id: int | None = None,
           plan_id: int | None = None) -> list[str]:
    """Inside an open unit of work: the inbox lines and queued mails of one notice; returns who was told."""
    template, params = message_to_json(message)
    told = []
    for user in dict((user.username, user) for user in recipients).values():
        uow.notifications.add(NotificationRow(username=user.username, kind=kind, template=template, params=params,
                                              task_id=task_id, instance_id=instance_id, plan_id=plan_id,
                                              created_at=now, read_at=None))
        if user.email:
            uow.outbox.add(OutboxMailRow(to_address=user.email, subject=SUBJECT_PREFIX + in_language(message),
                                         body=_mail_body(message, details, task_id), status="pending",
                                         created_at=now, next_attempt_at=now, attempts=0))
        told.append(user.username)
    return told


def _mail_body(message: Message, details: list[Message], task_id: str | None) -> str:
    lines = [in_language(message), ""] + [in_language(detail) for detail in details]
    base = os.environ.get("PLANFLOW_BASE_URL", "").rstrip("/")
    if base and task_id:
        lines += ["", f"{base}/api/v1/tasks/{task_id}"]
    lines += ["", in_language(t("This message was sent by planflow; do not reply to it."))]
    return "\n".join(lines) + "\n"


def recipients_of_task(uow: UnitOfWork, agency: str | None, lane: str | None) -> list[UserRow]:
    """Who works a task: its agency's members (approvers, for the standing body's steps)."""
    roles = {"approver"} if lane == "standing_body" else set(policy.WORKERS)
    return uow.users.people(agency, roles) if agency else []
