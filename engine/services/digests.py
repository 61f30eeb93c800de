"""The daily digest: once a day, at ``DIGEST_HOUR`` in Vietnam, one mail per person gathering the notices of
the kinds they want in a digest, written since the last one.

A notice waiting for its digest is marked ``mail="digest"`` when it is written
(``engine.runtime.notices.notify``). A digest takes one person's waiting notices
and marks them ``digested`` with a conditional update in the transaction that
queues the mail: a second worker doing the same round finds them taken and
queues nothing, so nobody gets a digest twice.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from engine.i18n import in_language, message_from_json, t
from engine.model.clock import LOCAL_TZ
from engine.model.notices import DIGEST_HOUR
from engine.runtime.notices import SUBJECT_PREFIX
from engine.store.notices.tables import OutboxMailRow
from engine.store.uow import UnitOfWork


def last_digest_time(now: datetime) -> datetime:
    """The latest digest hour at or before ``now`` (Vietnam's time)."""
    local = now.astimezone(LOCAL_TZ)
    at = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    return at if at <= local else at - timedelta(days=1)


def send_digests(uow: UnitOfWork, clock, limit: int = 5000) -> int:
    """Queue the digest of everyone with notices waiting from before the last digest hour; returns how many."""
    now = clock.now()
    cutoff = last_digest_time(now)
    with uow:
        waiting: dict[str, list[int]] = {}
        for row in uow.notifications.digest_waiting(cutoff, limit):
            waiting.setdefault(row.username, []).append(row.id)
    return sum(_digest(uow, now, cutoff, username, ids) for username, ids in waiting.items())


def _digest(uow: UnitOfWork, now: datetime, cutoff: datetime, username: str, ids: list[int]) -> int:
    with uow:
        if uow.notifications.take_for_digest(ids) != len(ids):  # another worker is sending this digest
            uow.rollback()
            return 0
        user = uow.users.by_username(username)
        if user is None or not user.email or not user.active:
            uow.commit()  # nobody to write to: the notices stay in the inbox, marked as gone
            return 0
        rows = sorted((uow.notifications.get(notice_id) for notice_id in ids), key=lambda row: row.id)
        day = cutoff.astimezone(LOCAL_TZ)
        subject = in_language(t("Digest of %(count)s notice(s) up to %(time)s", count=len(rows),
                                time=day.strftime("%H:%M %d/%m/%Y")))
        lines = [in_language(t("Your notices since the last digest, oldest first:")), ""]
        for row in rows:
            stamp = row.created_at.astimezone(LOCAL_TZ).strftime("%H:%M %d/%m/%Y")
            lines.append(f"- {stamp}: {in_language(message_from_json(row.template, row.params))}")
        lines += ["", in_language(t("Choose which notices come by mail, and how, on the notices page.")),
                  in_language(t("This message was sent by planflow; do not reply to it."))]
        uow.outbox.add(OutboxMailRow(to_address=user.email, subject=SUBJECT_PREFIX + subject,
                                     body="\n".join(lines) + "\n", status="pending", created_at=now,
                                     next_attempt_at=now, attempts=0))
        uow.commit()
        return 1
