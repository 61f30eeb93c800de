"""Queries of the plan side: agencies, templates, plans, items and their instances."""
from __future__ import annotations

import json
from typing import Iterable

from sqlalchemy import func, insert, inspect, select

from engine.errors import NotFound
from engine.i18n import t
from engine.model.agencies import NATIONAL, Agency, AgencyDirectory, Province, directory_as_json
from engine.store import kept
from engine.store.base import Repository
from engine.store.plans.tables import (
    AgencyRow,
    PlanItemRow,
    PlanReportRow,
    PlanRow,
    PlanTemplateRow,
    ProvinceRow,
)
from engine.store.processes.tables import InstanceRow


_AGENCY_COLUMNS = (AgencyRow.code, AgencyRow.name, AgencyRow.short_name, AgencyRow.level, AgencyRow.kind,
                   AgencyRow.province, AgencyRow.parent, AgencyRow.groups, AgencyRow.aliases, AgencyRow.valid_from,
                   AgencyRow.valid_until, AgencyRow.successors)


class Agencies(Repository):
    def loaded(self) -> bool:
        """Whether the database has its schema and an agency directory (a fresh install has neither)."""
        if not inspect(self.session.connection()).has_table(AgencyRow.__tablename__):
            return False
        return self.session.scalars(select(AgencyRow.code).limit(1)).first() is not None

    def all(self, provinces: Iterable[str] | None = None) -> list[AgencyRow]:
        """Every body (of ``provinces``, national bodies with them), in directory order."""
        query = select(AgencyRow).order_by(AgencyRow.province, AgencyRow.code)
        if provinces is not None:
            query = query.where(AgencyRow.province.in_([*provinces, NATIONAL]))
        return list(self.session.scalars(query))

    def find(self, code: str) -> AgencyRow | None:
        return self.session.get(AgencyRow, code)

    def listed(self, provinces: Iterable[str] | None = None, limit: int | None = None, offset: int = 0) -> list:
        """Every body's columns (of ``provinces``, national bodies with them), in directory order, as plain rows
        named like ``AgencyRow``'s attributes: a list of thousands, read without building objects."""
        query = select(*_AGENCY_COLUMNS, AgencyRow.origin, AgencyRow.signer_title, AgencyRow.signer_name) \
            .order_by(AgencyRow.province, AgencyRow.code)
        if provinces is not None:
            query = query.where(AgencyRow.province.in_([*provinces, NATIONAL]))
        return list(self.session.execute(query.limit(limit).offset(offset) if limit else query))

    def count(self, provinces: Iterable[str] | None = None) -> int:
        query = select(func.count(AgencyRow.code))
        if provinces is not None:
            query = query.where(AgencyRow.province.in_([*provinces, NATIONAL]))
        return self.session.scalar(query)

    def codes(self, province: str | None = None) -> set[str]:
        query = select(AgencyRow.code)
        return set(self.session.scalars(query.where(AgencyRow.province == province) if province else query))

    def directory(self, provinces: Iterable[str] | None = None) -> AgencyDirectory:
        """The directory as the rules read it: every body, or those of ``provinces`` (and the national ones),
        with every province. Read as plain rows, not as objects of the session: the whole directory is some
        five thousand bodies."""
        query = select(*_AGENCY_COLUMNS).order_by(AgencyRow.province, AgencyRow.code)
        if provinces is not None:
            query = query.where(AgencyRow.province.in_([*provinces, NATIONAL]))
        found = AgencyDirectory.of((Agency(*row[:7], tuple(row[7]), tuple(row[8]), *row[9:11], tuple(row[11] or ()))
                                    for row in self.session.execute(query)),
                                   (province_of(row) for row in self.session.scalars(select(ProvinceRow))))
        if provinces is not None:  # a body of another province is looked up when a message names it
            found.look_up = lambda code: agency_of(row) if (row := self.find(code)) is not None else None
        return found

    def directory_json(self, mark: int) -> bytes:
        """The whole directory as JSON (for the process that reads a document), kept for this database as of
        ``mark``, the audit log's last change of the directory: some 2 MB, built once per change, not per
        document."""
        if mark in (found := kept.known(self.session, "directory_json")):
            return found[mark]
        found.clear()  # one directory is kept, the newest
        payload = json.dumps(directory_as_json(self.directory()), ensure_ascii=False).encode("utf-8")
        kept.learn(self.session, "directory_json", mark, payload)
        return payload

    def names(self, provinces: Iterable[str] | None = None) -> dict[str, str]:
        query = select(AgencyRow.code, AgencyRow.name)
        if provinces is not None:
            query = query.where(AgencyRow.province.in_([*provinces, NATIONAL]))
        return dict(self.session.execute(query).all())

    def names_of(self, codes: Iterable[str]) -> dict[str, str]:
        wanted = list(dict.fromkeys(codes))
        return dict(self.session.execute(select(AgencyRow.code, AgencyRow.name)
                                         .where(AgencyRow.code.in_(wanted))).all()) if wanted else {}

    def count_by_province(self) -> dict[str, int]:
        return dict(self.session.execute(select(AgencyRow.province, func.count()).group_by(AgencyRow.province)).all())

    def add(self, row: AgencyRow) -> AgencyRow:
        self.session.add(row)
        return row

    def add_all(self, rows: list[dict]) -> None:
        """Many new bodies at once (a province's directory: a few hundred rows), without building objects."""
        if rows:
            self.session.execute(insert(AgencyRow), rows)


