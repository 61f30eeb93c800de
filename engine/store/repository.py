"""The base of every repository: a session, adding rows, and finding one by key or saying so."""
from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from ..errors import NotFound


class Repository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, row: Any) -> Any:
        self.session.add(row)
        return row

    def _must_get(self, model: type, key: Any, what: str) -> Any:
        row = self.session.get(model, key)
        if row is None:
            raise NotFound(f"no {what} {key}")
        return row
