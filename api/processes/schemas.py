"""Bodies of the deployed process definitions."""
from __future__ import annotations

from marshmallow import Schema, fields

from api.common import Localized


class ProcessSchema(Schema):
    key = fields.String()
    version = fields.Integer()
    name = Localized(allow_none=True)
