"""What a person may do around a task from its page, so that the page offers exactly that and nothing they would
be refused: take it or let it go, hand it to a colleague, ask for more time or decide on a request for it,
remind or waive a coordinating agency's contribution. Each action itself is checked again by its own service
(``assignments``, ``extensions``); this only reads."""
from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import PlanflowError
from engine.model import policy
from engine.model.actors import Actor
from engine.model.tasks import CONTRIBUTION
from engine.runtime.views import item_context, step_kind_of
from engine.services.extensions import ExtensionView, extensions_of_task
from engine.store.uow import UnitOfWork


@dataclass
class TaskActions:
    claim: bool = False
    unclaim: bool = False
    colleagues: list[tuple[str, str]] = field(default_factory=list)  # whom it may be handed to
    ask_extension: bool = False
    extensions: list[ExtensionView] = field(default_factory=list)  # the task's requests, oldest first
    decide_extension: bool = False  # on the pending request, if there is one
    remind: set[str] = field(default_factory=set)  # the open contributions (task ids) the person may remind
    waive: set[str] = field(default_factory=set)  # … and may waive

    @property
    def pending_extension(self) -> ExtensionView | None:
        return next((request for request in self.extensions if request.status == "pending"), None)


def task_actions(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskActions:
    """The actions ``actor`` may take on the task and on the contributions its page shows (the task is one the
    actor sees: ``task_details.task_detail`` checked that)."""
    with uow:
        row = uow.tasks.get_with_instance(task_id)
        province = row.instance.province
        actions = TaskActions(extensions=extensions_of_task(uow, task_id))
        if row.status == "ready" and policy.may_act_on_task(actor, row.assigned_agency, row.lane, province):
            actions.claim = row.claimed_by is None
            actions.unclaim = row.claimed_by == actor.name
            if row.claimed_by in (None, actor.name):
                roles = {"approver"} if row.lane == "standing_body" else set(policy.WORKERS)
                actions.colleagues = [
                    (user.username, user.display_name) for user in uow.users.people(row.assigned_agency, roles)
                    if user.username != actor.name and policy.may_act_on_task(
                        Actor(user.username, agency=user.agency, roles=frozenset(user.roles)),
                        row.assigned_agency, row.lane, province)]
            actions.ask_extension = row.due_at is not None and actions.pending_extension is None
        item = item_context(uow, row.instance_id)
        pending = actions.pending_extension
        if pending is not None and row.status == "ready" and pending.requested_by != actor.name:
            actions.decide_extension = _allowed(policy.check_decides_extension, actor, pending.id,
                                                item.standing_body if item else None, province)
        contributions = [other for other in uow.tasks.for_instance(row.instance_id)
                         if other.status == "ready" and step_kind_of(other) == CONTRIBUTION]
        if contributions:
            lead = item.lead_agency if item else None
            if policy.may_remind(actor, lead, province):
                actions.remind = {other.id for other in contributions}
            if policy.may_waive(actor, province):
                actions.waive = {other.id for other in contributions}
        return actions


def _allowed(check, *arguments) -> bool:
    try:
        check(*arguments)
    except PlanflowError:
        return False
    return True
