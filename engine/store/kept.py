"""Facts this process keeps about rows that never change once written (an item's plan, a bundle's content
hash), one set per database, so that a step does not read them again.

A fact read in a transaction that wrote is kept only when that transaction commits: the row could be one the
transaction made, rolled back afterwards, and its id (SQLite numbers rows after the largest) given to
another row. A transaction that wrote nothing can only have read committed rows; its facts are kept when
it ends either way.
"""
from __future__ import annotations

import weakref
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session, object_session

#: Facts of one kind at most; beyond, that kind starts again (items of a national roll-out are a few MB).
MAX_KEPT = 200_000

_kept: "weakref.WeakKeyDictionary[Any, dict[str, dict]]" = weakref.WeakKeyDictionary()


def known(session: Session, kind: str) -> dict:
    """The facts of ``kind`` kept for the session's database (read only: ``learn`` adds to them)."""
    return _kept.setdefault(session.get_bind(), {}).setdefault(kind, {})


def learn(session: Session, kind: str, key: Any, value: Any) -> None:
    """A fact read in this session's transaction, kept when the transaction may no longer undo it."""
    session.info.setdefault("planflow_learned", []).append((kind, key, value))


def fact_about(row: Any, kind: str, key: Any) -> Any:
    """A fact of ``kind`` kept for the database ``row`` was read from; None when none is kept (or the row is
    not from a session)."""
    session = object_session(row)
    return known(session, kind).get(key) if session is not None else None


def learn_about(row: Any, kind: str, key: Any, value: Any) -> None:
    """``learn`` in the session ``row`` was read in (nothing for a row of no session)."""
    session = object_session(row)
    if session is not None:
        learn(session, kind, key, value)


def forget_all() -> None:
    _kept.clear()


def _keep(session: Session) -> None:
    learned = session.info.pop("planflow_learned", None)
    if learned:
        for kind, key, value in learned:
            facts = known(session, kind)
            if len(facts) >= MAX_KEPT:
                facts.clear()
            facts[key] = value


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, _context) -> None:
    session.info["planflow_wrote"] = True


@event.listens_for(Session, "do_orm_execute")
def _executed(state) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["planflow_wrote"] = True


@event.listens_for(Session, "after_commit")
def _committed(session: Session) -> None:
    session.info.pop("planflow_wrote", None)
    _keep(session)


@event.listens_for(Session, "after_transaction_end")
def _ended(session: Session, transaction) -> None:
    """Rolled back or closed without a commit: kept only if nothing was written."""
    if transaction.parent is not None:
        return
    if session.info.pop("planflow_wrote", None):
        session.info.pop("planflow_learned", None)
    else:
        _keep(session)
