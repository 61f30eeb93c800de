"""The standard processes a plan item can run, in one registry: what each needs of an item.

A template names an item's process by key (``workflows/bpmn/<key>.bpmn``); a
template may also name other deployed processes, which have no rules here.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The ways a template writes an item's time (``engine/templates/schema.py``).
DATED = frozenset({"window", "year", "deadline"})


@dataclass(frozen=True)
class ProcessKind:
    key: str
    #: The kinds of schedule an item of this process takes.
    schedules: frozenset[str]
    #: The agency roles an item of this process must name besides its lead.
    needs: tuple[str, ...] = ()
    #: What an agency's own implementing plan (a sub-plan) runs for an item of this process; None: the same.
    own_part: str | None = None


#: An item done once by a date: the lead reports, coordinating agencies contribute, the standing body decides.
PLAN_ITEM = ProcessKind("plan_item", DATED)
#: A duty carried on until a date, reported at each data cut-off.
CONTINUOUS_DUTY = ProcessKind("continuous_duty", frozenset({"continuous"}))
#: Tried first at pilot units, then rolled out to every body; in its own sub-plan an agency carries out its part
#: as a plain item (the pilots are the parent plan's business).
PILOT_ROLLOUT = ProcessKind("pilot_rollout", DATED, needs=("pilot", "rollout"), own_part=PLAN_ITEM.key)

STANDARD: dict[str, ProcessKind] = {kind.key: kind for kind in (PLAN_ITEM, CONTINUOUS_DUTY, PILOT_ROLLOUT)}
#: The roles only a process that needs them accepts.
ROLE_AGENCIES = ("pilot", "rollout")
#: What an ad-hoc report request runs: one item per agency asked, reported and decided like any item.
AD_HOC_REPORT = PLAN_ITEM


def for_schedule(schedule: dict | None) -> ProcessKind:
    """The standard process for an item whose time is ``schedule`` (what drafting proposes)."""
    return CONTINUOUS_DUTY if schedule and "continuous" in schedule else PLAN_ITEM


def own_part(key: str | None) -> str | None:
    """What an agency's implementing plan runs for an item of process ``key``."""
    kind = STANDARD.get(key or "")
    return kind.own_part or key if kind else key
