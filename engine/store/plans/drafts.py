"""Queries of the drafts a coordinator reviews before registering them as templates."""
from __future__ import annotations

from sqlalchemy import select

from engine.errors import NotFound
from engine.i18n import t
from engine.store.base import MAX_ID, Repository
from engine.store.plans.tables import TemplateDraftRow


class Drafts(Repository):
    def get(self, draft_id: int) -> TemplateDraftRow:
        row = self.session.get(TemplateDraftRow, draft_id) if 0 < draft_id <= MAX_ID else None
        if row is None:
            raise NotFound(t("no template draft %(id)s", id=draft_id))
        return row

    def of_provinces(self, provinces: frozenset[str] | None, limit: int = 50) -> list[TemplateDraftRow]:
        """The newest drafts of ``provinces`` (None: of every province), newest first."""
        query = select(TemplateDraftRow).order_by(TemplateDraftRow.id.desc()).limit(limit)
        if provinces is not None:
            query = query.where(TemplateDraftRow.province.in_(provinces))
        return list(self.session.scalars(query))
