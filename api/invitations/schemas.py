"""Bodies of a one-time link: never more than whose it is and what it is for."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import Strict


class LinkSchema(Schema):
    username = fields.String()
    purpose = fields.String(metadata={"description": "invite (a first password) or reset (a new one)"})


class NewPasswordSchema(Strict):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=1000))


class PasswordSetSchema(Schema):
    username = fields.String(metadata={"description": "Sign in with this name and the new password"})
