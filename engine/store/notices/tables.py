"""Tables of what people are told: the in-app inbox, the mail outbox, and the reminders already sent.

A notice is written in the same transaction as the step that causes it, so
none is lost; mail leaves later from the outbox, retried until the server
takes it. A reminder row is unique per task and kind, so that two workers
running at once never remind anyone twice.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base


class NotificationRow(Base):
    """One line of a person's inbox; its text is kept as a message template and values, read in their language."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_inbox", "username", "read_at", "created_at"),
                      Index("ix_notifications_digest", "mail", "username"))

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40))  # engine.model.notices.KINDS
    template: Mapped[str] = mapped_column(Text)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    task_id: Mapped[str | None] = mapped_column(String(36))
    instance_id: Mapped[int | None] = mapped_column(Integer)
    plan_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None]
    #: None: no mail (no address, or the person wants none of this kind); "sent": queued at once; "digest":
    #: waits for the person's daily digest; "digested": went out in one.
    mail: Mapped[str | None] = mapped_column(String(10))


class NoticeSettingRow(Base):
    """How a person wants the mail of one kind of notice: at once, in a daily digest, or not at all (the inbox
    line is written whatever they choose)."""

    __tablename__ = "notice_settings"

    username: Mapped[str] = mapped_column(String(120), primary_key=True)
    kind: Mapped[str] = mapped_column(String(40), primary_key=True)
    mail: Mapped[str] = mapped_column(String(10))  # immediate | digest | none


class OutboxMailRow(Base):
    """A mail to send; kept until the server accepts it, then marked sent."""

    __tablename__ = "mail_outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(300))
    subject: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20))  # pending | sending | sent | failed
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(120))


class ReminderRow(Base):
    """A reminder, due-day notice or overdue escalation sent for a task: at most one of each kind."""

    __tablename__ = "reminders"
    __table_args__ = (UniqueConstraint("task_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("human_tasks.id"))
    kind: Mapped[str] = mapped_column(String(20))  # before | due_today | overdue
    sent_at: Mapped[datetime]
