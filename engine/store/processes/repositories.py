"""Queries of processes: definitions and bundles, instances, task rows, incidents; evidence files and
extension requests."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, case, func, or_, select, text, update
from sqlalchemy.orm import joinedload

from engine.errors import NotFound
from engine.i18n import t
from engine.store.base import Repository, not_found
from engine.store.plans.tables import PlanItemRow, PlanRow
from engine.store.processes.tables import (
    BundleRow,
    DefinitionRow,
    EscalationRow,
    EvidenceRow,
    ExtensionRow,
    IncidentRow,
    InstanceRow,
    TaskRow,
)

# The statements of every step and every task form, built once (building costs more than running them).
_TASK_WITH_INSTANCE = select(TaskRow).where(TaskRow.id == bindparam("task_id")).options(joinedload(TaskRow.instance))


_OPEN_OF_INSTANCE = select(TaskRow).where(TaskRow.instance_id == bindparam("instance_id"), TaskRow.status == "ready")


_TASKS_OF_THE_INSTANCE_OF = (
    select(TaskRow).where(TaskRow.instance_id == select(TaskRow.instance_id)
                          .where(TaskRow.id == bindparam("task_id")).scalar_subquery())
    .order_by(TaskRow.created_step, TaskRow.created_at))


_INSTANCE_ITEM_AND_PLAN = (select(InstanceRow, PlanItemRow, PlanRow)
                           .outerjoin(PlanItemRow, PlanItemRow.id == InstanceRow.plan_item_id)
                           .outerjoin(PlanRow, PlanRow.id == PlanItemRow.plan_id)
                           .where(InstanceRow.id == bindparam("instance_id")))


class Definitions(Repository):
    def bundle_by_hash(self, content_hash: str) -> BundleRow | None:
        return self.session.scalars(
            select(BundleRow).where(BundleRow.content_hash == content_hash)).first()

    def bundle(self, bundle_id: int) -> BundleRow:
        return self.session.get(BundleRow, bundle_id)

    def latest(self, key: str) -> DefinitionRow:
        row = self.session.scalars(
            select(DefinitionRow).where(DefinitionRow.key == key).order_by(DefinitionRow.version.desc())
        ).first()
        if row is None:
            raise NotFound(t("no process '%(key)s' has been deployed", key=key))
        return row

    def for_bundle(self, key: str, bundle_id: int) -> DefinitionRow | None:
        return self.session.scalars(
            select(DefinitionRow).where(DefinitionRow.key == key, DefinitionRow.bundle_id == bundle_id)
        ).first()

    def next_version(self, key: str) -> int:
        current = self.session.scalar(select(func.max(DefinitionRow.version)).where(DefinitionRow.key == key))
        return (current or 0) + 1

    def get(self, definition_id: int) -> DefinitionRow:
        return self._must_get(DefinitionRow, definition_id, "process definition")

    def all_latest(self) -> list[DefinitionRow]:
        newest = select(DefinitionRow.key, func.max(DefinitionRow.version).label("version")).group_by(
            DefinitionRow.key).subquery()
        return list(self.session.scalars(
            select(DefinitionRow).join(newest, (DefinitionRow.key == newest.c.key)
                                           & (DefinitionRow.version == newest.c.version))
            .order_by(DefinitionRow.key)))


class Instances(Repository):
    def get(self, instance_id: int) -> InstanceRow:
        return self._must_get(InstanceRow, instance_id, "process instance")

    def with_item_and_plan(self, instance_id: int) -> tuple[InstanceRow, PlanItemRow | None, PlanRow | None]:
        """The instance with the plan item it runs for and that item's plan (None, None for an instance of no
        plan), in one statement."""
        found = self.session.execute(_INSTANCE_ITEM_AND_PLAN, {"instance_id": instance_id}).first()
        if found is None:
            raise not_found("process instance", instance_id)
        instance, item, plan = found
        return instance, item, plan

    def reserve_ids(self, count: int) -> list[int]:
        """``count`` ids for instances this transaction will add, taken in one statement, so that a plan
        launch inserts its thousands of instances together instead of one at a time for their ids.

        PostgreSQL takes them from the table's sequence (never handed out twice, even if this transaction
        rolls back). SQLite numbers rows after the largest id; it must hold the write lock already (this
        transaction wrote before), so no other writer can take the same numbers meanwhile.
        """
        if count <= 0:
            return []
        if self.session.get_bind().dialect.name == "postgresql":
            return list(self.session.scalars(text(
                "select nextval(pg_get_serial_sequence('process_instances', 'id')) from generate_series(1, :n)"),
                {"n": count}))
        self.session.flush()
        last = self.session.scalar(select(func.max(InstanceRow.id))) or 0
        return list(range(last + 1, last + 1 + count))

    def due(self, now: datetime, limit: int) -> list[int]:
        return list(self.session.scalars(
            select(InstanceRow.id)
            .where(InstanceRow.status == "running", InstanceRow.next_timer_at <= now)
            .order_by(InstanceRow.next_timer_at).limit(limit)))

    def claim_due(self, instance_id: int, now: datetime) -> InstanceRow | None:
        """The instance, locked until this transaction ends, if it is running and its timers are due; None if
        not, or if another worker holds it at this moment (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: that
        worker fires it). SQLite writes one transaction at a time; the row's version guards it there."""
        return self.session.scalars(
            select(InstanceRow).where(InstanceRow.id == instance_id, InstanceRow.status == "running",
                                      InstanceRow.next_timer_at <= now)
            .with_for_update(skip_locked=True, of=InstanceRow)).first()

    def count(self, status: str | None = None) -> int:
        query = select(func.count(InstanceRow.id))
        if status:
            query = query.where(InstanceRow.status == status)
        return self.session.scalar(query)


