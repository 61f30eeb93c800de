"""Bodies of the people of a province and of the links sent to them."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import LocalDateTime, Strict
from engine.model.actors import ROLES

ROLE = fields.String(validate=validate.OneOf(ROLES))


class InvitationSchema(Schema):
    """A link sent to set a password. The link itself only where it was not mailed: the administrator hands it
    over, and it is shown this once."""

    username = fields.String()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    purpose = fields.String(metadata={"description": "invite or reset"})
    mailed = fields.Boolean()
    expires_at = LocalDateTime()
    link = fields.Function(lambda made: None if made.mailed else made.link, allow_none=True,
                           metadata={"description": "Only for a person without an e-mail address"})


class PersonSchema(Schema):
    username = fields.String()
    display_name = fields.String()
    email = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    agency = fields.String(allow_none=True)
    agency_name = fields.String(allow_none=True)
    province = fields.String(allow_none=True)
    active = fields.Boolean()
    invited = fields.Boolean(metadata={"description": "No password set yet: the person still has to open their link"})
    link_open = fields.Boolean(metadata={"description": "An unused link of theirs (invitation or reset) exists"})
    state = fields.String(metadata={"description": "active, invited or disabled"})


class PeoplePageSchema(Schema):
    people = fields.List(fields.Nested(PersonSchema))
    page = fields.Integer()
    per_page = fields.Integer()
    has_next = fields.Boolean()


class PeopleQuerySchema(Strict):
    province = fields.String(validate=validate.Length(max=20))
    search = fields.String(validate=validate.Length(max=200))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class InviteSchema(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=120))
    roles = fields.List(ROLE, required=True, validate=validate.Length(min=1, max=len(ROLES)))
    agency = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=60))
    display_name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    email = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))


class PersonChangeSchema(Strict):
    """What to correct; a field left out stays as it is, an empty e-mail or agency is cleared."""

    display_name = fields.String(validate=validate.Length(max=200))
    email = fields.String(allow_none=True, validate=validate.Length(max=300))
    roles = fields.List(ROLE, validate=validate.Length(min=1, max=len(ROLES)))
    agency = fields.String(allow_none=True, validate=validate.Length(max=60))
