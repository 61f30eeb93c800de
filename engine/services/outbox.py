"""Delivering the mail outbox: each mail sent once, retried with a growing wait while the server refuses it.

A sender claims mails with row locks that other senders pass over (``FOR
UPDATE SKIP LOCKED`` on PostgreSQL) and a conditional update (which is what
guards SQLite), so two workers never send the same mail; a mail the server
did not take goes back to pending with its error and the time of the next
attempt (1, 2, 4 … minutes, at most six hours apart), and is given up after
``MAX_ATTEMPTS``.
"""
from __future__ import annotations

import os
import socket
from datetime import timedelta

from engine.store.uow import UnitOfWork

MAX_ATTEMPTS = 12


def deliver_mail(uow: UnitOfWork, clock, mailer, limit: int = 50) -> dict[str, int]:
    """Send what is due; returns how many were sent and how many failed this time."""
    worker = f"{socket.gethostname()}:{os.getpid()}"
    counts = {"sent": 0, "failed": 0}
    with uow:
        claimed = [(mail.id, mail.to_address, mail.subject, mail.body) for mail in
                   uow.outbox.claim_due(clock.now(), worker, limit)]
        uow.commit()
    for mail_id, to, subject, body in claimed:
        try:
            mailer.send(to, subject, body)
        except (OSError, ValueError) as error:  # smtplib's errors are OSErrors; a refused address, a ValueError
            _failed(uow, clock, mail_id, f"{type(error).__name__}: {error}")
            counts["failed"] += 1
        else:
            with uow:
                mail = uow.outbox.get(mail_id)
                mail.status, mail.sent_at, mail.attempts = "sent", clock.now(), mail.attempts + 1
                uow.commit()
            counts["sent"] += 1
    return counts


def _failed(uow: UnitOfWork, clock, mail_id: int, error: str) -> None:
    with uow:
        mail = uow.outbox.get(mail_id)
        mail.attempts += 1
        mail.last_error = error[:2000]
        if mail.attempts >= MAX_ATTEMPTS:
            mail.status = "failed"
        else:
            mail.status = "pending"
            mail.next_attempt_at = clock.now() + timedelta(minutes=min(2 ** (mail.attempts - 1), 360))
        uow.commit()
