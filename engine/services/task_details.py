"""What a person sees at a task: the item it serves, the report under review, the contributions,
the earlier rounds of the item, and, after a return, why it came back and the last version to edit.

An approver must not review blind, and a lead must not start again from an
empty form after a return. Everything here is read from the instance's task
rows (each completion keeps its form data) and evidence rows, so a round is a
submitted report and the decision on it, oldest first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import forms
from engine.errors import PlanflowError
from engine.model import policy
from engine.model.actors import Actor
from engine.model.tasks import CONTRIBUTION, DECISION, REPORT, REPORTS, FieldChange, changed_fields
from engine.runtime.views import (
    EvidenceView,
    ItemContext,
    TaskView,
    evidence_view,
    item_context_of,
    step_kind_of,
    task_context_of,
    task_view,
)
from engine.store.processes.tables import TaskRow
from engine.store.uow import UnitOfWork


@dataclass(frozen=True)
class Submission:
    """A report as it was submitted: who, when, the form data, the outputs ticked and the files."""

    task_id: str
    element_id: str
    name: str
    by: str | None
    at: datetime | None
    data: dict[str, Any]
    outputs_done: list[str]
    evidence: list[EvidenceView]


@dataclass(frozen=True)
class Decision:
    task_id: str
    by: str | None
    at: datetime | None
    approved: bool | None
    reason: str
    comment: str


@dataclass(frozen=True)
class Round:
    """One pass of the item: the report, the decision on it (None while it waits), what changed since the last."""

    number: int
    submission: Submission
    decision: Decision | None
    changes: list[FieldChange]


@dataclass(frozen=True)
class Contribution:
    task_id: str
    agency: str | None
    status: str
    by: str | None
    at: datetime | None
    data: dict[str, Any]
    evidence: list[EvidenceView]


@dataclass
class TaskDetail:
    task: TaskView
    kind: str | None
    item: ItemContext | None
    evidence: list[EvidenceView]
    under_review: Submission | None = None
    returned: Decision | None = None
    draft: dict[str, Any] | None = None
    reusable_evidence: list[EvidenceView] = field(default_factory=list)
    contributions: list[Contribution] = field(default_factory=list)
    rounds: list[Round] = field(default_factory=list)
    variables: dict[str, Any] = field(default_factory=dict)  # the item and who is involved (task_context)
    #: Whether the reader may work this task now (its form is offered only then), and if not, why (in words).
    may_act: bool = False
    refusal: Any = None


def task_detail(uow: UnitOfWork, actor: Actor, task_id: str) -> TaskDetail:
    with uow:
        row, rows = uow.tasks.with_its_instance_s(task_id)
        around = uow.instances.with_item_and_plan(row.instance_id)  # one statement for both contexts
        policy.check_sees_task(actor, task_id, row.assigned_agency, around[0].province)
        files = _Files([evidence_view(file) for file in uow.evidence.for_instance(row.instance_id)])
        detail = TaskDetail(task=task_view(row), kind=step_kind_of(row), item=item_context_of(*around),
                            evidence=files.uploaded_to(row.id), variables=task_context_of(*around))
        rounds = rounds_of(rows, files)
        detail.rounds = rounds
        detail.contributions = [_contribution(other, files) for other in rows if step_kind_of(other) == CONTRIBUTION]
        if detail.kind == DECISION:
            detail.under_review = reviewed_submission(row, rows, files)
        elif detail.kind in REPORTS:
            _add_return(detail, row, rows, files)
        detail.may_act, detail.refusal = _may_act(actor, row, around[0].province, detail)
        return detail


def _may_act(actor: Actor, row: TaskRow, province: str | None, detail: TaskDetail) -> tuple[bool, Any]:
    """Whether the actor may work the task, asked of the policy as a completion would ask it (the four-eyes rule
    on the report under review included); the refusal's words when not."""
    if row.status != "ready":
        return False, None
    try:
        policy.check_acts_on_task(actor, row.id, row.assigned_agency, row.lane, province)
        if detail.under_review is not None:
            policy.check_four_eyes(actor, detail.under_review.by, detail.under_review.at)
    except PlanflowError as refused:
        return False, refused.message
    return True, None


