"""Bodies of extension requests and decisions."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import DAY_OR_INSTANT, LocalDateTime, Localized, PageQuerySchema, Strict


class ExtensionRequestSchema(Strict):
    until = fields.String(required=True, validate=validate.Length(min=10, max=40),
                          metadata={"description": "The deadline asked for: a date (the end of that day in Vietnam) "
                                                   "or an ISO 8601 instant", "pattern": DAY_OR_INSTANT})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"pattern": r"\S", "description": "Why more time is needed (not blank)"})


class ExtensionDecisionSchema(Strict):
    grant = fields.Boolean(required=True, metadata={"description": "true grants, false refuses"})
    reason = fields.String(validate=validate.Length(max=2000), metadata={"description": "Required to refuse"})
    until = fields.String(validate=validate.Length(min=10, max=40),
                          metadata={"description": "Grant less time than asked: a date up to the one asked"})


class ExtensionSchema(Schema):
    id = fields.Integer()
    task_id = fields.String()
    task_name = Localized()
    instance_id = fields.Integer()
    plan_id = fields.Integer(allow_none=True)
    plan_symbol = fields.String(allow_none=True)
    item_number = fields.String(allow_none=True)
    agency = fields.String()
    requested_by = fields.String()
    requested_at = LocalDateTime()
    reason = fields.String()
    due_before = LocalDateTime(metadata={"description": "The deadline when the extension was asked"})
    requested_until = LocalDateTime()
    status = fields.String(metadata={"description": "pending, granted or refused"})
    decided_by = fields.String(allow_none=True)
    decided_at = LocalDateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    granted_until = LocalDateTime(allow_none=True)


class ExtensionQuerySchema(PageQuerySchema):
    status = fields.String(validate=validate.OneOf(("pending", "granted", "refused")))


class ExtensionPageSchema(Schema):
    extensions = fields.List(fields.Nested(ExtensionSchema))
    total = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()
