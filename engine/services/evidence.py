"""Evidence (minh chứng): files attached to a task, and reading them back with the right to."""
from __future__ import annotations

from typing import BinaryIO
from uuid import uuid4

from engine.errors import Conflict, Invalid, NotFound
from engine.files.evidence import EvidenceStore
from engine.i18n import t, word
from engine.model import policy
from engine.model.actors import Actor
from engine.runtime.acting import open_task_for
from engine.runtime.views import EvidenceView, evidence_view
from engine.store.processes.tables import EvidenceRow, TaskRow
from engine.store.uow import UnitOfWork

MAX_PER_TASK = 50


def attach_evidence(uow: UnitOfWork, clock, actor: Actor, store: EvidenceStore, task_id: str,
                    stream: BinaryIO, filename: str, declared_type: str | None) -> EvidenceView:
    """Store an uploaded file for an open task of the actor's agency; its hash goes into the history."""
    with uow:
        task = open_task_for(uow, actor, task_id)
        if len(uow.evidence.for_task(task_id)) >= MAX_PER_TASK:
            raise Conflict(t("task '%(name)s' has %(MAX_PER_TASK)s files already",
                             name=word(task.name), MAX_PER_TASK=MAX_PER_TASK))
        instance_id = task.instance_id
    stored = store.store(stream, filename, declared_type)  # outside the transaction: it may take a while
    with uow:
        row = uow.evidence.add(EvidenceRow(
            id=uuid4().hex, task_id=task_id, instance_id=instance_id, sha256=stored.sha256, size=stored.size,
            content_type=stored.content_type, file_name=stored.safe_name, uploaded_by=actor.name,
            uploaded_at=clock.now()))
        uow.audit.append(clock.now(), actor.name, "evidence.attached", instance_id, task_id, data={
            "evidence": row.id, "sha256": stored.sha256, "size": stored.size, "content_type": stored.content_type,
            "file_name": stored.safe_name})
        uow.commit()
        return evidence_view(row)


def evidence_for_task(uow: UnitOfWork, actor: Actor, task_id: str) -> list[EvidenceView]:
    with uow:
        task = uow.tasks.get_with_instance(task_id)
        policy.check_sees_task(actor, task_id, task.assigned_agency, task.instance.province)
        return [evidence_view(row) for row in uow.evidence.for_task(task_id)]


def find_evidence(uow: UnitOfWork, actor: Actor, evidence_id: str) -> EvidenceView:
    """The file's record, if the actor may see the task it belongs to (else: not found)."""
    with uow:
        row = uow.evidence.find(evidence_id)
        if row is None:
            raise NotFound(t("no evidence %(evidence_id)s", evidence_id=evidence_id))
        task = uow.tasks.get_with_instance(row.task_id)
        province = task.instance.province
        if not policy.may_see_task(actor, task.assigned_agency, province) and not _takes_part(uow, actor, row,
                                                                                                 province):
            raise NotFound(t("no evidence %(evidence_id)s", evidence_id=evidence_id))
        return evidence_view(row)


def hashes_of(uow: UnitOfWork, task: TaskRow, evidence_ids: list[str]) -> dict[str, str]:
    """SHA-256 of each evidence id a form names (inside an open unit of work).

    A file may be this task's, or one attached to an earlier round of the
    same step of the same instance (a returned report keeps its files
    without uploading them again); anything else is refused.
    """
    found = {}
    for evidence_id in evidence_ids:
        row = uow.evidence.find(evidence_id)
        if row is None or row.instance_id != task.instance_id:
            continue
        owner = task if row.task_id == task.id else uow.tasks.get(row.task_id)
        if owner.element_id == task.element_id and owner.assigned_agency == task.assigned_agency:
            found[evidence_id] = row.sha256
    missing = [eid for eid in evidence_ids if eid not in found]
    if missing:
        raise Invalid(t("the form refers to evidence not uploaded to this task or an earlier round of it"),
                      errors={"evidence": [t("unknown evidence %(id)s", id=eid) for eid in missing]})
    return {eid: found[eid] for eid in evidence_ids}


def _takes_part(uow: UnitOfWork, actor: Actor, row: EvidenceRow, province: str | None) -> bool:
    """The lead and the standing body see an item's files: the standing body reviews the lead's evidence,
    the lead reads the coordinating agencies' contributions. A coordinating agency sees only its own."""
    involved = {task.assigned_agency for task in uow.tasks.for_instance(row.instance_id)
                if task.assigned_agency and task.lane in ("lead", "standing_body")}
    return policy.may_see_instance(actor, involved, province)


