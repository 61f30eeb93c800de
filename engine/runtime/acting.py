"""The one check before anyone works a task: the task is open, and it is theirs to work."""
from __future__ import annotations

from engine.errors import Conflict
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.store.processes.tables import TaskRow
from engine.store.uow import UnitOfWork


def open_task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskRow:
    """The open task ``task_id`` (with its instance), inside an open unit of work, if ``actor`` may work it.

    Another agency's task reads as not found, one the actor sees but may not work is refused (``policy``),
    and a task no longer open is a conflict: someone completed, waived or cancelled it meanwhile.
    """
    row = uow.tasks.get_with_instance(task_id)
    policy.check_acts_on_task(actor, task_id, row.assigned_agency, row.lane)
    if row.status != "ready":
        raise Conflict(t("task '%(name)s' is already %(status)s; reload your worklist",
                         name=word(row.name), status=word(row.status)))
    return row
