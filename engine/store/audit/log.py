"""The audit log's repository: events wait in the unit of work and are chained when it commits.

``append`` keeps an event in memory; ``seal``, called by ``UnitOfWork.commit``
just before the database commit, locks the chain's head row, numbers the
events after it, fills what the engine knows of each (the actor's agency,
the plan and item of the instance, the evidence hashes), links and hashes
them, and inserts them. The head row is held only from there to the commit,
so transactions wait for each other only that long, and two of them can never
give two events the same number or link both to the same predecessor.
"""
from __future__ import annotations

import json
import queue
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Iterator

from sqlalchemy import Text, bindparam, func, insert, inspect, or_, select
from sqlalchemy.orm.util import identity_key

from engine.model.actors import ENGINE_ACTORS, Actor
from engine.model.audit_chain import GENESIS, event_hash, evidence_hashes
from engine.store import kept
from engine.store.audit.tables import AuditHeadRow, AuditRow
from engine.store.people.tables import UserRow
from engine.store.plans.tables import AgencyRow, PlanItemRow, PlanRow
from engine.store.processes.tables import InstanceRow


@dataclass(frozen=True)
class AuditFilter:
    plan_id: int | None = None
    item_id: int | None = None
    instance_id: int | None = None
    task_id: str | None = None
    agency: str | None = None
    actor: str | None = None
    action: str | None = None  # exact, or a prefix ending in "." (task.)
    since: datetime | None = None
    until: datetime | None = None
    #: The events of these provinces' work only: of their plans' instances, or made by people of their agencies.
    provinces: frozenset[str] | None = None


#: The actions that change the agency directory or its provinces.
DIRECTORY_ACTIONS = ("directory.national_loaded", "agencies.imported", "agency.added", "agency.renamed",
                     "agency.retired", "agency.merged", "agency.reach_set", "province.onboarded")
_UNREAD = object()
_ITEMS_OF_INSTANCES = (select(InstanceRow.id, PlanItemRow.id, PlanItemRow.plan_id)
                       .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
                       .where(InstanceRow.id.in_(bindparam("ids", expanding=True))))


_HEAD = AuditHeadRow.__table__
_LOCK_HEAD = _HEAD.update().where(_HEAD.c.id == 1).values(seq=_HEAD.c.seq).returning(_HEAD.c.seq, _HEAD.c.hash)
_MOVE_HEAD = _HEAD.update().where(_HEAD.c.id == 1).values(seq=bindparam("new_seq"), hash=bindparam("new_hash"))
_INSERT_EVENTS = insert(AuditRow.__table__)


