"""What every table and repository is built on: the declarative base, instants stored in UTC on every
backend, and the repository (everywhere, ``get`` returns the row or raises ``NotFound``; ``find`` returns the
row or None)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from sqlalchemy import JSON, DateTime, TypeDecorator
from sqlalchemy.orm import DeclarativeBase, Session

from engine.errors import NotFound
from engine.i18n import t, word


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

#: Ids are signed 64-bit integers on every backend.
MAX_ID = 2 ** 63 - 1


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: Any) -> Any:
        self.session.add(row)
        return row

    def _must_get(self, model: type, key: Any, what: str) -> Any:
        if isinstance(key, int) and not 0 < key <= MAX_ID:
            # No row has such an id, and the database cannot even compare it.
            raise not_found(what, key)
        row = self.session.get(model, key)
        if row is None:
            raise not_found(what, key)
        return row


def not_found(what: str, key: Any) -> NotFound:
    """The error for a row that is not there: "no task 4f…", in the reader's language."""
    return NotFound(t("no %(what)s %(key)s", what=word(what), key=key))
