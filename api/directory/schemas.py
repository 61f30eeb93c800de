"""Bodies of the agency directory, the templates and the drafts read from plan documents."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import LocalDateTime, Strict
from engine.model.agencies import KINDS, LEVELS
from frontdoor.i18n import localized

CODE = fields.String(validate=validate.Length(min=1, max=60))


class AgencySchema(Schema):
    code = fields.String()
    name = fields.String()
    short_name = fields.String()
    level = fields.String()
    kind = fields.String()
    province = fields.String()
    parent = fields.String(allow_none=True)
    groups = fields.List(fields.String())
    aliases = fields.List(fields.String(), metadata={"description": "Other names plans write (a former name too)"})
    valid_from = fields.Date(allow_none=True, metadata={"description": "Its first day, if known"})
    valid_until = fields.Date(allow_none=True, metadata={"description": "Its last day, if it ceased"})
    successors = fields.List(fields.String(), metadata={"description": "The bodies its duties passed to"})
    signer_title = fields.String(allow_none=True, metadata={"description": "The position of who signs its reports"})
    signer_name = fields.String(allow_none=True, metadata={"description": "The full name of who signs its reports"})


class AgencyQuerySchema(Strict):
    province = fields.String(validate=validate.Length(max=20))
    group = fields.String(validate=validate.Length(max=60))
    on = fields.Date(metadata={"description": "Only the bodies that existed on this day (YYYY-MM-DD)"})
    search = fields.String(validate=validate.Length(max=200),
                           metadata={"description": "Each word begins a word of the code, name or another name"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1))
    per_page = fields.Integer(load_default=500, validate=validate.Range(min=1, max=1000),
                              metadata={"description": "Bodies a page (a province has up to some 400); the answer's "
                                                       "X-Total-Count header says how many there are"})


class NewAgencySchema(Strict):
    code = fields.String(required=True, validate=validate.Length(min=1, max=60))
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    province = fields.String(required=True, validate=validate.Length(min=1, max=20))
    kind = fields.String(load_default="department", validate=validate.OneOf(KINDS))
    level = fields.String(load_default="department", validate=validate.OneOf(LEVELS))
    short_name = fields.String(validate=validate.Length(max=200))
    parent = fields.String(validate=validate.Length(max=60))
    groups = fields.List(fields.String(validate=validate.Length(min=1, max=60)), load_default=list)
    aliases = fields.List(fields.String(validate=validate.Length(min=1, max=300)), load_default=list)
    valid_from = fields.Date(metadata={"description": "Its first day (default today)"})


class RenameSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    short_name = fields.String(validate=validate.Length(max=200))


class SetSignerSchema(Strict):
    title = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000), metadata={
        "description": "The position (chức vụ), its lines apart by a newline or ' / ': KT. TRƯỞNG BAN / PHÓ TRƯỞNG "
                       "BAN; none, with no name: nobody"})
    name = fields.String(allow_none=True, load_default=None, validate=validate.Length(max=1000),
                         metadata={"description": "The full name (họ tên)"})


class MergeSchema(Strict):
    codes = fields.List(CODE, required=True, validate=validate.Length(min=1, max=100),
                        metadata={"description": "The bodies merged into this one"})
    last_day = fields.Date(metadata={"description": "Their last day (default yesterday)"})


class RetireSchema(Strict):
    last_day = fields.Date(metadata={"description": "Its last day (default today)"})
    successors = fields.List(CODE, load_default=list, validate=validate.Length(max=100),
                             metadata={"description": "The bodies its duties pass to"})


class AgencyEventSchema(Schema):
    seq = fields.Integer()
    at = LocalDateTime()
    actor = fields.String()
    action = fields.String()
    data = fields.Dict()


class AgencyHistorySchema(Schema):
    agency = fields.Nested(AgencySchema)
    people = fields.Function(lambda found: found.agency.people)
    predecessors = fields.List(fields.Nested(AgencySchema))
    successors = fields.List(fields.Nested(AgencySchema))
    events = fields.List(fields.Nested(AgencyEventSchema))


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