class Provinces(Repository):
    def all(self) -> list[ProvinceRow]:
        return list(self.session.scalars(select(ProvinceRow).order_by(ProvinceRow.valid_until.is_not(None),
                                                                      ProvinceRow.gso_code, ProvinceRow.code)))

    def find(self, code: str) -> ProvinceRow | None:
        return self.session.get(ProvinceRow, code)

    def add(self, row: ProvinceRow) -> ProvinceRow:
        self.session.add(row)
        return row

    def predecessors(self, code: str) -> list[str]:
        """Every unit whose duties passed to ``code``, and theirs, back to the first."""
        found: list[str] = []
        todo = [code]
        while todo:
            here = todo.pop()
            for before in self.session.scalars(select(ProvinceRow.code).where(ProvinceRow.successor == here)):
                if before not in found and before != code:
                    found.append(before)
                    todo.append(before)
        return found


def agency_of(row: AgencyRow) -> Agency:
    return Agency(code=row.code, name=row.name, short_name=row.short_name, level=row.level, kind=row.kind,
                  province=row.province, parent=row.parent, groups=tuple(row.groups), aliases=tuple(row.aliases),
                  valid_from=row.valid_from, valid_until=row.valid_until, successors=tuple(row.successors or ()))


def province_of(row: ProvinceRow) -> Province:
    return Province(code=row.code, name=row.name, short_name=row.short_name, division=row.division,
                    gso_code=row.gso_code, valid_from=row.valid_from, valid_until=row.valid_until,
                    successor=row.successor, aliases=tuple(row.aliases or ()))


class Templates(Repository):
    def latest(self, key: str) -> PlanTemplateRow:
        row = self.session.scalars(select(PlanTemplateRow).where(PlanTemplateRow.key == key)
                                   .order_by(PlanTemplateRow.version.desc())).first()
        if row is None:
            raise NotFound(t("no template '%(key)s' is registered", key=key))
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

    def all(self, limit: int = 100, offset: int = 0, provinces: Iterable[str] | None = None) -> list[PlanRow]:
        query = select(PlanRow).order_by(PlanRow.id.desc()).limit(limit).offset(offset)
        return list(self.session.scalars(_of(query, provinces)))

    def summaries(self, provinces: Iterable[str] | None = None) -> list:
        """(id, symbol, title) of every plan (of those provinces), newest first, without their templates."""
        query = select(PlanRow.id, PlanRow.symbol, PlanRow.title).order_by(PlanRow.id.desc())
        return list(self.session.execute(_of(query, provinces)))

    def runs_of_plans(self, plan_ids: list[int]) -> list:
        """Each instance of the plans' items with what counting needs, and not its workflow state:
        instance_id, plan_id, symbol, number, title, schedule, coordinating, agency, completed_at."""
        if not plan_ids:
            return []
        return list(self.session.execute(
            select(InstanceRow.id.label("instance_id"), PlanRow.id.label("plan_id"), PlanRow.symbol,
                   PlanItemRow.number, PlanItemRow.title, PlanItemRow.schedule, PlanItemRow.coordinating,
                   InstanceRow.agency,
                   InstanceRow.completed_at)
            .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
            .join(PlanRow, PlanItemRow.plan_id == PlanRow.id)
            .where(PlanRow.id.in_(plan_ids))
            .order_by(PlanRow.id, PlanItemRow.position, InstanceRow.id)))

    def ids_where(self, provinces: Iterable[str] | None = None, standing_body: str | None = None) -> list[int]:
        query = _of(select(PlanRow.id), provinces)
        if standing_body:
            query = query.where(PlanRow.standing_body == standing_body)
        return list(self.session.scalars(query))

    def count(self, provinces: Iterable[str] | None = None) -> int:
        return self.session.scalar(_of(select(func.count(PlanRow.id)), provinces))

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

    def running_of_process(self, process_key: str) -> list:
        """Each running instance of the items of every plan that run this process, with what reporting gates
        need and not its workflow state: id (the instance's), agency, number, title, coordinating, schedule,
        plan_id, symbol, province."""
        return list(self.session.execute(
            select(InstanceRow.id, InstanceRow.agency, PlanItemRow.number, PlanItemRow.title, PlanItemRow.coordinating,
                   PlanItemRow.schedule, PlanRow.id.label("plan_id"), PlanRow.symbol, PlanRow.province)
            .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
            .join(PlanRow, PlanItemRow.plan_id == PlanRow.id)
            .where(InstanceRow.status == "running", PlanItemRow.process_key == process_key)
            .order_by(PlanRow.id, PlanItemRow.position, InstanceRow.id)))

    def item_numbers_by_instance(self, plan_id: int) -> dict[int, str]:
        """Each instance of the plan's items with its item's number, without loading the instances' state."""
        rows = self.session.execute(select(InstanceRow.id, PlanItemRow.number)
                                    .join(PlanItemRow, InstanceRow.plan_item_id == PlanItemRow.id)
                                    .where(PlanItemRow.plan_id == plan_id))
        return {instance_id: number for instance_id, number in rows}

    def report_texts(self, plan_id: int) -> PlanReportRow | None:
        """What people wrote into the plan's progress report, if anything yet."""
        return self.session.get(PlanReportRow, plan_id)

    def add_report_texts(self, row: PlanReportRow) -> PlanReportRow:
        self.session.add(row)
        return row

    def sub_plans_of_items(self, item_ids: list[int]) -> list[PlanRow]:
        if not item_ids:
            return []
        return list(self.session.scalars(select(PlanRow).where(PlanRow.parent_item_id.in_(item_ids))
                                         .order_by(PlanRow.id)))


def _of(query, provinces: Iterable[str] | None):
    """``query`` held to the plans of ``provinces`` (None: of every province)."""
    return query if provinces is None else query.where(PlanRow.province.in_(sorted(provinces)))