class Tasks(Repository):
    def get(self, task_id: str) -> TaskRow:
        return self._must_get(TaskRow, str(task_id), "task")

    def get_with_instance(self, task_id: str) -> TaskRow:
        """The task, its instance read in the same statement (a step on the task needs both)."""
        row = self.session.scalars(_TASK_WITH_INSTANCE, {"task_id": str(task_id)}).first()
        if row is None:
            raise not_found("task", task_id)
        return row

    def claim(self, task_id: str, username: str) -> bool:
        """Set the claim if the task is open and unclaimed; False if someone got there first."""
        result = self.session.execute(
            update(TaskRow).where(TaskRow.id == task_id, TaskRow.claimed_by.is_(None),
                                    TaskRow.status == "ready")
            .values(claimed_by=username).execution_options(synchronize_session="fetch"))
        return result.rowcount == 1

    def lock_open(self, task_id: str) -> TaskRow | None:
        """The task, locked until this transaction ends, if it is still open; None if it is not, or if another
        worker holds it at this moment (``FOR UPDATE SKIP LOCKED`` on PostgreSQL)."""
        return self.session.scalars(select(TaskRow).where(TaskRow.id == str(task_id), TaskRow.status == "ready")
                                    .with_for_update(skip_locked=True, of=TaskRow)).first()

    def open_for_instance(self, instance_id: int) -> list[TaskRow]:
        return list(self.session.scalars(_OPEN_OF_INSTANCE, {"instance_id": instance_id}))

    def open_steps_of(self, instance_ids: list[int]) -> list[tuple[int, str | None, str | None, str | None]]:
        """(instance, agency, lane, form) of every open task of these instances, oldest first."""
        if not instance_ids:
            return []
        return [tuple(row) for row in self.session.execute(
            select(TaskRow.instance_id, TaskRow.assigned_agency, TaskRow.lane, TaskRow.form_key)
            .where(TaskRow.instance_id.in_(sorted(set(instance_ids))), TaskRow.status == "ready")
            .order_by(TaskRow.created_at, TaskRow.id))]

    def last_completed(self, instance_id: int, up_to_step: int, form_keys: list[str], lanes: list[str],
                       known_form_keys: list[str]) -> TaskRow | None:
        """The task completed last by step ``up_to_step`` with one of ``form_keys`` or, for a task whose
        form is not one of ``known_form_keys`` (BPMN from other tools), in one of ``lanes``."""
        unknown_form = TaskRow.form_key.is_(None) | TaskRow.form_key.not_in(known_form_keys)
        return self.session.scalars(
            select(TaskRow).where(TaskRow.instance_id == instance_id, TaskRow.status == "completed",
                                    TaskRow.completed_step <= up_to_step,
                                    TaskRow.form_key.in_(form_keys) | (unknown_form & TaskRow.lane.in_(lanes)))
            .order_by(TaskRow.completed_step.desc()).limit(1)).first()

    def completed_of_instances(self, instance_ids: list[int]) -> list[TaskRow]:
        if not instance_ids:
            return []
        return list(self.session.scalars(
            select(TaskRow).where(TaskRow.instance_id.in_(instance_ids), TaskRow.status == "completed")
            .order_by(TaskRow.instance_id, TaskRow.completed_step)))

    def of_instances_at(self, instance_ids: list[int], elements: tuple[str, ...]) -> list[TaskRow]:
        """The tasks (any status) of these instances at these BPMN elements, in the order they were asked for."""
        if not instance_ids:
            return []
        return list(self.session.scalars(
            select(TaskRow).where(TaskRow.instance_id.in_(instance_ids), TaskRow.element_id.in_(elements))
            .order_by(TaskRow.instance_id, TaskRow.created_step, TaskRow.created_at)))

    def deadlines_of(self, instance_ids: list[int]) -> list:
        """Each task of these instances with where it stands against its deadline, and not its data: instance_id,
        assigned_agency, lane, form_key, status, due_at, completed_at; in the order they were asked for."""
        if not instance_ids:
            return []
        return list(self.session.execute(
            select(TaskRow.instance_id, TaskRow.assigned_agency, TaskRow.lane, TaskRow.form_key, TaskRow.status,
                   TaskRow.due_at, TaskRow.completed_at)
            .where(TaskRow.instance_id.in_(sorted(set(instance_ids))))
            .order_by(TaskRow.instance_id, TaskRow.created_step, TaskRow.created_at)))

    def rounds_at(self, instance_ids: list[int], elements: tuple[str, ...]) -> list[tuple[int, str | None,
                                                                                       datetime | None,
                                                                                       datetime | None]]:
        """(instance, agency, due, completed: when it was completed, None while it is not) of each task of these
        instances at these BPMN elements, in the order they were asked for: an agency's k-th of an instance is
        its k-th round (a periodic report's, or a period's contribution, k-th period)."""
        if not instance_ids:
            return []
        return [tuple(row) for row in self.session.execute(
            select(TaskRow.instance_id, TaskRow.assigned_agency, TaskRow.due_at,
                   case((TaskRow.status == "completed", TaskRow.completed_at), else_=None))
            .where(TaskRow.instance_id.in_(sorted(set(instance_ids))), TaskRow.element_id.in_(elements))
            .order_by(TaskRow.instance_id, TaskRow.created_step, TaskRow.created_at))]

    def for_instance(self, instance_id: int) -> list[TaskRow]:
        return list(self.session.scalars(
            select(TaskRow).where(TaskRow.instance_id == instance_id)
            .order_by(TaskRow.created_step, TaskRow.created_at)))

    def with_its_instance_s(self, task_id: str) -> tuple[TaskRow, list[TaskRow]]:
        """The task and every task of its instance (itself included), as ``for_instance``, in one statement."""
        task_id = str(task_id)
        rows = list(self.session.scalars(_TASKS_OF_THE_INSTANCE_OF, {"task_id": task_id}))
        row = next((row for row in rows if row.id == task_id), None)
        if row is None:
            raise not_found("task", task_id)
        return row, rows


