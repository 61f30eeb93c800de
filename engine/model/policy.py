"""Who may see and do what: the one place access is decided, and it denies what it does not allow.

Everyone acts from a place in the directory (``Actor.agency`` and its ``province``):

- ``system`` is the engine itself (timers, the worker): everything;
- a **national** actor (an auditor or administrator of no province) reads every province;
- a province's **coordinators** watch everything of their province's plans, launch them, waive a
  coordinating agency's contribution, ask for ad-hoc reports and decide extensions there;
- an agency's **officers** work their agency's tasks (``agency_member``); its **approvers** the standing
  body's approvals; both read the plans of their province and the instances their agency takes part in;
- **auditors** read everything within their province (or every province), and change nothing;
- **administrators** manage users, agencies and templates within their province (or every province).

A thing outside what the actor may see answers as if it did not exist (``NotFound``, HTTP 404), so that
nobody learns of another province's or agency's work by guessing ids; a thing the actor sees but may not do
this to is ``Forbidden`` (403). Every use case asks here; pages get ``may_…`` answers from here rather than
deciding for themselves.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from engine.errors import NotFound, PlanflowError
from engine.i18n import t
from engine.model.actors import Actor
from engine.model.clock import LOCAL_TZ
from engine.model.tasks import WorklistFilter

SYSTEM_ROLE = "system"
#: Roles that watch a province's work without working tasks.
WATCHERS = frozenset({"coordinator", "auditor", "admin", SYSTEM_ROLE})
#: Roles that work their agency's tasks.
WORKERS = frozenset({"agency_member", "approver"})
#: Roles that run a province's plans: launch, waive, ask for reports, decide extensions.
RUNNERS = frozenset({"coordinator", "admin", SYSTEM_ROLE})


class Forbidden(PlanflowError):
    """The actor sees the thing but may not do this to it."""

    status = 403
    title = "Forbidden"


# --- where an actor reaches ------------------------------------------------------------------------------
def is_system(actor: Actor) -> bool:
    return SYSTEM_ROLE in actor.roles


def scope(actor: Actor) -> frozenset[str] | None:
    """The provinces whose work the actor reads: its own and those merged into it (or a national body's
    programmes' provinces); None for every province (the engine, national actors of no agency)."""
    if is_system(actor) or actor.province is None:
        return None
    return frozenset({actor.province, *actor.reach})


def in_scope(actor: Actor, province: str | None) -> bool:
    """Whether ``province``'s work is within the actor's reach (work of no province: only national actors')."""
    reach = scope(actor)
    return reach is None or (province is not None and province in reach)


def sees_everything(actor: Actor) -> bool:
    """Whether the actor watches every agency's work of its scope (rather than working its own agency's)."""
    return bool(actor.roles & WATCHERS)


def _not_found(what: str, key: object) -> NotFound:
    return NotFound(t("no %(what)s %(key)s", what=what, key=key))


# --- tasks and instances -----------------------------------------------------------------------------------
def may_see_task(actor: Actor, agency: str | None, province: str | None) -> bool:
    """Watchers see the tasks of their scope; officers and approvers their own agency's."""
    if sees_everything(actor):
        return in_scope(actor, province)
    return bool(actor.roles & WORKERS) and actor.agency is not None and actor.agency == agency


def check_sees_task(actor: Actor, task_id: str, agency: str | None, province: str | None) -> None:
    if not may_see_task(actor, agency, province):
        raise NotFound(t("no task %(task_id)s", task_id=task_id))


def check_acts_on_task(actor: Actor, task_id: str, agency: str | None, lane: str | None,
                       province: str | None) -> None:
    """Work a task: its agency's officers, or its approvers for the standing body's steps."""
    if is_system(actor):
        return
    check_sees_task(actor, task_id, agency, province)
    if actor.agency is None or actor.agency != agency or not actor.roles & WORKERS:
        raise Forbidden(t("only the assigned agency's members and approvers work its tasks; coordinators, "
                          "auditors and admins watch them"))
    if lane == "standing_body" and "approver" not in actor.roles:
        raise Forbidden(t("only an approver of the standing body approves or returns results"))


def may_act_on_task(actor: Actor, agency: str | None, lane: str | None, province: str | None) -> bool:
    try:
        check_acts_on_task(actor, "", agency, lane, province)
    except PlanflowError:
        return False
    return True


def check_four_eyes(actor: Actor, submitted_by: str | None, submitted_at: datetime | None) -> None:
    """Whoever submitted a result does not approve or return it, whatever roles they hold."""
    if submitted_by is not None and submitted_by == actor.name and not is_system(actor):
        # in the province's time, as people read it (Vietnam's, +07:00), not the stored UTC instant
        when = submitted_at.astimezone(LOCAL_TZ).strftime("%H:%M, %d/%m/%Y") if submitted_at else t("earlier")
        raise Forbidden(t("you submitted this result yourself (%(when)s); under the four-eyes rule another "
                          "approver of the standing body approves or returns it", when=when))


def scoped_worklist(actor: Actor, wanted: WorklistFilter) -> WorklistFilter | None:
    """The worklist filter held to what the actor may see: a watcher's province, a worker's agency; None when the
    actor works and watches no task at all."""
    if sees_everything(actor):
        return replace(wanted, provinces=scope(actor))
    if actor.agency is None or not actor.roles & WORKERS:
        return None
    if wanted.agency not in (None, actor.agency):
        raise Forbidden(t("you see the tasks of %(agency)s only", agency=actor.agency))
    # A worker's list holds what they may take: the standing body's decisions for its approvers only, and none on
    # a report they submitted themselves (four eyes); an approver's approvals come first.
    approver = "approver" in actor.roles
    return replace(wanted, agency=actor.agency, decisions=approver, four_eyes_for=actor.name if approver else None,
                   approvals_first=approver)


def may_see_instance(actor: Actor, agencies_involved: set[str], province: str | None) -> bool:
    """Watchers see the instances of their scope; officers and approvers those their agency takes part in."""
    if sees_everything(actor):
        return in_scope(actor, province)
    return actor.agency is not None and actor.agency in agencies_involved and bool(actor.roles & WORKERS)


def check_sees_instance(actor: Actor, instance_id: int, agencies_involved: set[str], province: str | None) -> None:
    if not may_see_instance(actor, agencies_involved, province):
        raise NotFound(t("no process instance %(instance_id)s", instance_id=instance_id))


def check_waives(actor: Actor, task_id: str, agencies_involved: set[str], province: str | None) -> None:
    """Waiving an agency's contribution is the call of the coordinators of the plan's province; the agencies of
    the item see the contribution but may not waive it; to anyone else it is not there."""
    if not may_see_instance(actor, agencies_involved, province):
        raise NotFound(t("no task %(task_id)s", task_id=task_id))
    if not actor.roles & RUNNERS:
        raise Forbidden(t("only coordinators waive a coordinating agency's contribution"))


def check_reminds(actor: Actor, task_id: str, agencies_involved: set[str], lead_agency: str | None,
                  province: str | None) -> None:
    """A silent coordinating agency is reminded by the item's lead agency or by the coordinators of the plan's
    province; the other agencies of the item see the contribution but do not remind."""
    if not may_see_instance(actor, agencies_involved, province):
        raise NotFound(t("no task %(task_id)s", task_id=task_id))
    if not may_remind(actor, lead_agency, province):
        raise Forbidden(t("the lead agency or a coordinator reminds a coordinating agency"))


def may_remind(actor: Actor, lead_agency: str | None, province: str | None) -> bool:
    return may_waive(actor, province) or bool(
        lead_agency and actor.agency == lead_agency and actor.roles & WORKERS and in_scope(actor, province))


def may_waive(actor: Actor, province: str | None) -> bool:
    return bool(actor.roles & RUNNERS) and in_scope(actor, province)


def check_starts_processes(actor: Actor) -> None:
    """A bare process (outside any plan) is started by an administrator, or by the engine."""
    if not actor.roles & {"admin", SYSTEM_ROLE}:
        raise Forbidden(t("only administrators start a process outside a plan"))


def check_repairs_processes(actor: Actor, instance_id: int, agencies_involved: set[str],
                            province: str | None) -> None:
    """Correcting a running instance's data or retrying its failed step: its province's administrators."""
    check_sees_instance(actor, instance_id, agencies_involved, province)
    if not actor.roles & {"admin", SYSTEM_ROLE}:
        raise Forbidden(t("only administrators correct a process's data or retry its failed step"))


# --- plans -------------------------------------------------------------------------------------------------
def may_see_plan(actor: Actor, province: str | None) -> bool:
    """Everyone reads the plans of their province (the documents are addressed to its bodies)."""
    return in_scope(actor, province)


def check_sees_plan(actor: Actor, plan_id: int, province: str | None) -> None:
    if not may_see_plan(actor, province):
        raise _not_found("plan", plan_id)


def may_launch_plans(actor: Actor) -> bool:
    return bool(actor.roles & RUNNERS)


def check_launches_plans(actor: Actor) -> None:
    if not may_launch_plans(actor):
        raise Forbidden(t("only coordinators launch plans"))


def check_province(actor: Actor, province: str, what: str) -> None:
    """Coordinators and members launch the plans of their own province."""
    if not in_scope(actor, province):
        raise Forbidden(t("%(what)s is a plan of %(province)s; you launch the plans of %(province2)s",
                          what=what, province=province, province2=actor.province))
    if not is_system(actor) and province != actor.province and province in actor.reach \
            and actor.province is not None:
        raise Forbidden(t("%(what)s is a plan of %(province)s, which is history now: plans are launched in "
                          "%(province2)s", what=what, province=province, province2=actor.province))


def may_launch_from(actor: Actor, province: str | None) -> bool:
    """Whether the actor launches plans from a template of ``province`` (``check_province``)."""
    if not may_launch_plans(actor) or province is None:
        return is_system(actor)
    try:
        check_province(actor, province, "")
    except PlanflowError:
        return False
    return True


def check_launches_sub_plan(actor: Actor, agency: str, province: str | None) -> None:
    """An agency issues its own implementing plan; the coordinators of the plan's province may launch it
    for the agency."""
    if actor.roles & RUNNERS and in_scope(actor, province):
        return
    if actor.agency != agency or not actor.roles & WORKERS:
        raise Forbidden(t("an agency launches its own implementing plan; coordinators may launch it for them"))


def check_requests_reports(actor: Actor, plan_id: int, province: str | None) -> None:
    """Ad-hoc reports are asked for by the coordinators of the plan's province."""
    check_sees_plan(actor, plan_id, province)
    if not actor.roles & RUNNERS:
        raise Forbidden(t("only coordinators ask agencies for an ad-hoc report"))


def may_write_report(actor: Actor, province: str | None, standing_body: str | None) -> bool:
    """A plan's progress report is written (its sections, who signs) by the coordinators of the plan's province
    and the people of its standing body, who send it."""
    if not in_scope(actor, province):
        return False
    return bool(actor.roles & {"coordinator", SYSTEM_ROLE}) or (
        standing_body is not None and actor.agency == standing_body and bool(actor.roles & WORKERS))


def check_writes_report(actor: Actor, plan_id: int, province: str | None, standing_body: str | None) -> None:
    check_sees_plan(actor, plan_id, province)
    if not may_write_report(actor, province, standing_body):
        raise Forbidden(t("the progress report of a plan is written by the coordinators of its province and the "
                          "people of its standing body (%(agency)s)", agency=standing_body))


def check_decides_extension(actor: Actor, request_id: int, standing_body: str | None, province: str | None) -> None:
    """The standing body's approvers, or the coordinators of the plan's province, grant or refuse an extension;
    work outside a plan is an administrator's (a national one's) to decide."""
    if is_system(actor):
        return
    if province is None and standing_body is None:
        if "admin" in actor.roles and scope(actor) is None:
            return
        raise Forbidden(t("only an administrator decides on extensions of work outside a plan"))
    if not in_scope(actor, province) and actor.agency != standing_body:
        raise _not_found("extension request", request_id)
    if actor.roles & RUNNERS and in_scope(actor, province):
        return
    if "approver" in actor.roles and actor.agency == standing_body:
        return
    raise Forbidden(t("the standing body (%(agency)s) grants or refuses extensions: its approvers, or the "
                      "plan's coordinators", agency=standing_body))


# --- templates, the audit log, people ------------------------------------------------------------------------
def may_register_templates(actor: Actor) -> bool:
    return bool(actor.roles & RUNNERS)


def check_registers_templates(actor: Actor, province: str | None = None) -> None:
    """A new template (or a new version of one) is the coordinators' and administrators' of its province to
    register."""
    if not may_register_templates(actor):
        raise Forbidden(t("only coordinators and administrators register plan templates"))
    if province is not None and not in_scope(actor, province):
        raise Forbidden(t("this template is for the plans of %(province)s; you register the templates of "
                          "%(province2)s", province=province, province2=actor.province))


def may_read_audit(actor: Actor) -> bool:
    return bool(actor.roles & {"auditor", "admin", SYSTEM_ROLE})


def check_reads_audit(actor: Actor) -> None:
    """The audit log is read by auditors and administrators, each within their scope."""
    if not may_read_audit(actor):
        raise Forbidden(t("the audit log is read by auditors and administrators"))


def may_verify_whole_log(actor: Actor) -> bool:
    return may_read_audit(actor) and scope(actor) is None


def check_verifies_whole_log(actor: Actor) -> None:
    """Verifying the chain walks every event of every province: national auditors and administrators."""
    check_reads_audit(actor)
    if scope(actor) is not None:
        raise Forbidden(t("the whole audit chain is verified by a national auditor or administrator; you read "
                          "the events of %(province)s", province=actor.province))


def check_changes_anything(actor: Actor) -> None:
    """Auditors read; they change nothing but their own session, tokens and inbox (routes marked personal)."""
    if actor.roles == {"auditor"}:
        raise Forbidden(t("auditors read the plans and their history; they change nothing"))


# --- the directory and the people of a province ---------------------------------------------------------
def may_manage_people(actor: Actor) -> bool:
    """Administrators manage the agencies and the people of their province; national ones of every province."""
    return bool(actor.roles & {"admin", SYSTEM_ROLE})


def check_manages(actor: Actor, province: str | None, what: str) -> None:
    """An administrator changes the directory and the people of the provinces in their scope (a national
    one's: every province, and the national bodies); no one else does."""
    if not may_manage_people(actor):
        raise Forbidden(t("only administrators manage %(what)s", what=what))
    if scope(actor) is not None and (province is None or province != actor.province):
        raise Forbidden(t("you manage the %(what)s of %(province)s, not of %(other)s",
                          what=what, province=actor.province, other=province or "—"))


def may_onboard_provinces(actor: Actor) -> bool:
    return may_manage_people(actor) and scope(actor) is None


def check_onboards_provinces(actor: Actor) -> None:
    """A province is brought on board by a national administrator (or from the command line)."""
    if not may_onboard_provinces(actor):
        raise Forbidden(t("a province is brought on board by a national administrator"))


def check_issues_token(actor: Actor, username: str) -> None:
    """A person makes tokens for themself; an administrator (or the engine) for anyone."""
    if actor.name != username and not actor.roles & {"admin", SYSTEM_ROLE}:
        raise Forbidden(t("you can create tokens for yourself only"))
