"""Bodies of the inbox."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.common import LocalDateTime, PageQuerySchema
from frontdoor.i18n import localized


class InboxQuerySchema(PageQuerySchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "Only the notices not yet read"})


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"description": "before, due_today, overdue, escalated …"})
    text = fields.Function(lambda notice: localized(notice.text))
    task_id = fields.String(allow_none=True)
    instance_id = fields.Integer(allow_none=True)
    plan_id = fields.Integer(allow_none=True)
    created_at = LocalDateTime()
    read_at = LocalDateTime(allow_none=True)


class InboxPageSchema(Schema):
    notifications = fields.List(fields.Nested(NotificationSchema))
    total = fields.Integer()
    unread = fields.Integer()
    page = fields.Integer()
    per_page = fields.Integer()


class MarkedSchema(Schema):
    marked = fields.Integer(metadata={"description": "How many notices were marked read"})


class MailChoiceSchema(Schema):
    kind = fields.String()
    label = fields.Function(lambda choice: localized(choice.label))
    mail = fields.String(metadata={"description": "immediate, digest or none"})
    chosen = fields.Boolean(metadata={"description": "False: the default, not chosen yet"})


class MailSettingsSchema(Schema):
    address = fields.String(allow_none=True)
    choices = fields.List(fields.Nested(MailChoiceSchema))


class MailChoicesSchema(Schema):
    choices = fields.Dict(keys=fields.String(), values=fields.String(), required=True,
                          metadata={"description": "{kind: immediate | digest | none}"})
