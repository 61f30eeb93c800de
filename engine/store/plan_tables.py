"""Tables of the plan side: the agency directory, templates, plans and their items."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, deferred, mapped_column, relationship

from engine.store.tables import Base


class AgencyRow(Base):
    __tablename__ = "agencies"

    code: Mapped[str] = mapped_column(String(60), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    province: Mapped[str] = mapped_column(String(20), index=True)
    parent: Mapped[str | None] = mapped_column(String(60))
    groups: Mapped[list[Any]] = mapped_column(JSON)
    aliases: Mapped[list[Any]] = mapped_column(JSON)


class PlanTemplateRow(Base):
    """One version of a template; a plan keeps the version it was launched from."""

    __tablename__ = "plan_templates"
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "content_hash"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), index=True)
    version: Mapped[int]
    name: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    source: Mapped[str] = deferred(mapped_column(Text))
    data: Mapped[dict[str, Any]] = mapped_column(JSON)
    registered_at: Mapped[datetime]
    registered_by: Mapped[str] = mapped_column(String(120))


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("plan_templates.id"), index=True)
    symbol: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    issuer: Mapped[str] = mapped_column(String(60))
    province: Mapped[str] = mapped_column(String(20))
    standing_body: Mapped[str] = mapped_column(String(60))
    parameters: Mapped[dict[str, Any]]
    idempotency_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    parent_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", use_alter=True), index=True)
    launched_at: Mapped[datetime]
    launched_by: Mapped[str] = mapped_column(String(120))

    template: Mapped[PlanTemplateRow] = relationship(lazy="joined")


class PlanItemRow(Base):
    __tablename__ = "plan_items"
    __table_args__ = (Index("ix_plan_items_plan", "plan_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"))
    position: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20))
    parent_number: Mapped[str | None] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    process_key: Mapped[str | None] = mapped_column(String(200))
    lead_agency: Mapped[str | None] = mapped_column(String(60))
    performers: Mapped[list[Any]]
    coordinating: Mapped[list[Any]]
    schedule: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    outputs: Mapped[list[Any]]
    sub_plan_required: Mapped[bool] = mapped_column(Boolean, default=False)
    sub_plan_template: Mapped[str | None] = mapped_column(String(100))
    note: Mapped[str | None] = mapped_column(Text)
    #: The plan's symbol and title and the item's number and title, folded (``engine.search``) for worklist search.
    search_text: Mapped[str] = mapped_column(Text, default="")


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
    outcome: Mapped[str] = mapped_column(String(20))  # succeeded or failed


class EvidenceRow(Base):
    """A file attached to a task as evidence; the bytes live in the evidence store by SHA-256."""

    __tablename__ = "evidence"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("human_tasks.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    content_type: Mapped[str] = mapped_column(String(120))
    file_name: Mapped[str] = mapped_column(String(300))
    uploaded_by: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime]


class ExtensionRow(Base):
    """An agency's request to move a task's deadline (gia hạn), and the standing body's decision on it."""

    __tablename__ = "extension_requests"
    __table_args__ = (Index("ix_extensions_status", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[str] = mapped_column(ForeignKey("human_tasks.id"), index=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plans.id"), index=True)
    agency: Mapped[str] = mapped_column(String(60))
    requested_by: Mapped[str] = mapped_column(String(120))
    requested_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(Text)
    due_before: Mapped[datetime]  # the deadline when it was asked
    requested_until: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20))  # pending | granted | refused
    decided_by: Mapped[str | None] = mapped_column(String(120))
    decided_at: Mapped[datetime | None]
    decision_reason: Mapped[str | None] = mapped_column(Text)
    granted_until: Mapped[datetime | None]