class Audit:
    def __init__(self, session) -> None:
        self.session = session
        self.pending: list[AuditRow] = []
        self._agencies: dict[str, str | None] = dict.fromkeys(ENGINE_ACTORS)

    def append(self, at: datetime, actor: str, action: str, instance_id: int | None = None,
               task_id: str | None = None, data: dict[str, Any] | None = None) -> AuditRow:
        """An event of this unit of work; it is numbered, chained and written when the work commits."""
        row = AuditRow(at=at, actor=actor, action=action, instance_id=instance_id, task_id=task_id,
                       data=data or {})
        self.pending.append(row)
        return row

    def knows(self, actor: Actor) -> None:
        """The agency ``actor`` acts for (read with its sign-in, or named by a script): the seal records it on
        the actor's events without asking the users table."""
        self._agencies[actor.name] = actor.agency

    def seal(self) -> None:
        """Number, complete, chain and insert the pending events (inside the transaction, before commit).

        At most five statements whatever the number of events: the head locked and read, the agencies of
        actors not known already (``knows``), the instances' items, the events, the head moved on.
        """
        if not self.pending:
            return
        rows, self.pending = self.pending, []
        self.session.flush()  # the step's rows first: new instances must be there for their items
        seq, last_hash = self._locked_head()
        agencies = self._agencies_of({row.actor for row in rows})
        items = self._items_of({row.instance_id for row in rows if row.instance_id is not None})
        records = []
        for row in rows:
            item_id, plan_id = items.get(row.instance_id, (None, None))
            # What is hashed is exactly what the JSON column gives back (tuples as lists, keys as text).
            data = json.loads(json.dumps(row.data if isinstance(row.data, dict) else {}))
            seq += 1
            row.seq, row.prev_hash = seq, last_hash
            row.actor_agency = agencies.get(row.actor)
            row.item_id = item_id
            row.plan_id = plan_id if plan_id is not None else _int(data.get("plan"))
            row.evidence = evidence_hashes(data)
            row.data = data
            record = row.record()
            row.hash = last_hash = record["hash"] = event_hash(record)
            records.append(record)
        self.session.execute(_INSERT_EVENTS, records)
        self.session.execute(_MOVE_HEAD, {"new_seq": seq, "new_hash": last_hash})

    def discard(self) -> None:
        self.pending = []

    def _locked_head(self) -> tuple[int, str]:
        """The head's sequence number and hash, locked to the end of the transaction, in one statement (on
        SQLite the UPDATE also takes the write lock before the read, so the head read is the newest)."""
        head = self.session.execute(_LOCK_HEAD).first()
        if head is None:  # a database made before the head row was: start it, once, whoever gets there first
            ensure_head(self.session.connection())
            head = self.session.execute(_LOCK_HEAD).first()
        return head.seq, head.hash

    def _agencies_of(self, names: set[str]) -> dict[str, str | None]:
        unknown = names - self._agencies.keys()
        if unknown:
            self._agencies.update(dict.fromkeys(unknown))
            self._agencies.update(self.session.execute(select(UserRow.username, UserRow.agency)
                                                       .where(UserRow.username.in_(unknown))).all())
        return self._agencies

    def _items_of(self, instance_ids: set[int]) -> dict[int, tuple[int, int]]:
        """The plan item and plan of each instance, from the rows this session holds where it can.

        An instance's item is set when it starts and an item's plan when the plan is made; neither changes
        nor is deleted, so what this process read once of an item's plan it keeps (``kept``).
        """
        if not instance_ids:
            return {}
        plans = kept.known(self.session, "plan_of_item")
        found, unknown = {}, set()
        for instance_id in instance_ids:
            row = self.session.identity_map.get(identity_key(InstanceRow, instance_id))
            item_id = row.__dict__.get("plan_item_id", _UNREAD) if row is not None else _UNREAD
            if item_id is None:
                continue  # an instance of no plan
            if item_id is _UNREAD or item_id not in plans:
                unknown.add(instance_id)
            else:
                found[instance_id] = (item_id, plans[item_id])
        if unknown:
            rows = self.session.execute(_ITEMS_OF_INSTANCES, {"ids": list(unknown)})
            for instance_id, item_id, plan_id in rows:
                found[instance_id] = (item_id, plan_id)
                kept.learn(self.session, "plan_of_item", item_id, plan_id)
        return found

    # --- reading ---------------------------------------------------------
    def for_instance(self, instance_id: int) -> list[AuditRow]:
        return list(self.session.scalars(
            select(AuditRow).where(AuditRow.instance_id == instance_id).order_by(AuditRow.seq)))

    def since(self, event_id: int, actions: tuple[str, ...]) -> list[AuditRow]:
        """Events after ``event_id`` whose action is one of ``actions``, oldest first."""
        return list(self.session.scalars(select(AuditRow).where(AuditRow.seq > event_id, AuditRow.action.in_(actions))
                                         .order_by(AuditRow.seq)))

    def last_id(self) -> int:
        return self.session.scalar(select(func.max(AuditRow.seq))) or 0

    def kept(self) -> bool:
        """Whether the database has the log's table yet (a new database, before ``db upgrade``, has none)."""
        return inspect(self.session.connection()).has_table(AuditRow.__tablename__)

    def head(self) -> tuple[int, str]:
        head = self.session.get(AuditHeadRow, 1)
        return (head.seq, head.hash) if head else (0, GENESIS)

    def filtered(self, where: AuditFilter, after_seq: int = 0, limit: int = 100) -> list[AuditRow]:
        """Events matching ``where`` after sequence number ``after_seq``, oldest first, at most ``limit``."""
        query = select(AuditRow).where(AuditRow.seq > after_seq)
        for column, value in ((AuditRow.plan_id, where.plan_id), (AuditRow.item_id, where.item_id),
                              (AuditRow.instance_id, where.instance_id), (AuditRow.task_id, where.task_id),
                              (AuditRow.actor_agency, where.agency), (AuditRow.actor, where.actor)):
            if value is not None:
                query = query.where(column == value)
        if where.action:
            query = query.where(AuditRow.action.startswith(where.action, autoescape=True)
                                if where.action.endswith(".") else AuditRow.action == where.action)
        if where.since is not None:
            query = query.where(AuditRow.at >= where.since)
        if where.until is not None:
            query = query.where(AuditRow.at <= where.until)
        if where.provinces is not None:
            provinces = sorted(where.provinces)
            query = query.where(or_(
                AuditRow.instance_id.in_(select(InstanceRow.id).where(InstanceRow.province.in_(provinces))),
                AuditRow.plan_id.in_(select(PlanRow.id).where(PlanRow.province.in_(provinces))),
                AuditRow.actor_agency.in_(select(AgencyRow.code).where(AgencyRow.province.in_(provinces)))))
        return list(self.session.scalars(query.order_by(AuditRow.seq).limit(limit)))

    def stored_in_order(self, batch: int = 20_000) -> Iterator[tuple]:
        """Every event as stored, in sequence order, a batch at a time, converted by nothing but the driver:
        FIELDS in order with ``at`` as the chain writes it (UTC, microseconds, Z) and ``data`` and
        ``evidence`` as their JSON text, then the stored hash. The verifier's walk over millions of events."""
        postgres = self.session.get_bind().dialect.name == "postgresql"
        at = ("to_char(at at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')" if postgres
              else "substr(at, 1, 10) || 'T' || substr(at, 12, 15) || 'Z'")  # stored as 'YYYY-MM-DD HH:MM:SS.ffffff'
        json_text, mark = ("::text", "%s") if postgres else ("", "?")
        statement = (f"select seq, {at}, actor, actor_agency, action, plan_id, item_id, instance_id, task_id, "
                     f"data{json_text}, evidence{json_text}, prev_hash, hash from audit_log "
                     f"where seq > {mark} order by seq limit {mark}")
        cursor = self.session.connection().connection.cursor()  # the driver's own: no result rows to build

        def batches() -> Iterator[list[tuple]]:
            after = 0
            while True:
                cursor.execute(statement, (after, batch))
                rows = cursor.fetchall()
                if not rows:
                    return
                yield rows
                after = rows[-1][0]

        # PostgreSQL builds the next batch on another core while this one is checked; SQLite's connection
        # belongs to this thread.
        reading = _ahead(batches()) if postgres else batches()
        try:
            for rows in reading:
                yield from rows
        finally:
            reading.close()  # the reading thread has stopped before its cursor closes
            cursor.close()

    def directory_mark(self) -> int:
        """The number of the last event that changed the directory (every change of it is audited): what the
        directory as a whole is as of, for keeping it between requests."""
        return self.session.scalar(select(func.max(AuditRow.seq)).where(AuditRow.action.in_(DIRECTORY_ACTIONS))) or 0

    def about_agency(self, code: str, limit: int = 200) -> list[dict[str, Any]]:
        """The directory's events that name ``code`` (added, renamed, merged, retired, imported), oldest first."""
        query = (select(AuditRow).where(AuditRow.action.startswith("agency"), AuditRow.data.cast(Text)
                                        .contains(f'"{code}"', autoescape=True))
                 .order_by(AuditRow.seq).limit(limit))
        return [{"seq": row.seq, "at": row.at, "actor": row.actor, "action": row.action, "data": row.data}
                for row in self.session.scalars(query)]

    def record(self, seq: int) -> dict[str, Any]:
        """One event's chained fields and hash, read through the ORM's own conversions."""
        return self.session.get(AuditRow, seq).record()


def _ahead(items: Iterator[Any]) -> Iterator[Any]:
    """``items``, each produced in a thread while the one before is used (one at most waits, done)."""
    ready: queue.Queue = queue.Queue(maxsize=1)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for item in items:
                if stop.is_set():
                    return
                ready.put(item)
            ready.put(done)
        except BaseException as error:  # handed over, raised where the items are used
            ready.put(error)

    worker = threading.Thread(target=produce, name="audit-read-ahead", daemon=True)
    worker.start()
    try:
        while (item := ready.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        while worker.is_alive():  # let a producer blocked on a full queue finish
            try:
                ready.get_nowait()
            except queue.Empty:
                worker.join(timeout=0.05)


def ensure_head(connection) -> None:
    """The chain's head row, started from the log's last event (or the genesis) unless it is there."""
    last = connection.execute(select(AuditRow.seq, AuditRow.hash).order_by(AuditRow.seq.desc()).limit(1)).first()
    values = {"id": 1, "seq": last.seq if last else 0, "hash": last.hash if last else GENESIS}
    if connection.dialect.name == "postgresql":  # each dialect's own upsert, loaded when a schema is made
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    connection.execute(dialect_insert(AuditHeadRow).values(**values).on_conflict_do_nothing())


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None
