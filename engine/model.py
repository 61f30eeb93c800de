"""Plain domain types and rules, with no database or Flask in them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

ROLES = ("coordinator", "agency_member", "approver", "auditor", "admin")


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a person, or the system itself (the timer worker)."""

    name: str
    agency: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)


SYSTEM = Actor("system", roles=frozenset({"system"}))


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
