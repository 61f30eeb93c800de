"""Bodies of the agency directory, the templates and the drafts read from plan documents."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import Strict
from frontdoor.i18n import localized


class AgencySchema(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    level = fields.String()
    kind = fields.String()
    province = fields.String()
    parent = fields.String(allow_none=True)
    groups = fields.List(fields.String())


class AgencyQuerySchema(Strict):
    province = fields.String(validate=validate.Length(max=20))
    group = fields.String(validate=validate.Length(max=60))


class TemplateSummarySchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    items = fields.Integer()


class TemplateSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = fields.String()
    document_type = fields.String()
    province = fields.String()
    symbol = fields.String()
    standing_body = fields.String()
    implements = fields.List(fields.String())
    purposes = fields.List(fields.String())
    requirements = fields.List(fields.String())
    reporting = fields.Dict()
    parameters = fields.Dict()
    items = fields.List(fields.Dict())
    notes = fields.List(fields.String())


class DraftSpanSchema(Schema):
    paragraph = fields.Integer(metadata={"description": "The paragraph of the document, from 0"})
    start = fields.Integer()
    end = fields.Integer()
    text = fields.String()


class DraftFlagSchema(Schema):
    path = fields.String(metadata={"description": "The field of the draft the flag is about"})
    message = fields.Function(lambda flag: localized(flag.message), metadata={"description": "In the reader's language"})
    span = fields.Nested(DraftSpanSchema, allow_none=True)
    suggestions = fields.List(fields.String(), metadata={"description": "Agency codes the text may have meant"})


class DraftItemSchema(Schema):
    number = fields.String()
    title = fields.String()
    spans = fields.Dict(keys=fields.String(), values=fields.Nested(DraftSpanSchema))


class DraftSchema(Schema):
    summary = fields.String()
    template = fields.Dict(metadata={"description": "The proposed template, in the format of the template files"})
    yaml = fields.String(metadata={"description": "The same as a YAML file, each field's source in comments"})
    spans = fields.Dict(keys=fields.String(), values=fields.Nested(DraftSpanSchema))
    items = fields.List(fields.Nested(DraftItemSchema))
    flags = fields.List(fields.Nested(DraftFlagSchema))
    paragraphs = fields.List(fields.String(), metadata={"description": "The document's paragraphs as read"})
