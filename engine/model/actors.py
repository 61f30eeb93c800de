"""Who acts: people by their roles, agency and province, and the engine itself."""
from __future__ import annotations

from dataclasses import dataclass, field

ROLES = ("coordinator", "agency_member", "approver", "auditor", "admin")


@dataclass(frozen=True)
class Actor:
    """Who asks for a change: a person, or the system itself (the timer worker)."""

    name: str
    agency: str | None = None
    roles: frozenset[str] = field(default_factory=frozenset)
    province: str | None = None  # the province of the actor's agency: the plans they see and launch
    #: Provinces whose work the actor reads besides its own: those merged into it (their history is now its
    #: own), or, for a national body's people, the provinces its programmes reach.
    reach: frozenset[str] = field(default_factory=frozenset)


SYSTEM = Actor("system", roles=frozenset({"system"}))


#: Who a failed sign-in is recorded as.
ANONYMOUS = "anonymous"


#: Names no person may take: the audit log's actors that are not users (and belong to no agency).
ENGINE_ACTORS = frozenset({SYSTEM.name, ANONYMOUS})
