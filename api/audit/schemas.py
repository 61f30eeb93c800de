"""Bodies of the audit log, its export and its verification."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import DayOrInstant, Id, LocalDateTime, Strict


class AuditQuerySchema(Strict):
    plan = Id()
    item = Id()
    instance = Id()
    task = fields.String(validate=validate.Length(min=1, max=36))
    agency = fields.String(validate=validate.Length(min=1, max=60), metadata={"description": "The actor's agency"})
    actor = fields.String(validate=validate.Length(min=1, max=120))
    action = fields.String(validate=validate.Length(min=1, max=60),
                           metadata={"description": "An action (task.completed) or a prefix ending in '.' (task.)"})
    since = DayOrInstant(metadata={"description": "On or after this day (2022-09-01) or instant"})
    until = DayOrInstant(end_of_day=True, metadata={"description": "On or before this day or instant"})
    after = fields.Integer(load_default=0, validate=validate.Range(min=0, max=2 ** 63 - 1),
                           metadata={"description": "The sequence number after which the page starts (the "
                                                    "next_after of the page before)"})
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))


class AuditExportQuerySchema(AuditQuerySchema):
    format = fields.String(load_default="jsonl", validate=validate.OneOf(("jsonl", "csv")))


class AuditEventSchema(Schema):
    seq = fields.Integer()
    at = LocalDateTime()
    actor = fields.String()
    actor_agency = fields.String(allow_none=True)
    action = fields.String()
    plan_id = fields.Integer(allow_none=True)
    item_id = fields.Integer(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    task_id = fields.String(allow_none=True)
    data = fields.Dict()
    evidence = fields.List(fields.String(), metadata={"description": "SHA-256 of the files the event concerns"})
    prev_hash = fields.String()
    hash = fields.String()


class AuditPageSchema(Schema):
    events = fields.List(fields.Nested(AuditEventSchema))
    next_after = fields.Integer(allow_none=True, metadata={"description": "Pass as `after` for the next page; "
                                                                         "null when this page is the last"})


class BreakSchema(Schema):
    seq = fields.Integer()
    reason = fields.String()


class EvidenceProblemSchema(Schema):
    evidence_id = fields.String()
    sha256 = fields.String()
    file_name = fields.String()
    problem = fields.String(metadata={"description": "missing, changed, not_in_chain or differs_from_chain"})


class VerificationSchema(Schema):
    ok = fields.Boolean()
    events = fields.Integer()
    head_seq = fields.Integer()
    first_break = fields.Nested(BreakSchema, allow_none=True)
    evidence_files = fields.Integer()
    evidence_problems = fields.List(fields.Nested(EvidenceProblemSchema))
    seconds = fields.Float()
