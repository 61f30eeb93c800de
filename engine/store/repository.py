"""The base of every repository: a session, adding rows, and finding one by key or saying so.

Everywhere, ``get`` returns the row or raises ``NotFound``; ``find`` returns the row or ``None``.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from engine.errors import NotFound
from engine.i18n import t, word


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
