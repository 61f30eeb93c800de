"""Every cache a planflow process keeps, and forgetting them all at once.

- the workflows of instances this process stepped last (``runtime.executions``),
- parsed BPMN bundles by content hash (``runtime.bundles``),
- facts about rows that never change, per database (``store.kept``: it follows the store's transactions, so
  it lives with them; a fact read in a transaction that is rolled back is never kept).

Each is right for as long as the process lives; forgetting them costs only time (a test that plays another
process, or a long-running worker that wants its memory back).
"""
from __future__ import annotations

from engine.runtime import bundles, executions
from engine.store import kept


def forget_all() -> None:
    executions.forget_all()
    bundles.forget_all()
    kept.forget_all()
