"""Tables of the audit log: its events (append-only, enforced by the database) and the head of the chain."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    Index,
    Integer,
    String,
    event,
)
from sqlalchemy.orm import (
    Mapped,
    mapped_column,
    synonym,
)

from engine.store.base import Base


class AuditRow(Base):
    """One event of the audit log: append-only (the database refuses updates and deletes), numbered without
    gaps in the order written and hash-chained to the event before (``engine.model.audit_chain``).

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
        """The event's chained fields (engine.model.audit_chain.FIELDS) and its hash."""
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
