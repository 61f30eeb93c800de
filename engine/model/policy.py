"""Who may see and do what: the one place authorization is decided.

Roles (DESIGN.md): a coordinator launches plans and watches everything; an
agency member works its own agency's tasks; an approver (of the standing
body) approves or returns what reaches its agency; an auditor reads
everything and changes nothing; an admin manages users, agencies and
templates. ``system`` is the engine itself (the CLI and the timer worker).

Whoever may not see a thing is told it does not exist (NotFound), so that
nobody learns of another agency's task by guessing ids.
"""
from __future__ import annotations

from engine.errors import NotFound, PlanflowError
from engine.i18n import t
from engine.model.actors import Actor

WATCHERS = frozenset({"coordinator", "auditor", "admin", "system"})
WORKERS = frozenset({"agency_member", "approver"})


class Forbidden(PlanflowError):
    """The actor sees the thing but may not do this to it."""

    status = 403
    title = "Forbidden"


def sees_everything(actor: Actor) -> bool:
    return bool(actor.roles & WATCHERS)


def may_see_task(actor: Actor, assigned_agency: str | None) -> bool:
    if sees_everything(actor):
        return True
    return bool(actor.roles & WORKERS) and actor.agency is not None and actor.agency == assigned_agency


def check_sees_task(actor: Actor, task_id: str, assigned_agency: str | None) -> None:
    if not may_see_task(actor, assigned_agency):
        raise NotFound(t("no task %(task_id)s", task_id=task_id))


def check_acts_on_task(actor: Actor, task_id: str, assigned_agency: str | None, lane: str | None) -> None:
    """Work a task: its agency's members, or its approvers for the standing body's steps."""
    if "system" in actor.roles:
        return
    check_sees_task(actor, task_id, assigned_agency)
    if actor.agency is None or actor.agency != assigned_agency or not actor.roles & WORKERS:
        raise Forbidden(t("only the assigned agency's members and approvers work its tasks; coordinators, "
                          "auditors and admins watch them"))
    if lane == "standing_body" and "approver" not in actor.roles:
        raise Forbidden(t("only an approver of the standing body approves or returns results"))


def check_four_eyes(actor: Actor, submitted_by: str | None, submitted_at) -> None:
    """Whoever submitted a result does not approve or return it, whatever roles they hold."""
    if submitted_by is not None and submitted_by == actor.name and "system" not in actor.roles:
        when = submitted_at.isoformat(timespec="minutes") if submitted_at else "earlier"
        raise Forbidden(t("you submitted this result yourself (%(when)s); under the four-eyes rule another "
                          "approver of the standing body approves or returns it",
                          when=when))


def may_see_instance(actor: Actor, agencies_involved: set[str]) -> bool:
    return sees_everything(actor) or (actor.agency is not None and actor.agency in agencies_involved
                                      and bool(actor.roles & WORKERS))


def check_waives(actor: Actor) -> None:
    """Waiving an agency's contribution is the coordinator's call."""
    if not actor.roles & {"coordinator", "admin", "system"}:
        raise Forbidden(t("only coordinators waive a coordinating agency's contribution"))


def province_scope(actor: Actor) -> str | None:
    """The province whose plans the actor sees, or None for all (auditors, admins, the engine)."""
    if actor.roles & {"auditor", "admin", "system"}:
        return None
    return actor.province


def may_see_province(actor: Actor, province: str) -> bool:
    scope = province_scope(actor)
    return scope is None or scope == province


def check_province(actor: Actor, province: str, what: str) -> None:
    """Coordinators and members launch the plans of their own province."""
    if not may_see_province(actor, province):
        raise Forbidden(t("%(what)s is a plan of %(province)s; you launch the plans of %(province2)s",
                          what=what, province=province, province2=actor.province))


def check_launches_plans(actor: Actor) -> None:
    if not actor.roles & {"coordinator", "admin", "system"}:
        raise Forbidden(t("only coordinators launch plans"))


def check_launches_sub_plan(actor: Actor, agency: str) -> None:
    """An agency issues its own implementing plan; coordinators may launch it for the agency."""
    if actor.roles & {"coordinator", "admin", "system"}:
        return
    if actor.agency != agency or not actor.roles & WORKERS:
        raise Forbidden(t("an agency launches its own implementing plan; coordinators may launch it for them"))


def check_requests_reports(actor: Actor) -> None:
    """Ad-hoc reports are asked for by the plan's coordinators."""
    if not actor.roles & {"coordinator", "admin", "system"}:
        raise Forbidden(t("only coordinators ask agencies for an ad-hoc report"))


def check_registers_templates(actor: Actor) -> None:
    """A new template (or a new version of one) is the coordinators' and administrators' to register."""
    if not actor.roles & {"coordinator", "admin", "system"}:
        raise Forbidden(t("only coordinators and administrators register plan templates"))