class Incidents(Repository):
    def get(self, incident_id: int) -> IncidentRow:
        return self._must_get(IncidentRow, incident_id, "incident")

    def open_for_instance(self, instance_id: int) -> list[IncidentRow]:
        return list(self.session.scalars(
            select(IncidentRow).where(IncidentRow.instance_id == instance_id, IncidentRow.status == "open")))

    def open(self) -> list[IncidentRow]:
        return list(self.session.scalars(
            select(IncidentRow).where(IncidentRow.status == "open").order_by(IncidentRow.id)))

    def resolve_for_instance(self, instance_id: int, action: str, at: datetime, by: str) -> None:
        self.session.execute(
            update(IncidentRow).where(IncidentRow.instance_id == instance_id, IncidentRow.status == "open",
                                   IncidentRow.action == action)
            .values(status="resolved", resolved_at=at, resolved_by=by))

    def for_instance(self, instance_id: int) -> list[IncidentRow]:
        return list(self.session.scalars(select(IncidentRow).where(IncidentRow.instance_id == instance_id)
                                         .order_by(IncidentRow.id)))

    def escalation_raised(self, instance_id: int, code: str | None) -> bool:
        return self.session.scalar(select(func.count(EscalationRow.id)).where(
            EscalationRow.instance_id == instance_id, EscalationRow.code == code)) > 0

    def instances_escalated(self, instance_ids: list[int]) -> set[int]:
        if not instance_ids:
            return set()
        return set(self.session.scalars(select(EscalationRow.instance_id).where(
            EscalationRow.instance_id.in_(instance_ids)).distinct()))

    def escalations(self, instance_id: int) -> list[EscalationRow]:
        return list(self.session.scalars(select(EscalationRow).where(EscalationRow.instance_id == instance_id)))


