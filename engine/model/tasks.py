"""Human tasks as the rules see them: whose a task is (by its lane), and how a worklist filters them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any


def assigned_agency(lane: str | None, variables: dict[str, Any]) -> str | None:
    """The agency a task in ``lane`` belongs to.

    A process names agencies in variables after its lanes: a task in lane
    ``lead`` goes to ``lead_agency``, a coordinating contribution to
    ``coordinating_agency`` (its multi-instance element), an approval in
    lane ``standing_body`` to ``standing_body``.
    """
    if not lane:
        return None
    for name in (f"{lane}_agency", lane):
        value = variables.get(name)
        if isinstance(value, str) and value:
            return value
    return None


@dataclass(frozen=True)
class WorklistFilter:
    """Which tasks a worklist shows, and in what order."""

    agency: str | None = None
    status: str | None = "ready"  # None: any status
    plan_id: int | None = None
    due_after: datetime | None = None
    due_before: datetime | None = None
    search: str | None = None  # matched, folded (engine.model.search), against plan and item titles
    sort: str = "deadline"  # or "plan": by plan, then item, then deadline

    SORTS = ("deadline", "plan")
