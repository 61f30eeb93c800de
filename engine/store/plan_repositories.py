"""Queries of the plan side: agencies, templates, plans, items and their instances."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, func, inspect, or_, select, update

from engine.errors import NotFound
from engine.store.plan_tables import AgencyRow, ApiTokenRow, EvidenceRow, ExtensionRow, PlanItemRow, PlanRow, PlanTemplateRow, UserRow
from engine.store.repository import Repository
from engine.store.tables import InstanceRow


class Agencies(Repository):
    def loaded(self) -> bool:
        """Whether the database has its schema and an agency directory (a fresh install has neither)."""
        if not inspect(self.session.connection()).has_table(AgencyRow.__tablename__):
            return False
        return self.session.scalars(select(AgencyRow.code).limit(1)).first() is not None

    def all(self) -> list[AgencyRow]:
        return list(self.session.scalars(select(AgencyRow).order_by(AgencyRow.province, AgencyRow.code)))

    def find(self, code: str) -> AgencyRow | None:
        return self.session.get(AgencyRow, code)

    def names(self) -> dict[str, str]:
        return dict(self.session.execute(select(AgencyRow.code, AgencyRow.name)).all())


class Templates(Repository):
    def latest(self, key: str) -> PlanTemplateRow:
        row = self.session.scalars(select(PlanTemplateRow).where(PlanTemplateRow.key == key)
                                   .order_by(PlanTemplateRow.version.desc())).first()
        if row is None:
            raise NotFound(f"no template '{key}' is registered")
        return row

    def by_hash(self, key: str, content_hash: str) -> PlanTemplateRow | None:
        return self.session.scalars(select(PlanTemplateRow).where(
            PlanTemplateRow.key == key, PlanTemplateRow.content_hash == content_hash)).first()

    def next_version(self, key: str) -> int:
        current = self.session.scalar(select(func.max(PlanTemplateRow.version)).where(PlanTemplateRow.key == key))
        return (current or 0) + 1

    def all_latest(self) -> list[PlanTemplateRow]:
        newest = select(PlanTemplateRow.key, func.max(PlanTemplateRow.version).label("version")) \
            .group_by(PlanTemplateRow.key).subquery()
        return list(self.session.scalars(select(PlanTemplateRow).join(
            newest, (PlanTemplateRow.key == newest.c.key) & (PlanTemplateRow.version == newest.c.version))
            .order_by(PlanTemplateRow.key)))


class Plans(Repository):
    def get(self, plan_id: int) -> PlanRow:
        return self._must_get(PlanRow, plan_id, "plan")

    def by_idempotency_key(self, key: str) -> PlanRow | None:
        return self.session.scalars(select(PlanRow).where(PlanRow.idempotency_key == key)).first()

    def all(self, limit: int = 100, offset: int = 0, province: str | None = None) -> list[PlanRow]:
        query = select(PlanRow).order_by(PlanRow.id.desc()).limit(limit).offset(offset)
        return list(self.session.scalars(query.where(PlanRow.province == province) if province else query))

    def summaries(self, province: str | None = None) -> list:
        """(id, symbol, title) of every plan (of one province), newest first, without their templates."""
        query = select(PlanRow.id, PlanRow.symbol, PlanRow.title).order_by(PlanRow.id.desc())
        return list(self.session.execute(query.where(PlanRow.province == province) if province else query))

    def runs_of_plans(self, plan_ids: list[int]) -> list:
        """Each instance of the plans' items with what counting needs, and not its workflow state:
        instance_id, plan_id, symbol, number, title, schedule, agency, completed_at."""
        if not plan_ids:
            return []
        return list(self.session.execute(
            select(InstanceRow.id.label("instance_id"), PlanRow.id.label("plan_id"), PlanRow.symbol,
                   PlanItemRow.number, PlanItemRow.title, PlanItemRow.schedule, InstanceRow.agency,
                   InstanceRow.completed_at)
            .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
            .join(PlanRow, PlanItemRow.plan_id == PlanRow.id)
            .where(PlanRow.id.in_(plan_ids))
            .order_by(PlanRow.id, PlanItemRow.position, InstanceRow.id)))

    def ids_where(self, province: str | None = None, standing_body: str | None = None) -> list[int]:
        query = select(PlanRow.id)
        if province:
            query = query.where(PlanRow.province == province)
        if standing_body:
            query = query.where(PlanRow.standing_body == standing_body)
        return list(self.session.scalars(query))

    def count(self, province: str | None = None) -> int:
        query = select(func.count(PlanRow.id))
        return self.session.scalar(query.where(PlanRow.province == province) if province else query)

    def by_symbol(self, symbol: str, province: str) -> PlanRow | None:
        return self.session.scalars(select(PlanRow).where(PlanRow.symbol == symbol, PlanRow.province == province)
                                    .order_by(PlanRow.id)).first()

    def items(self, plan_id: int) -> list[PlanItemRow]:
        return list(self.session.scalars(
            select(PlanItemRow).where(PlanItemRow.plan_id == plan_id).order_by(PlanItemRow.position)))

    def items_of_plans(self, plan_ids: list[int]) -> list[PlanItemRow]:
        if not plan_ids:
            return []
        return list(self.session.scalars(select(PlanItemRow).where(PlanItemRow.plan_id.in_(plan_ids))
                                         .order_by(PlanItemRow.plan_id, PlanItemRow.position)))

    def item(self, item_id: int) -> PlanItemRow:
        return self._must_get(PlanItemRow, item_id, "plan item")

    def instances_of_items(self, item_ids: list[int]) -> list[InstanceRow]:
        if not item_ids:
            return []
        return list(self.session.scalars(select(InstanceRow).where(InstanceRow.plan_item_id.in_(item_ids))
                                         .order_by(InstanceRow.id)))

    def item_numbers_by_instance(self, plan_id: int) -> dict[int, str]:
        """Each instance of the plan's items with its item's number, without loading the instances' state."""
        rows = self.session.execute(select(InstanceRow.id, PlanItemRow.number)
                                    .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
                                    .where(PlanItemRow.plan_id == plan_id))
        return {instance_id: number for instance_id, number in rows}

    def sub_plans_of_items(self, item_ids: list[int]) -> list[PlanRow]:
        if not item_ids:
            return []
        return list(self.session.scalars(select(PlanRow).where(PlanRow.parent_item_id.in_(item_ids))
                                         .order_by(PlanRow.id)))