_EVIDENCE_OF_INSTANCE = (select(EvidenceRow).where(EvidenceRow.instance_id == bindparam("instance_id"))
                         .order_by(EvidenceRow.uploaded_at, EvidenceRow.id))  # every task form reads it


class Evidence(Repository):
    def all(self) -> list[EvidenceRow]:
        return list(self.session.scalars(select(EvidenceRow).order_by(EvidenceRow.uploaded_at, EvidenceRow.id)))

    def find(self, evidence_id: str) -> EvidenceRow | None:
        return self.session.get(EvidenceRow, evidence_id)

    def for_instance(self, instance_id: int) -> list[EvidenceRow]:
        return list(self.session.scalars(_EVIDENCE_OF_INSTANCE, {"instance_id": instance_id}))

    def for_task(self, task_id: str) -> list[EvidenceRow]:
        return list(self.session.scalars(select(EvidenceRow).where(EvidenceRow.task_id == task_id)
                                         .order_by(EvidenceRow.uploaded_at, EvidenceRow.id)))


class Extensions(Repository):
    def get(self, request_id: int) -> ExtensionRow:
        return self._must_get(ExtensionRow, request_id, "extension request")

    def pending_for_task(self, task_id: str) -> ExtensionRow | None:
        return self.session.scalars(select(ExtensionRow).where(ExtensionRow.task_id == task_id,
                                                               ExtensionRow.status == "pending")).first()

    def for_task(self, task_id: str) -> list[ExtensionRow]:
        return list(self.session.scalars(select(ExtensionRow).where(ExtensionRow.task_id == task_id)
                                         .order_by(ExtensionRow.id)))

    def granted_until(self, instance_ids: list[int]) -> dict[int, datetime]:
        """The latest deadline granted to each instance (an instance with no grant is not listed)."""
        if not instance_ids:
            return {}
        rows = self.session.execute(
            select(ExtensionRow.instance_id, func.max(ExtensionRow.granted_until))
            .where(ExtensionRow.instance_id.in_(instance_ids), ExtensionRow.status == "granted")
            .group_by(ExtensionRow.instance_id))
        return {instance_id: until for instance_id, until in rows}

    def listed(self, status: str | None, agency: str | None, plan_ids: list[int] | None, limit: int,
               offset: int) -> tuple[list[ExtensionRow], int]:
        """Newest first; with ``agency`` and/or ``plan_ids``, those asked by the agency or about the plans."""
        query = select(ExtensionRow)
        if status:
            query = query.where(ExtensionRow.status == status)
        scopes = ([ExtensionRow.agency == agency] if agency else []) + \
            ([ExtensionRow.plan_id.in_(plan_ids)] if plan_ids is not None else [])
        if scopes:
            query = query.where(or_(*scopes))
        total = self.session.scalar(select(func.count()).select_from(query.subquery()))
        rows = self.session.scalars(query.order_by(ExtensionRow.id.desc()).limit(limit).offset(offset))
        return list(rows), total
