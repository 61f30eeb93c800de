"""Signing in with a password, the browser sessions it opens, and the throttle on guessing.

A sign-in that succeeds opens a session: a random key goes into the (signed) cookie, its SHA-256 into
``web_sessions``. Every request with the cookie finds its session there, so signing out, disabling the user
or the session's end (``SESSION_HOURS`` after it began) leaves a copied cookie worth nothing. A sign-in
always makes a new key: a session set up before it (fixation) is never the one signed in.

Every try is counted before its password is checked, in one transaction that also decides whether it may go
ahead: it waits for the turn of its username and of its address (``SignIns.take_turns``: a row of each, locked
until the transaction ends), reads the tries of the last ``WINDOW`` that did not succeed, and either is refused
(``TooManyAttempts``, HTTP 429 with ``Retry-After``; nothing of it is kept, so a flood of refused tries writes
nothing and a lock ends ``WINDOW`` after the try that set it) or is recorded as ``pending`` in
``sign_in_attempts`` and committed. Only then is the password checked (the slow scrypt, outside any
transaction), and one more transaction settles the try as ``succeeded`` or ``failed``, with the session, the
audit event and the forgetting of attempts older than ``KEEP_ATTEMPTS``. Tries sent at once for one name are
thus counted one after another, and no more than the limit of them reach a password check.

A try is refused when there were ``PER_ACCOUNT_AND_ADDRESS`` tries that did not succeed for that username
from that address since its last success from there, ``PER_ADDRESS`` from that address whatever the
username, or ``PER_ACCOUNT`` for that username from anywhere: a guess spread over many addresses gets
nowhere either. (A try whose process died before it was settled stays ``pending``: counted as a failure.)

The owner is not locked out by a stranger who knows the name, though. A browser someone signed in from
carries a device token: a random value in an HttpOnly, Secure, SameSite=Strict cookie, renewed at each
sign-in; only its SHA-256 is kept (``sign_in_devices``), for ``DEVICE_DAYS`` after its last use and for the
``DEVICES_KEPT`` browsers a person used last. A try that presents a device known for its username is held
to ``PER_ACCOUNT_AND_DEVICE`` tries for that name from that device since its last success there, and to
nothing else. A stranger has no such token, so gets no more guesses than before, while the owner at their
usual browser signs in all the same; on a browser never used before, the owner waits like anyone else.
Each failure, and each lock when it begins, is in the audit log.
"""
from __future__ import annotations

import hashlib
import math
import secrets
from dataclasses import dataclass
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
PER_ACCOUNT_AND_DEVICE = 5
KEEP_ATTEMPTS = timedelta(days=1)
#: How long a browser stays known after the last sign-in from it (and how long its cookie lasts), and how many
#: of a person's browsers are known at most (those used last).
DEVICE_DAYS = 365
DEVICES_KEPT = 20


@dataclass(frozen=True)
class SignedIn:
    """Who signed in, the key of their new session, and the device token their browser is to keep."""

    actor: Actor
    session_key: str
    device_token: str


@dataclass(frozen=True)
class _Try:
    """A try counted and let through: what its settling needs."""

    id: int
    name: str
    address: str
    device_id: int | None
    credentials: object  # the user's row of ``Users.credentials``, or None
    locks_if_failed: bool  # it is the last try a limit lets through


def sign_in(uow: UnitOfWork, clock, username: str, password: str, address: str | None,
            device: str | None = None) -> SignedIn | None:
    """Who signed in, with a new session key and the device token, for a right username and password; None for
    a wrong one (recorded). Raises ``TooManyAttempts`` before checking anything when the throttle says so.
    ``device`` is the device token the browser presented, if any."""
    now = clock.now()
    counted = _count_try(uow, now, username, (address or "unknown")[:64], device)
    signed = users.check_credentials(counted.credentials, password)
    if signed is None:
        _failed(uow, now, username, counted)
        return None
    key = secrets.token_urlsafe(32)
    token = device if counted.device_id is not None else secrets.token_urlsafe(32)
    with uow:
        uow.sign_ins.settle_try(counted.id, "succeeded")
        uow.sign_ins.open_session(signed.name, _hash(key), now, now + timedelta(hours=SESSION_HOURS), counted.address)
        if counted.device_id is None:
            uow.sign_ins.remember_device(counted.name, _hash(token), now, DEVICES_KEPT)
        else:
            uow.sign_ins.device_used(counted.device_id, now)
        _forget_old(uow, now)
        uow.audit.append(now, signed.name, "auth.signed_in", data={"address": address})
        uow.commit()
    return SignedIn(signed, key, token)


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


def _count_try(uow: UnitOfWork, now: datetime, username: str, address: str, device: str | None) -> _Try:
    """Count a try, or refuse it, in one transaction that holds the turns of its name and of its address."""
    name = _name(username)
    with uow:
        uow.sign_ins.take_turns(now, f"name:{name}", f"address:{address}")  # the first statement: see take_turns
        device_id = None
        if device and 20 <= len(device) <= 100:
            device_id = uow.sign_ins.known_device(name, _hash(device), now - timedelta(days=DEVICE_DAYS))
        wait, last = _wait(uow, now, name, address, device_id)
        if wait:  # leaving without a commit: nothing of a refused try is kept, not even its turns
            raise TooManyAttempts(t("too many failed sign-ins; try again in %(minutes)s minutes",
                                    minutes=max(1, math.ceil(wait / 60))), retry_after=wait)
        attempt_id = uow.sign_ins.count_try(now, name, address, device_id)
        credentials = uow.users.credentials(username)
        uow.commit()
    return _Try(attempt_id, name, address, device_id, credentials, last)


def _wait(uow: UnitOfWork, now: datetime, name: str, address: str, device_id: int | None) -> tuple[int, bool]:
    """How long a try must wait now (0: it may go ahead), and whether it is the last one a limit lets through."""
    if device_id is not None:  # a browser known for the name: strangers' guesses at the name do not stop it
        rules = ((PER_ACCOUNT_AND_DEVICE, {"username": name, "device_id": device_id, "since_success": True}),)
    else:
        rules = ((PER_ACCOUNT_AND_ADDRESS, {"username": name, "address": address, "since_success": True}),
                 (PER_ADDRESS, {"address": address}), (PER_ACCOUNT, {"username": name}))
    waits, last = [0], False
    for limit, who in rules:
        times = uow.sign_ins.unsettled(now - WINDOW, limit, **who)
        if len(times) >= limit:
            # The oldest of the last ``limit`` tries leaves the window: then one more try is allowed.
            waits.append(math.ceil((times[-1] + WINDOW - now).total_seconds()))
        last = last or len(times) == limit - 1
    return max(waits), last


def _failed(uow: UnitOfWork, now: datetime, username: str, counted: _Try) -> None:
    tried = {"username": str(username)[:200], "address": counted.address}
    with uow:
        uow.sign_ins.settle_try(counted.id, "failed")
        _forget_old(uow, now)
        uow.audit.append(now, ANONYMOUS, "auth.sign_in_failed", data=tried)
        if counted.locks_if_failed:
            uow.audit.append(now, ANONYMOUS, "auth.locked",
                             data={**tried, "minutes": int(WINDOW.total_seconds() // 60)})
        uow.commit()


def _forget_old(uow: UnitOfWork, now: datetime) -> None:
    uow.sign_ins.forget_attempts_before(now - KEEP_ATTEMPTS)
    uow.sign_ins.forget_devices_unused_since(now - timedelta(days=DEVICE_DAYS))


def _name(username: str) -> str:
    return str(username).strip().lower()[:120]


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()
