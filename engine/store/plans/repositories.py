"""Queries of the plan side: agencies, templates, plans, items and their instances."""
from __future__ import annotations

from sqlalchemy import func, inspect, select

from engine.errors import NotFound
from engine.model.agencies import Agency, AgencyDirectory
from engine.store.base import Repository
from engine.store.plans.tables import AgencyRow, PlanItemRow, PlanRow, PlanTemplateRow
from engine.store.processes.tables import InstanceRow


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

    def directory(self) -> AgencyDirectory:
        """The whole directory, as the rules read it."""
        return AgencyDirectory.of(Agency(
            code=row.code, name=row.name, short_name=row.short_name, level=row.level, kind=row.kind,
            province=row.province, parent=row.parent, groups=tuple(row.groups), aliases=tuple(row.aliases))
            for row in self.all())

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
