"""Queries of the inbox, the outbox and the reminders."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, select, update

from engine.store.base import Repository
from engine.store.notices.tables import NoticeSettingRow, NotificationRow, OutboxMailRow, ReminderRow
from engine.store.processes.tables import TaskRow


class Notifications(Repository):
    def inbox(self, username: str, unread_only: bool, limit: int, offset: int) -> list[NotificationRow]:
        query = select(NotificationRow).where(NotificationRow.username == username)
        if unread_only:
            query = query.where(NotificationRow.read_at.is_(None))
        return list(self.session.scalars(query.order_by(NotificationRow.id.desc()).limit(limit).offset(offset)))

    def count(self, username: str, unread_only: bool) -> int:
        query = select(func.count(NotificationRow.id)).where(NotificationRow.username == username)
        if unread_only:
            query = query.where(NotificationRow.read_at.is_(None))
        return self.session.scalar(query)

    def get(self, notification_id: int) -> NotificationRow:
        return self._must_get(NotificationRow, notification_id, "notification")

    def of_task(self, task_id: str) -> list[NotificationRow]:
        return list(self.session.scalars(select(NotificationRow).where(NotificationRow.task_id == task_id)
                                         .order_by(NotificationRow.id)))

    def unread_of_plan(self, usernames: list[str], plan_id: int, kind: str, since: datetime) -> list[NotificationRow]:
        if not usernames:
            return []
        return list(self.session.scalars(select(NotificationRow).where(
            NotificationRow.username.in_(usernames), NotificationRow.plan_id == plan_id,
            NotificationRow.kind == kind, NotificationRow.read_at.is_(None), NotificationRow.created_at >= since)
            .with_for_update()))

    def take_for_digest(self, ids: list[int]) -> int:
        """Mark these notices gone in a digest, if they still wait for one; returns how many were taken."""
        return self.session.execute(
            update(NotificationRow).where(NotificationRow.id.in_(ids), NotificationRow.mail == "digest")
            .values(mail="digested").execution_options(synchronize_session=False)).rowcount

    def mark_all_read(self, username: str, now: datetime) -> int:
        return self.session.execute(
            update(NotificationRow).where(NotificationRow.username == username, NotificationRow.read_at.is_(None))
            .values(read_at=now).execution_options(synchronize_session=False)).rowcount

    def mail_choices(self, usernames: list[str]) -> dict[tuple[str, str], str]:
        """What ``usernames`` chose for the mail of each kind they set: {(username, kind): mode}."""
        if not usernames:
            return {}
        return {(row.username, row.kind): row.mail for row in self.session.scalars(
            select(NoticeSettingRow).where(NoticeSettingRow.username.in_(sorted(set(usernames)))))}

    def choose_mail(self, username: str, kind: str, mode: str) -> None:
        row = self.session.get(NoticeSettingRow, (username, kind))
        if row is None:
            self.session.add(NoticeSettingRow(username=username, kind=kind, mail=mode))
        else:
            row.mail = mode

    def digest_waiting(self, before: datetime, limit: int) -> list[NotificationRow]:
        """Notices waiting for a digest, written before ``before``, by person then age."""
        return list(self.session.scalars(
            select(NotificationRow).where(NotificationRow.mail == "digest", NotificationRow.created_at < before)
            .order_by(NotificationRow.username, NotificationRow.id).limit(limit)))


class Outbox(Repository):
    def claim_due(self, now: datetime, worker: str, limit: int) -> list[OutboxMailRow]:
        """Take up to ``limit`` mails due for sending; a mail another sender took is not taken again (the
        conditional update guards SQLite, which has no row locks)."""
        due = list(self.session.scalars(select(OutboxMailRow.id).where(
            OutboxMailRow.status == "pending", OutboxMailRow.next_attempt_at <= now)
            .order_by(OutboxMailRow.next_attempt_at, OutboxMailRow.id).limit(limit)
            .with_for_update(skip_locked=True)))  # PostgreSQL: mails another sender holds are passed over
        taken = []
        for mail_id in due:
            claimed = self.session.execute(
                update(OutboxMailRow).where(OutboxMailRow.id == mail_id, OutboxMailRow.status == "pending")
                .values(status="sending", claimed_by=worker).execution_options(synchronize_session=False))
            if claimed.rowcount == 1:
                taken.append(mail_id)
        return [self.session.get(OutboxMailRow, mail_id, populate_existing=True) for mail_id in taken]

    def get(self, mail_id: int) -> OutboxMailRow:
        return self._must_get(OutboxMailRow, mail_id, "mail")

    def pending(self) -> list[OutboxMailRow]:
        return list(self.session.scalars(select(OutboxMailRow).where(OutboxMailRow.status != "sent")
                                         .order_by(OutboxMailRow.id)))

    def all(self) -> list[OutboxMailRow]:
        return list(self.session.scalars(select(OutboxMailRow).order_by(OutboxMailRow.id)))


class Reminders(Repository):
    def open_tasks_due_by(self, horizon: datetime, limit: int) -> list[TaskRow]:
        """Open tasks with a deadline up to ``horizon``, soonest first, less those escalated already as overdue
        (nothing more is sent for them), so that old overdue work never crowds newer deadlines out of ``limit``."""
        escalated = select(ReminderRow.id).where(ReminderRow.task_id == TaskRow.id, ReminderRow.kind == "overdue")
        return list(self.session.scalars(
            select(TaskRow).where(TaskRow.status == "ready", TaskRow.due_at.is_not(None), TaskRow.due_at <= horizon,
                                  ~escalated.exists())
            .order_by(TaskRow.due_at, TaskRow.id).limit(limit)))

    def instances_past_due_untold(self, elements: tuple[str, ...], now: datetime, kind: str) -> list[int]:
        """The instances with an open task at these elements past its deadline and not yet given a notice of
        ``kind``: the one cheap question a round asks before reading any gate."""
        told = select(ReminderRow.id).where(ReminderRow.task_id == TaskRow.id, ReminderRow.kind == kind)
        return list(self.session.scalars(
            select(TaskRow.instance_id).where(TaskRow.status == "ready", TaskRow.element_id.in_(elements),
                                              TaskRow.due_at < now, ~told.exists())
            .distinct().order_by(TaskRow.instance_id)))

    def kinds_sent(self, task_ids: list[str]) -> dict[str, set[str]]:
        sent: dict[str, set[str]] = {}
        if task_ids:
            for task_id, kind in self.session.execute(
                    select(ReminderRow.task_id, ReminderRow.kind).where(ReminderRow.task_id.in_(task_ids))):
                sent.setdefault(task_id, set()).add(kind)
        return sent

    def forget_task(self, task_id: str) -> None:
        """A task's deadline moved: its reminders are due again for the new date (the audit log keeps those sent)."""
        self.session.execute(delete(ReminderRow).where(ReminderRow.task_id == task_id))

    def of_task(self, task_id: str) -> list[ReminderRow]:
        return list(self.session.scalars(select(ReminderRow).where(ReminderRow.task_id == task_id)
                                         .order_by(ReminderRow.id)))

