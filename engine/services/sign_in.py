"""Signing in with a password, the browser sessions it opens, and the throttle on guessing.

A sign-in that succeeds opens a session: a random key goes into the (signed) cookie, its SHA-256 into
``web_sessions``. Every request with the cookie finds its session there, so signing out, disabling the user
or the session's end (``SESSION_HOURS`` after it began) leaves a copied cookie worth nothing. A sign-in
always makes a new key: a session set up before it (fixation) is never the one signed in.

Failed attempts are counted in ``sign_in_attempts`` over the last ``WINDOW``. Before a password is even
checked, a try is refused (``TooManyAttempts``, HTTP 429 with ``Retry-After``) when there were
``PER_ACCOUNT_AND_ADDRESS`` failures for that username from that address, ``PER_ADDRESS`` from that address
whatever the username, or ``PER_ACCOUNT`` for that username from anywhere (the account is locked for the
rest of the window: a guess spread over many addresses gets nowhere either). A success from an address
clears that address's count for the username. Refused tries are neither counted nor kept (a flood of them
writes nothing), so a lock ends ``WINDOW`` after the failure that set it. Each failure, and each lock when it
begins, is in the audit log; attempts older than a day are forgotten.
"""
from __future__ import annotations

import hashlib
import math
import secrets
from datetime import datetime, timedelta

from engine.errors import TooManyAttempts
from engine.i18n import t
from engine.model.actors import ANONYMOUS, Actor
from engine.services import users
from engine.store.uow import UnitOfWork

SESSION_HOURS = 8
WINDOW = timedelta(minutes=15)
PER_ACCOUNT_AND_ADDRESS = 5
PER_ADDRESS = 30
PER_ACCOUNT = 20
KEEP_ATTEMPTS = timedelta(days=1)


def sign_in(uow: UnitOfWork, clock, username: str, password: str, address: str | None) -> tuple[Actor, str] | None:
    """The actor and a new session key for a right username and password; None for a wrong one (recorded).
    Raises ``TooManyAttempts`` before checking anything when the throttle says so."""
    name, where = _name(username), (address or "unknown")[:64]
    now = clock.now()
    wait = seconds_to_wait(uow, now, name, where)
    if wait:  # not stored: a flood of refused tries must not fill the table
        raise TooManyAttempts(t("too many failed sign-ins; try again in %(minutes)s minutes",
                                minutes=max(1, math.ceil(wait / 60))), retry_after=wait)
    signed = users.authenticate(uow, username, password)
    if signed is None:
        _failed(uow, now, username, name, where)
        return None
    key = secrets.token_urlsafe(32)
    with uow:
        uow.sign_ins.open_session(signed.name, _hash(key), now, now + timedelta(hours=SESSION_HOURS), where)
        uow.sign_ins.forget_attempts_before(now - KEEP_ATTEMPTS)
        uow.sign_ins.record_attempt(now, name, where, "succeeded")
        uow.audit.append(now, signed.name, "auth.signed_in", data={"address": address})
        uow.commit()
    return signed, key


def actor_for_session(uow: UnitOfWork, clock, key: str | None) -> Actor | None:
    """Who a session key belongs to, if the session is open, not past its end and its user still active."""
    if not key or len(key) > 100:
        return None
    with uow:
        row = uow.sign_ins.session_with_actor(_hash(key))
        if row is None or row.ended_at is not None or row.expires_at <= clock.now():
            return None
        return users.actor_of_columns(row)


def sign_out(uow: UnitOfWork, clock, key: str | None) -> None:
    """End the session of ``key`` (nothing to do for an unknown or ended one)."""
    if not key:
        return
    with uow:
        now = clock.now()
        username = uow.sign_ins.end_session(_hash(key), now)
        if username is not None:
            uow.audit.append(now, username, "auth.signed_out")
        uow.commit()


def seconds_to_wait(uow: UnitOfWork, now: datetime, name: str, address: str) -> int:
    """How long a try for ``name`` from ``address`` must wait now; 0 when it may go ahead."""
    since = now - WINDOW
    with uow:
        cleared = uow.sign_ins.last_success(name, address, since)
        waits = []
        for limit, who in ((PER_ACCOUNT_AND_ADDRESS, {"username": name, "address": address, "after": cleared}),
                           (PER_ADDRESS, {"address": address}), (PER_ACCOUNT, {"username": name})):
            times = uow.sign_ins.failures(since, limit, **who)
            if len(times) >= limit:
                # The oldest of the last ``limit`` failures leaves the window: then one more try is allowed.
                waits.append(math.ceil((times[-1] + WINDOW - now).total_seconds()))
        return max([wait for wait in waits if wait > 0], default=0)


def _failed(uow: UnitOfWork, now: datetime, username: str, name: str, where: str) -> None:
    with uow:
        uow.sign_ins.forget_attempts_before(now - KEEP_ATTEMPTS)
        uow.sign_ins.record_attempt(now, name, where, "failed")
        uow.audit.append(now, ANONYMOUS, "auth.sign_in_failed", data={"username": str(username)[:200],
                                                                      "address": where})
        uow.commit()
    if seconds_to_wait(uow, now, name, where):
        with uow:
            uow.audit.append(now, ANONYMOUS, "auth.locked", data={"username": str(username)[:200], "address": where,
                                                                  "minutes": int(WINDOW.total_seconds() // 60)})
            uow.commit()


def _name(username: str) -> str:
    return str(username).strip().lower()[:120]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
