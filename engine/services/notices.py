"""A person's inbox: the notices they were given, newest first, read in their language; marking them read; and
how they want each kind of notice by mail.

Notices are written in the transaction of what causes them (``engine.runtime.notices``).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.errors import Invalid, NotFound
from engine.i18n import Message, message_from_json, t
from engine.model.actors import Actor
from engine.model.notices import DEFAULT_MAIL, IMMEDIATE, KINDS, MAIL_MODES
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


def unread_count(uow: UnitOfWork, actor: Actor) -> int:
    with uow:
        return uow.notifications.count(actor.name, True)


def mark_read(uow: UnitOfWork, clock, actor: Actor, notification_id: int) -> NotificationView:
    with uow:
        row = uow.notifications.get(notification_id)
        if row.username != actor.name:
            raise NotFound(t("no notification %(notification_id)s", notification_id=notification_id))
        if row.read_at is None:
            row.read_at = clock.now()
        uow.commit()
        return _view(row)


def mark_all_read(uow: UnitOfWork, clock, actor: Actor) -> int:
    """Mark every unread notice of the actor read; returns how many."""
    with uow:
        marked = uow.notifications.mark_all_read(actor.name, clock.now())
        uow.commit()
        return marked


@dataclass(frozen=True)
class MailChoice:
    kind: str
    label: str  # the kind in words (a catalogue word)
    mail: str  # immediate | digest | none
    chosen: bool  # False: the default, not yet chosen


@dataclass(frozen=True)
class MailSettings:
    address: str | None  # where the mail goes (None: the person has no address, and gets none)
    choices: list[MailChoice]


def mail_choices(uow: UnitOfWork, actor: Actor) -> MailSettings:
    """Where and how the actor gets each kind of notice by mail (their choice, or the default)."""
    with uow:
        chosen = uow.notifications.mail_choices([actor.name])
        user = uow.users.by_username(actor.name)
        address = user.email if user is not None else None
    return MailSettings(address or None, [
        MailChoice(kind, label, chosen.get((actor.name, kind), DEFAULT_MAIL.get(kind, IMMEDIATE)),
                   (actor.name, kind) in chosen) for kind, label in KINDS.items()])


def choose_mail(uow: UnitOfWork, actor: Actor, choices: dict[str, str]) -> MailSettings:
    """Keep the actor's choices ({kind: immediate | digest | none}); an unknown kind or mode is refused whole."""
    for kind, mode in choices.items():
        if kind not in KINDS:
            message = t("there is no kind of notice '%(kind)s'", kind=kind)
            raise Invalid(message, errors={kind: message})
        if mode not in MAIL_MODES:
            message = t("'%(mode)s' is not a way of sending mail: at once (immediate), in the daily digest "
                        "(digest) or none", mode=mode)
            raise Invalid(message, errors={kind: message})
    with uow:
        for kind, mode in choices.items():
            uow.notifications.choose_mail(actor.name, kind, mode)
        uow.commit()
    return mail_choices(uow, actor)


def _view(row: NotificationRow) -> NotificationView:
    return NotificationView(row.id, row.kind, message_from_json(row.template, row.params), row.task_id,
                            row.instance_id, row.plan_id, row.created_at, row.read_at)
