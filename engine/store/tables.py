"""SQLAlchemy tables: process definitions, instances, task rows, incidents, audit.

The workflow state of an instance is one JSON document; everything people
query (worklists, due dates, incidents, history) is a plain indexed row.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from uuid import uuid4

from sqlalchemy import (
    JSON,
    event,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    deferred,
    mapped_column,
    relationship,
    synonym,
)


class UtcDateTime(TypeDecorator):
    """Timezone-aware datetimes on every backend (SQLite stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use the engine clock")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UtcDateTime, dict[str, Any]: JSON, list[Any]: JSON}


class BundleRow(Base):
    """BPMN files deployed together, stored once and identified by their content."""

    __tablename__ = "definition_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Loaded only when a bundle is parsed for the first time in a process.
    files: Mapped[dict[str, Any]] = deferred(mapped_column(JSON))
    deployed_at: Mapped[datetime]
    deployed_by: Mapped[str] = mapped_column(String(120))


class DefinitionRow(Base):
    """One version of one startable process (or collaboration) of a bundle."""

    __tablename__ = "process_definitions"
    __table_args__ = (UniqueConstraint("key", "version"), UniqueConstraint("key", "bundle_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), index=True)
    version: Mapped[int]
    name: Mapped[str | None] = mapped_column(String(500))
    bundle_id: Mapped[int] = mapped_column(ForeignKey("definition_bundles.id"))
    deployed_at: Mapped[datetime]

    bundle: Mapped[BundleRow] = relationship(lazy="select")  # needed only to parse the BPMN once


class InstanceRow(Base):
    __tablename__ = "process_instances"
    __table_args__ = (Index("ix_instances_due", "status", "next_timer_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Unique across databases: the key of the in-memory workflow cache.
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=lambda: uuid4().hex)
    definition_id: Mapped[int] = mapped_column(ForeignKey("process_definitions.id"), index=True)
    business_key: Mapped[str | None] = mapped_column(String(200), index=True)
    # For the instances of a plan item: which item, and the agency it runs for.
    plan_item_id: Mapped[int | None] = mapped_column(ForeignKey("plan_items.id", use_alter=True), index=True)
    agency: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))  # running | completed
    state: Mapped[str] = mapped_column(Text)
    state_format: Mapped[str] = mapped_column(String(40))
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    next_timer_at: Mapped[datetime | None]
    waiting_for: Mapped[list[Any]]
    completed_elements: Mapped[list[Any]]
    active_elements: Mapped[list[Any]] = mapped_column(JSON, default=list)
    started_at: Mapped[datetime]
    updated_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    started_by: Mapped[str] = mapped_column(String(120))
    open_incidents: Mapped[int] = mapped_column(Integer, default=0)
    #: How many steps have been written (start included): task rows say in which step they came and went,
    #: so that the order of a review loop never depends on clock readings (a fixed clock reads the same).
    steps: Mapped[int] = mapped_column(Integer, default=0)

    definition: Mapped[DefinitionRow] = relationship(lazy="joined")

    __mapper_args__ = {"version_id_col": version}


class TaskRow(Base):
    """A user task as people see it: one row per task the workflow made ready."""

    __tablename__ = "human_tasks"
    __table_args__ = (
        Index("ix_tasks_worklist", "assigned_agency", "status", "due_at"),
        Index("ix_tasks_instance", "instance_id", "status"),
        Index("ix_tasks_due", "status", "due_at"),  # the worker's deadline round, across every agency
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"))
    element_id: Mapped[str] = mapped_column(String(200))
    name: Mapped[str] = mapped_column(String(500))
    lane: Mapped[str | None] = mapped_column(String(200))
    assigned_agency: Mapped[str | None] = mapped_column(String(120))
    form_key: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20))  # ready | completed | cancelled
    due_at: Mapped[datetime | None]
    created_at: Mapped[datetime]
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    completed_at: Mapped[datetime | None]
    completed_by: Mapped[str | None] = mapped_column(String(120))
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_step: Mapped[int] = mapped_column(Integer, default=0)  # the instance's step that made it ready
    completed_step: Mapped[int | None] = mapped_column(Integer)  # … and the one that completed or cancelled it

    # Declared so that a flush writes the instance (and its version check) before its task rows.
    instance: Mapped["InstanceRow"] = relationship(lazy="raise", viewonly=False)


class IncidentRow(Base):
    """A step that failed inside a process; the instance stayed as it was."""

    __tablename__ = "incidents"
    __table_args__ = (Index("ix_incidents_open", "status", "instance_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"))
    status: Mapped[str] = mapped_column(String(20))  # open | resolved
    action: Mapped[str] = mapped_column(String(40))  # what was being done: complete_task, fire_timers …
    request: Mapped[dict[str, Any]]  # what is needed to retry it
    element_id: Mapped[str | None] = mapped_column(String(200))
    error_type: Mapped[str] = mapped_column(String(200))
    message: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime]
    resolved_at: Mapped[datetime | None]
    resolved_by: Mapped[str | None] = mapped_column(String(120))


