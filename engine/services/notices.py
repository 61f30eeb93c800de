"""A person's inbox: the notices they were given, newest first, read in their language, and marking one read.

Notices are written in the transaction of what causes them (``engine.runtime.notices``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import NotFound
from engine.i18n import Message, message_from_json, t
from engine.model.actors import Actor
from engine.store.notices.tables import NotificationRow
from engine.store.uow import UnitOfWork


@dataclass(frozen=True)
class NotificationView:
    id: int
    kind: str
    text: Message
    task_id: str | None
    instance_id: int | None
    plan_id: int | None
    created_at: datetime
    read_at: datetime | None


@dataclass(frozen=True)
class InboxPage:
    notifications: list[NotificationView]
    total: int
    unread: int
    page: int
    per_page: int


def inbox(uow: UnitOfWork, actor: Actor, unread_only: bool = False, page: int = 1, per_page: int = 50) -> InboxPage:
    """The actor's notices, newest first."""
    with uow:
        rows = uow.notifications.inbox(actor.name, unread_only, per_page, (page - 1) * per_page)
        return InboxPage([_view(row) for row in rows], uow.notifications.count(actor.name, unread_only),
                         uow.notifications.count(actor.name, True), page, per_page)


def mark_read(uow: UnitOfWork, clock, actor: Actor, notification_id: int) -> NotificationView:
    with uow:
        row = uow.notifications.get(notification_id)
        if row.username != actor.name:
            raise NotFound(t("no notification %(notification_id)s", notification_id=notification_id))
        if row.read_at is None:
            row.read_at = clock.now()
        uow.commit()
        return _view(row)


def _view(row: NotificationRow) -> NotificationView:
    return NotificationView(row.id, row.kind, message_from_json(row.template, row.params), row.task_id,
                            row.instance_id, row.plan_id, row.created_at, row.read_at)
