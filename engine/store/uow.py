"""The unit of work: one transaction per use case, committed once or not at all."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, select, text, update
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, joinedload, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from engine.errors import Conflict, Duplicate, Invalid, NotFound, Unavailable
from engine.i18n import t
from engine.store.audit_log import Audit
from engine.store.notice_repositories import Notifications, Outbox, Reminders
from engine.store.plan_tables import PlanItemRow, PlanRow
from engine.store.plan_repositories import Agencies, Evidence, Extensions, Plans, Templates, Tokens, Users
from engine.store.worklists import Worklists
from engine.store.repository import Repository, not_found
from engine.store.tables import BundleRow, EscalationRow, TaskRow, IncidentRow, DefinitionRow, InstanceRow


class UnitOfWork:
    """``with uow:`` opens a session; leaving without ``commit()`` rolls back.

    The database's own errors leave it as the domain's: a row changed by
    another transaction meanwhile is a ``Conflict``, a unique key taken at the
    same moment a ``Duplicate``, a busy or unreachable database ``Unavailable``,
    a value the column cannot hold ``Invalid``.
    No service needs to know SQLAlchemy's exceptions.
    """

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions
        self.session: Session | None = None

    def __enter__(self) -> "UnitOfWork":
        self.session = self._sessions()
        self._committed = False
        self.definitions = Definitions(self.session)
        self.instances = Instances(self.session)
        self.tasks = Tasks(self.session)
        self.worklists = Worklists(self.session)
        self.notifications = Notifications(self.session)
        self.outbox = Outbox(self.session)
        self.reminders = Reminders(self.session)
        self.incidents = Incidents(self.session)
        self.audit = Audit(self.session)
        self.agencies = Agencies(self.session)
        self.templates = Templates(self.session)
        self.plans = Plans(self.session)
        self.users = Users(self.session)
        self.tokens = Tokens(self.session)
        self.evidence = Evidence(self.session)
        self.extensions = Extensions(self.session)
        return self

    def __exit__(self, exc_type, error, traceback) -> None:
        # Closing rolls back whatever was not committed. Rows read here stay readable
        # (detached, not expired); rows changed in a rolled-back block must not be used.
        self.audit.discard()
        self.session.close()
        self.session = None
        translated = domain_error(error)
        if translated is not None:
            raise translated from error

    def commit(self) -> None:
        """Commit, the audit events of the work chained onto the log first (``Audit.seal``)."""
        try:
            self.audit.seal()
            self.session.commit()
        except (StaleDataError, IntegrityError, OperationalError, DataError) as error:
            self.session.rollback()
            self.audit.discard()
            raise domain_error(error) from error
        self._committed = True

    def flush(self) -> None:
        """Write what is pending (to get generated ids); a key taken meanwhile raises ``Duplicate`` here."""
        try:
            self.session.flush()
        except (StaleDataError, IntegrityError, OperationalError, DataError) as error:
            self.session.rollback()
            raise domain_error(error) from error

    def rollback(self) -> None:
        self.session.rollback()
        self.audit.discard()


def domain_error(error: BaseException | None) -> Exception | None:
    """The domain error a database error stands for, or None if it is none of the database's."""
    if isinstance(error, StaleDataError):
        return Conflict(t("this was changed by someone else at the same moment (a task completed, a timer fired); "
                          "reload and check before trying again"))
    if isinstance(error, IntegrityError):
        return Duplicate(t("this change collided with another made at the same moment and was not saved; reload "
                           "and try again"))
    if isinstance(error, OperationalError):
        return Unavailable(t("the database is busy or unreachable; try again shortly"))
    if isinstance(error, DataError):  # a number or text the column cannot hold, let through by a check
        return Invalid(t("a value is beyond what can be stored (a number too large, a text too long)"))
    return None


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
