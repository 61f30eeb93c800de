"""Tables of people: users, personal API tokens, browser sessions, sign-in attempts and what throttles them."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Index,
    String,
)
from sqlalchemy.orm import Mapped, mapped_column

from engine.store.base import Base


class UserRow(Base):
    """A person who signs in: an agency member, an approver, a coordinator, an auditor or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(300))
    agency: Mapped[str | None] = mapped_column(ForeignKey("agencies.code"))
    roles: Mapped[list[Any]]
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime]
    email: Mapped[str | None] = mapped_column(String(300))  # where reminders and escalations are mailed


class ApiTokenRow(Base):
    """A personal API token; only its SHA-256 is stored, the token itself is shown once."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime | None]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    expires_at: Mapped[datetime | None]  # None only for tokens made before tokens expired (revision 0003)


class SignInRow(Base):
    """A browser session: the cookie carries a random key, the database its SHA-256. Signing out ends it
    here, so a copy of the cookie is worth nothing afterwards; it ends by itself ``SESSION_HOURS`` after."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    started_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(64))


class SignInAttemptRow(Base):
    """A try to sign in with a password: what throttles guessing (engine.services.sign_in)."""

    __tablename__ = "sign_in_attempts"
    __table_args__ = (Index("ix_sign_in_attempts_username", "username", "at"),
                      Index("ix_sign_in_attempts_address", "address", "at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(120))  # as tried, lower case
    address: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(20))  # pending (counted, password not yet checked), succeeded, failed
    device_id: Mapped[int | None]  # the known device (SignInDeviceRow) the try came from, if any (revision 0004)


class SignInTurnRow(Base):
    """One row per username and one per address tried lately, each try's first write: it locks the row until
    its transaction ends, so tries for one name, or from one address, are counted one at a time."""

    __tablename__ = "sign_in_turns"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # "name:…" or "address:…"
    at: Mapped[datetime] = mapped_column(index=True)  # the last try's; a day later the row is forgotten


class SignInDeviceRow(Base):
    """A browser someone signed in from: its cookie carries a random token, this row its SHA-256. A try that
    presents it is not stopped by the lock on the name that strangers' guesses set (engine.services.sign_in)."""

    __tablename__ = "sign_in_devices"
    __table_args__ = (Index("ix_sign_in_devices_username_token", "username", "token_hash", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(120))  # lower case, as the throttle counts names
    token_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime] = mapped_column(index=True)


class InvitationRow(Base):
    """A one-time link to set one's password: sent when a person is invited or an administrator resets it.
    Only the token's SHA-256 is kept; the link works once, until ``expires_at``."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))  # "invite" or "reset"
    created_by: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]

