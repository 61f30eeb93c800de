"""Bodies of the provinces and of bringing one on board."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import LocalDateTime, Strict
from api.people.schemas import InvitationSchema


class ProvinceSchema(Schema):
    code = fields.String()
    name = fields.String()
    division = fields.String()
    gso_code = fields.String(allow_none=True, metadata={"description": "The statistics office's code"})
    valid_until = fields.Date(allow_none=True, metadata={"description": "Its last day, if merged into another"})
    successor = fields.String(allow_none=True)
    predecessors = fields.List(fields.String(), metadata={"description": "Names of the units merged into it"})
    onboarded_at = LocalDateTime(allow_none=True)
    agencies = fields.Integer(metadata={"description": "Bodies in its directory"})
    people = fields.Integer()


class ProvinceQuerySchema(Strict):
    all = fields.Boolean(load_default=False, metadata={"description": "Also the provinces merged away in 2025"})


class FirstPersonSchema(Strict):
    """The first administrator or coordinator: what is left out takes its default (quantri.CODE, dieuphoi.CODE,
    of the People's Committee's office)."""

    username = fields.String(validate=validate.Length(max=120))
    email = fields.String(validate=validate.Length(max=300))
    display_name = fields.String(validate=validate.Length(max=200))


class OnboardSchema(Strict):
    name = fields.String(required=True, validate=validate.Length(min=1, max=100),
                         metadata={"description": "The province's name, code or statistics code"})
    admin = fields.Nested(FirstPersonSchema, load_default=dict)
    coordinator = fields.Nested(FirstPersonSchema, load_default=dict)


class OnboardingSchema(Schema):
    province = fields.Nested(ProvinceSchema)
    agencies_added = fields.Integer()
    invitations = fields.List(fields.Nested(InvitationSchema))
