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
    #: Only the open tasks flagged so (``FLAGS``): approvals waiting, reports returned for rework, overdue or due
    #: soon; the use case turns the last two into a due window, the store reads the first two.
    flag: str | None = None
    #: Whether the standing body's decisions are listed (not to an officer who is no approver: not theirs to take).
    decisions: bool = True
    #: Decisions on a report this person submitted are left out: the four-eyes rule forbids them to decide it.
    four_eyes_for: str | None = None
    #: Approvals first (an approver's own list: "chờ tôi phê duyệt" above the agency's other work).
    approvals_first: bool = False

    SORTS = ("deadline", "plan")
    AWAITING_APPROVAL, RETURNED, OVERDUE, DUE_SOON = "awaiting_approval", "returned", "overdue", "due_soon"
    FLAGS = (AWAITING_APPROVAL, RETURNED, OVERDUE, DUE_SOON)


# --- the review loop ------------------------------------------------------------------------------------------
#: What a step is in the review loop: the lead's report of an item, the standing body's decision on it, a
#: coordinating agency's contribution, or one unit's report of a pilot or roll-out.
REPORT, DECISION, CONTRIBUTION, UNIT_REPORT = "report", "decision", "contribution", "unit_report"
#: The steps whose form is a result the standing body decides on.
REPORTS = (REPORT, UNIT_REPORT)
#: Where a step stands in the review loop when its form does not say (BPMN from other tools): by its lane.
KIND_OF_LANE = {"lead": REPORT, "standing_body": DECISION, "coordinating": CONTRIBUTION}


@dataclass(frozen=True)
class StepKinds:
    """Which forms make a task a step of the review loop, for queries that tell steps apart in the database (a
    form planflow does not know counts by its lane, as ``step_kind`` says)."""

    known: tuple[str, ...]
    decisions: tuple[str, ...]
    reports: tuple[str, ...]  # the lead's reports: what a decision is about (four eyes)
    results: tuple[str, ...]  # every kind of result the standing body decides on (REPORTS): what it returns


def lanes_of(*kinds: str) -> tuple[str, ...]:
    """The lanes whose steps are of ``kinds`` when their form does not say (``KIND_OF_LANE``)."""
    return tuple(lane for lane, kind in KIND_OF_LANE.items() if kind in kinds)


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