class EscalationRow(Base):
    """An escalation a process raised (a deadline passed), for coordinators to act on."""

    __tablename__ = "escalations"

    id: Mapped[int] = mapped_column(primary_key=True)
    instance_id: Mapped[int] = mapped_column(ForeignKey("process_instances.id"), index=True)
    code: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(500))
    raised_at: Mapped[datetime]


class AuditRow(Base):
    """One event of the audit log: append-only (the database refuses updates and deletes), numbered without
    gaps in the order written and hash-chained to the event before (``engine.audit_chain``).

    The sequence number, the actor's agency, the plan and item, the evidence hashes and the chain are
    filled when the transaction that wrote the event commits (``UnitOfWork.commit``)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_plan", "plan_id", "seq"),
        Index("ix_audit_instance", "instance_id", "seq"),
        Index("ix_audit_actor", "actor", "seq"),
        Index("ix_audit_agency", "actor_agency", "seq"),
        Index("ix_audit_action", "action", "seq"),
        Index("ix_audit_at", "at"),
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(120))
    actor_agency: Mapped[str | None] = mapped_column(String(60))
    action: Mapped[str] = mapped_column(String(60))
    plan_id: Mapped[int | None] = mapped_column(Integer)
    item_id: Mapped[int | None] = mapped_column(Integer, index=True)
    instance_id: Mapped[int | None] = mapped_column(Integer)
    task_id: Mapped[str | None] = mapped_column(String(36), index=True)
    data: Mapped[dict[str, Any]]
    evidence: Mapped[list[Any]]
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    id = synonym("seq")  # the event's number, as older code and the API call it

    def record(self) -> dict[str, Any]:
        """The event's chained fields (engine.audit_chain.FIELDS) and its hash."""
        return {"seq": self.seq, "at": self.at, "actor": self.actor, "actor_agency": self.actor_agency,
                "action": self.action, "plan_id": self.plan_id, "item_id": self.item_id,
                "instance_id": self.instance_id, "task_id": self.task_id, "data": self.data,
                "evidence": self.evidence, "prev_hash": self.prev_hash, "hash": self.hash}


class AuditHeadRow(Base):
    """The end of the chain: the last sequence number and hash, one row, locked by each transaction that
    appends so that events are numbered and linked one after another whatever runs at once."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    hash: Mapped[str] = mapped_column(String(64))


_APPEND_ONLY = "audit_log is append-only: its events are never changed or removed"


@event.listens_for(AuditRow.__table__, "after_create")
def _refuse_changes(target, connection, **kwargs) -> None:
    """Triggers that make the database itself refuse UPDATE and DELETE (and TRUNCATE) of audit events."""
    if connection.dialect.name == "sqlite":
        for verb in ("UPDATE", "DELETE"):
            connection.exec_driver_sql(
                f"CREATE TRIGGER audit_log_no_{verb.lower()} BEFORE {verb} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{_APPEND_ONLY}'); END")
    elif connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION planflow_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{_APPEND_ONLY}'; END $$")
        connection.exec_driver_sql(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION planflow_audit_append_only()")
        connection.exec_driver_sql(
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
            "FOR EACH STATEMENT EXECUTE FUNCTION planflow_audit_append_only()")