def reviewed_submission(decision: TaskRow, rows: list[TaskRow], files: "_Files") -> Submission | None:
    """The report a decision task is about: the last one completed before the decision was asked for."""
    before = [other for other in rows if step_kind_of(other) == REPORT and other.status == "completed"
              and other.completed_step is not None and other.completed_step <= decision.created_step]
    return _submission(max(before, key=lambda other: other.completed_step), files) if before else None


def rounds_of(rows: list[TaskRow], files: "_Files") -> list[Round]:
    reports = sorted((row for row in rows if step_kind_of(row) == REPORT and row.status == "completed"),
                     key=lambda row: row.completed_step)
    decisions = sorted((row for row in rows if step_kind_of(row) == DECISION and row.status == "completed"),
                       key=lambda row: row.completed_step)
    rounds, previous = [], {}
    for number, report in enumerate(reports, start=1):
        decided = next((d for d in decisions if d.created_step >= report.completed_step
                        and (number == len(reports) or d.created_step < reports[number].completed_step)), None)
        submission = _submission(report, files)
        earlier = previous.get(report.element_id)
        rounds.append(Round(number, submission, _decision(decided) if decided else None,
                            changes_between(earlier, submission) if earlier else []))
        previous[report.element_id] = submission
    return rounds


def changes_between(before: Submission, after: Submission) -> list[FieldChange]:
    """What a resubmission changed: each form field whose value differs, and the files added or dropped."""
    changes = changed_fields(before.data, after.data)
    old_files = [file.file_name for file in before.evidence]
    new_files = [file.file_name for file in after.evidence]
    if old_files != new_files:
        changes.append(FieldChange("evidence", old_files, new_files))
    return changes


def _add_return(detail: TaskDetail, row: TaskRow, rows: list[TaskRow], files: "_Files") -> None:
    """A report asked for again after a return: why, by whom, and the last version as the draft."""
    earlier = [other for other in rows if other.element_id == row.element_id and other.status == "completed"
               and other.assigned_agency == row.assigned_agency and other.completed_step is not None
               and other.completed_step <= row.created_step]
    if not earlier:
        return
    last = max(earlier, key=lambda other: other.completed_step)
    decisions = [other for other in rows if step_kind_of(other) == DECISION and other.status == "completed"
                 and last.completed_step <= other.completed_step <= row.created_step]
    returned = [d for d in decisions if (d.result or {}).get("approved") is False]
    if returned:
        detail.returned = _decision(max(returned, key=lambda d: d.completed_step))
    detail.draft = {name: value for name, value in (last.result or {}).items()}
    seen = {file.id for file in detail.evidence}
    detail.reusable_evidence = [file for other in earlier for file in files.uploaded_to(other.id)
                                if file.id not in seen]


class _Files:
    """An instance's evidence files, by the task they were uploaded to and by id."""

    def __init__(self, files: list[EvidenceView]) -> None:
        self.by_id = {file.id: file for file in files}
        self.by_task: dict[str, list[EvidenceView]] = {}
        for file in files:
            self.by_task.setdefault(file.task_id, []).append(file)

    def uploaded_to(self, task_id: str) -> list[EvidenceView]:
        return self.by_task.get(task_id, [])

    def submitted_with(self, row: TaskRow) -> list[EvidenceView]:
        """The files a completed form names (a resubmission may name an earlier round's); for a form with no
        evidence fields, the files uploaded to the task."""
        if row.form_key not in forms.FORM_KEYS:
            return self.uploaded_to(row.id)
        named = forms.evidence_ids(row.form_key, row.result or {})
        return [self.by_id[file_id] for file_id in named if file_id in self.by_id]


def _submission(row: TaskRow, files: _Files) -> Submission:
    data = dict(row.result or {})
    return Submission(row.id, row.element_id, row.name, row.completed_by, row.completed_at, data,
                      list(data.get("outputs_done") or []), files.submitted_with(row))


def _decision(row: TaskRow) -> Decision:
    data = row.result or {}
    approved = data.get("approved")
    return Decision(row.id, row.completed_by, row.completed_at, approved if isinstance(approved, bool) else None,
                    str(data.get("return_reason") or ""), str(data.get("comment") or ""))


def _contribution(row: TaskRow, files: _Files) -> Contribution:
    data = dict(row.result or {})
    named = files.submitted_with(row) if row.status == "completed" else files.uploaded_to(row.id)
    return Contribution(row.id, row.assigned_agency, row.status, row.completed_by, row.completed_at, data, named)
