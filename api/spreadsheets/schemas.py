"""Bodies of the spreadsheet imports and exports: which province and format, and what an import did."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import LocalDateTime, Strict

PROVINCE = fields.String(validate=validate.Length(min=2, max=10), metadata={
    "description": "Province code (LDG): by default the administrator's own; a national administrator's file may "
                   "name it in a column Tỉnh instead"})


class ImportQuerySchema(Strict):
    province = PROVINCE


class ExportQuerySchema(Strict):
    province = PROVINCE
    format = fields.String(load_default="xlsx", validate=validate.OneOf(("xlsx", "csv")))


class AgencyExportQuerySchema(ExportQuerySchema):
    on = fields.Date(metadata={"description": "Only the bodies that existed on this day (2025-07-01)"})


class ImportLinkSchema(Schema):
    """A one-time link of a person with no e-mail address: the administrator hands it over; shown this once."""

    username = fields.String()
    display_name = fields.String()
    link = fields.String()
    expires_at = LocalDateTime()


class PeopleImportSchema(Schema):
    province = fields.String()
    file = fields.String(attribute="filename")
    sha256 = fields.String()
    invited = fields.Function(lambda done: len(done.invitations))
    mailed = fields.Integer(metadata={"description": "How many links went to the outbox"})
    links = fields.List(fields.Nested(ImportLinkSchema), metadata={"description": "The links to hand over"})


class AgencyImportSchema(Schema):
    province = fields.String()
    file = fields.String(attribute="filename")
    sha256 = fields.String()
    added = fields.Function(lambda done: [view.code for view in done.agencies],
                            metadata={"description": "The codes of the bodies added"})
