"""The checks before anyone works a task: the task is open and theirs to work, and whoever submitted a
result does not decide on it (four eyes)."""
from __future__ import annotations

import forms
from engine.errors import Conflict
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.model.tasks import DECISION, KIND_OF_LANE, REPORT
from engine.runtime.views import step_kind_of
from engine.store.processes.tables import TaskRow
from engine.store.uow import UnitOfWork


def open_task_for(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskRow:
    """The open task ``task_id`` (with its instance), inside an open unit of work, if ``actor`` may work it.

    Another agency's task reads as not found, one the actor sees but may not work is refused (``policy``),
    and a task no longer open is a conflict: someone completed, waived or cancelled it meanwhile.
    """
    row = uow.tasks.get_with_instance(task_id)
    policy.check_acts_on_task(actor, task_id, row.assigned_agency, row.lane, row.instance.province)
    if row.status != "ready":
        raise Conflict(t("task '%(name)s' is already %(status)s; reload your worklist",
                         name=word(row.name), status=word(row.status)))
    return row


def check_four_eyes(uow: UnitOfWork, actor: Actor, row: TaskRow) -> None:
    """A decision is not taken by whoever submitted the report it is about, whatever roles they hold."""
    if step_kind_of(row) != DECISION:
        return
    report = last_report_before(uow, row)
    if report is not None:
        policy.check_four_eyes(actor, report.completed_by, report.completed_at)


def last_report_before(uow: UnitOfWork, decision: TaskRow) -> TaskRow | None:
    """The report a decision task is about, found with one query (the four-eyes rule runs at every decision)."""
    reports = [key for key in forms.FORM_KEYS if forms.kind_of(key) == REPORT]
    lanes = [lane for lane, kind in KIND_OF_LANE.items() if kind == REPORT]
    return uow.tasks.last_completed(decision.instance_id, decision.created_step, reports, lanes,
                                    list(forms.FORM_KEYS))
