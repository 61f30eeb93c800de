"""Tables of processes: definitions and their bundles, instances, task rows, incidents, escalations.

The workflow state of an instance is one JSON document; everything people query (worklists, due dates,
incidents, history) is a plain indexed row.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import uuid4

from sqlalchemy import (
    JSON,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import (
    Mapped,
    deferred,
    mapped_column,
    relationship,
)

from engine.store.base import Base


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
    #: The province whose work this is (its plan's): what every read and step is scoped by.
    province: Mapped[str | None] = mapped_column(String(20))
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
