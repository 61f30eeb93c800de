"""Bodies of worklists, task forms, the review loop's rounds, and evidence files."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import DayOrInstant, Id, Label, LocalDateTime, Localized, PageQuerySchema, Strict, TaskSchema
from engine.model.tasks import WorklistFilter
from frontdoor.i18n import localized


class TaskQuerySchema(PageQuerySchema):
    status = fields.String(load_default="ready",
                           validate=validate.OneOf(("ready", "completed", "cancelled", "any")))
    plan = Id()
    agency = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "One agency's tasks (for those who see every agency's)"})
    due_after = DayOrInstant(metadata={"description": "Due on or after this day (2022-09-01) or instant"})
    due_before = DayOrInstant(end_of_day=True, metadata={"description": "Due on or before this day or instant"})
    q = fields.String(validate=validate.Length(min=1, max=200),
                      metadata={"description": "Words of the plan's symbol or title or the item's number or title; "
                                               "case and diacritics do not matter"})
    sort = fields.String(load_default="deadline", validate=validate.OneOf(("deadline", "plan")))
    flag = fields.String(validate=validate.OneOf(WorklistFilter.FLAGS), metadata={
        "description": "Only the open tasks flagged so: awaiting_approval (approvals to decide; an approver is never "
                       "listed one on a report they submitted), returned (reports the standing body returned for "
                       "rework), overdue, due_soon (3 working days or fewer left)"})


class WorklistRowSchema(TaskSchema):
    plan_id = fields.Integer(allow_none=True)
    plan_symbol = fields.String(allow_none=True)
    plan_title = fields.String(allow_none=True)
    item_number = fields.String(allow_none=True)
    item_title = fields.String(allow_none=True)
    lead_agency = fields.String(allow_none=True)
    deadline_status = fields.String(metadata={
        "description": "in_progress, due_soon (3 working days or fewer left), not_yet_due (the item's time has "
                       "not begun), overdue, done_on_time, done_late, no_deadline, cancelled, waived"})
    deadline_status_label = Label("deadline_status")
    mark = fields.String(allow_none=True, metadata={
        "description": "awaiting_approval (an approval to decide), returned (a report returned for rework) or null"})
    mark_label = Label("mark")


class TaskPageSchema(Schema):
    tasks = fields.List(fields.Nested(WorklistRowSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
    pages = fields.Integer()
    approvals_first = fields.Boolean(metadata={
        "description": "The caller's approvals come first (an approver's list), apart from the agency's other work"})


class EvidenceSchema(Schema):
    id = fields.String()
    task_id = fields.String()
    sha256 = fields.String()
    size = fields.Integer()
    content_type = fields.String()
    file_name = fields.String()
    uploaded_by = fields.String()
    uploaded_at = LocalDateTime()
    url = fields.Function(lambda file: f"/api/v1/evidence/{file.id}", metadata={"description": "Download link"})


class ItemContextSchema(Schema):
    plan_id = fields.Integer()
    plan_symbol = fields.String()
    plan_title = fields.String()
    number = fields.String()
    title = fields.String()
    text = fields.String(allow_none=True)
    lead_agency = fields.String(allow_none=True)
    coordinating = fields.List(fields.String())
    outputs = fields.List(fields.String())
    schedule = fields.Dict(allow_none=True)
    standing_body = fields.String()


class SubmissionSchema(Schema):
    task_id = fields.String()
    element_id = fields.String()
    name = Localized()
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    data = fields.Dict()
    outputs_done = fields.List(fields.String())
    evidence = fields.List(fields.Nested(EvidenceSchema))


class DecisionSchema(Schema):
    task_id = fields.String()
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    approved = fields.Boolean(allow_none=True)
    reason = fields.String()
    comment = fields.String()


class FieldChangeSchema(Schema):
    field = fields.String()
    before = fields.Raw(allow_none=True)
    after = fields.Raw(allow_none=True)


class RoundSchema(Schema):
    number = fields.Integer()
    submission = fields.Nested(SubmissionSchema)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    changes = fields.List(fields.Nested(FieldChangeSchema),
                          metadata={"description": "What this round's report changed since the previous one"})


class ContributionSchema(Schema):
    task_id = fields.String()
    agency = fields.String(allow_none=True)
    status = fields.String()
    status_label = Label("status")
    by = fields.String(allow_none=True)
    at = LocalDateTime(allow_none=True)
    data = fields.Dict()
    evidence = fields.List(fields.Nested(EvidenceSchema))


class TaskDetailSchema(TaskSchema):
    kind = fields.String(allow_none=True, metadata={"description": "report, decision, contribution, unit_report"})
    form = fields.Dict(metadata={"description": "JSON Schema of the task's form, for rendering"})
    item = fields.Nested(ItemContextSchema, allow_none=True)
    variables = fields.Dict(metadata={"description": "The item's title and agencies, for context"})
    evidence = fields.List(fields.Nested(EvidenceSchema), metadata={"description": "This task's own files"})
    under_review = fields.Nested(SubmissionSchema, allow_none=True,
                                 metadata={"description": "For an approval: the report it decides on"})
    returned = fields.Nested(DecisionSchema, allow_none=True,
                             metadata={"description": "For a report asked for again: who returned it and why"})
    draft = fields.Dict(allow_none=True, metadata={"description": "The last version submitted, to edit"})
    reusable_evidence = fields.List(fields.Nested(EvidenceSchema),
                                    metadata={"description": "Files of earlier rounds the form may name again"})
    contributions = fields.List(fields.Nested(ContributionSchema))
    rounds = fields.List(fields.Nested(RoundSchema), metadata={"description": "Every report and decision so far"})
    may_act = fields.Boolean(metadata={"description": "Whether the caller may complete the task now (its form is "
                                                      "offered only then)"})
    refusal = fields.Function(lambda detail: localized(detail.get("refusal")), allow_none=True, metadata={
        "description": "Why the caller may not (another agency's task, a watcher, the four-eyes rule), in words"})


class HandOverSchema(Strict):
    to = fields.String(required=True, validate=validate.Length(min=1, max=120),
                       metadata={"description": "The colleague's user name"})


class WaiveSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Why the contribution is not needed (kept in the history)"})


class RemindSchema(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "Why the agency is reminded: what is waited for, by when"})


class RemindedSchema(Schema):
    task = fields.Nested(TaskSchema)
    told = fields.List(fields.String(), metadata={"description": "The people of the agency who got the notice"})


class CompleteSchema(Strict):
    data = fields.Dict(keys=fields.String(), required=True, metadata={"description": "The form's fields"})