#: What an actor is made of: the user's name, agency and roles, whether they may sign in, the agency's province.
ACTOR_COLUMNS = (UserRow.username, UserRow.agency, UserRow.roles, UserRow.active, AgencyRow.province)


# The statements every signed-in request runs, built once: building a joined select costs more than running it.
_ACTOR_OF_USER = (select(*ACTOR_COLUMNS).outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                  .where(UserRow.username == bindparam("username")))
_TOKEN_WITH_ACTOR = (select(ApiTokenRow.id, ApiTokenRow.revoked, ApiTokenRow.last_used_at, ApiTokenRow.expires_at,
                            *ACTOR_COLUMNS)
                     .join(UserRow, UserRow.id == ApiTokenRow.user_id)
                     .outerjoin(AgencyRow, AgencyRow.code == UserRow.agency)
                     .where(ApiTokenRow.token_hash == bindparam("token_hash")))


class Users(Repository):
    def actor_columns(self, username: str):
        """``ACTOR_COLUMNS`` of the user, in one statement (every signed-in request asks), or None."""
        return self.session.execute(_ACTOR_OF_USER, {"username": username}).first()

    def find(self, user_id: int) -> UserRow | None:
        return self.session.get(UserRow, user_id)

    def by_username(self, username: str) -> UserRow | None:
        return self.session.scalars(select(UserRow).where(UserRow.username == username)).first()

    def all(self) -> list[UserRow]:
        return list(self.session.scalars(select(UserRow).order_by(UserRow.username)))

    def people(self, agency: str | None, roles: set[str], province: str | None = None) -> list[UserRow]:
        """Active users with one of ``roles``: an agency's, or (with ``province``) those of a province's agencies."""
        query = select(UserRow).where(UserRow.active.is_(True))
        if agency is not None:
            query = query.where(UserRow.agency == agency)
        elif province is not None:
            query = query.join(AgencyRow, AgencyRow.code == UserRow.agency).where(AgencyRow.province == province)
        return [user for user in self.session.scalars(query.order_by(UserRow.username)) if set(user.roles) & roles]


class Tokens(Repository):
    def by_hash(self, token_hash: str) -> ApiTokenRow | None:
        return self.session.scalars(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash)).first()

    def with_actor(self, token_hash: str):
        """The token's id, revocation and last use with its user's ``ACTOR_COLUMNS``, in one statement, or None."""
        return self.session.execute(_TOKEN_WITH_ACTOR, {"token_hash": token_hash}).first()

    def of_user(self, username: str) -> list[ApiTokenRow]:
        return list(self.session.scalars(select(ApiTokenRow).join(UserRow, UserRow.id == ApiTokenRow.user_id)
                                         .where(UserRow.username == username)
                                         .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id.desc())))

    def mark_used(self, token_id: int, at: datetime) -> None:
        self.session.execute(update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=at))


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
