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
    #: The tasks of these provinces' work only (a watcher's scope, policy.scoped_worklist); None: any province.
    provinces: frozenset[str] | None = None
    sort: str = "deadline"  # or "plan": by plan, then item, then deadline

    SORTS = ("deadline", "plan")


# --- the review loop ------------------------------------------------------------------------------------------
#: What a step is in the review loop: the lead's report of an item, the standing body's decision on it, a
#: coordinating agency's contribution, or one unit's report of a pilot or roll-out.
REPORT, DECISION, CONTRIBUTION, UNIT_REPORT = "report", "decision", "contribution", "unit_report"
#: The steps whose form is a result the standing body decides on.
REPORTS = (REPORT, UNIT_REPORT)
#: Where a step stands in the review loop when its form does not say (BPMN from other tools): by its lane.
KIND_OF_LANE = {"lead": REPORT, "standing_body": DECISION, "coordinating": CONTRIBUTION}


def step_kind(form_kind: str | None, lane: str | None) -> str | None:
    """What a step is in the review loop: what its form says (every form of planflow's says), else what its
    lane says; None for a step outside the loop."""
    return form_kind or KIND_OF_LANE.get(lane or "")


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Each form field whose value differs between two submissions of a form (its files apart)."""
    return [FieldChange(name, before.get(name), after.get(name)) for name in sorted(set(before) | set(after))
            if name != "evidence" and before.get(name) != after.get(name)]
