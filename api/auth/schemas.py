"""Bodies of signing in and of personal tokens."""
from __future__ import annotations

from marshmallow import Schema, fields, validate

from api.common import LocalDateTime, Strict


class LoginSchema(Strict):
    username = fields.String(required=True, validate=validate.Length(min=1, max=120))
    password = fields.String(required=True, validate=validate.Length(min=1, max=500), load_only=True)


class SessionSchema(Schema):
    username = fields.String()
    agency = fields.String(allow_none=True)
    roles = fields.List(fields.String())
    csrf_token = fields.String(allow_none=True, metadata={"description": "Send as X-CSRF-Token with changes"})


class TokenRequestSchema(Strict):
    name = fields.String(validate=validate.Length(max=200))
    days = fields.Integer(validate=validate.Range(min=1, max=365), strict=True,
                          metadata={"description": "How many days the token lasts (default 90, at most 365)"})


class TokenSchema(Schema):
    token = fields.String()
    name = fields.String()
    expires_at = LocalDateTime()


class TokenInfoSchema(Schema):
    """A personal token as listed afterwards: never the token itself."""

    id = fields.Integer()
    name = fields.String()
    created_at = LocalDateTime()
    expires_at = LocalDateTime(allow_none=True)
    last_used_at = LocalDateTime(allow_none=True)
    revoked = fields.Boolean()
