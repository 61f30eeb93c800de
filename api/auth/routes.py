"""Signing in with a password (a browser session), signing out, who is signed in, and personal tokens.

A request made with the session cookie that changes something must carry
the session's CSRF token in the ``X-CSRF-Token`` header; the token is given
at sign-in and by ``GET /api/v1/me``. Requests with ``Authorization: Bearer``
carry no cookie and need none (``frontdoor.sign_in``).
"""
from __future__ import annotations

from flask import request, session

from api.auth import schemas
from api.routing import Blueprint
from engine.i18n import t
from engine.model.actors import Actor
from engine.services import sign_in, users
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.problems import problem
from frontdoor.sign_in import (
    end_session,
    open_to_all,
    personal,
    presented_device,
    start_session,
)

blueprint = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign-in, the signed-in user, tokens")


@blueprint.route("/login", methods=["POST"], endpoint="Login")
@blueprint.arguments(schemas.LoginSchema)
@blueprint.response(200, schemas.SessionSchema)
@blueprint.alt_response(401, description="Wrong username or password")
@blueprint.alt_response(429, description="Too many failed sign-ins: wait the seconds of Retry-After")
@blueprint.doc(security=[])
@open_to_all
def login(credentials):
    """Sign in with a username and password; returns the CSRF token for later changes. After repeated
    failures the next tries are refused for a while (429, with Retry-After) before any password is checked.
    A sign-in sets the ``planflow_device`` cookie: sent back with later sign-ins, it lets its owner in while
    strangers' guesses at the name keep it locked for everyone else."""
    result = sign_in.sign_in(unit_of_work(), clock(), credentials["username"], credentials["password"],
                             request.remote_addr, presented_device())
    if result is None:
        return problem(401, "Unauthorized", t("wrong username or password"))
    start_session(result.actor, result.session_key, result.device_token)
    return _session_body(result.actor)


@blueprint.route("/logout", methods=["POST"])
@blueprint.response(204)
@personal
def logout():
    """Sign out: the session ends for good, whoever holds a copy of its cookie."""
    end_session()


@blueprint.route("/me", methods=["GET"])
@blueprint.response(200, schemas.SessionSchema)
def me():
    """Who is signed in, and the CSRF token of this session (none for token requests)."""
    return _session_body(actor())


@blueprint.route("/tokens", methods=["POST"])
@blueprint.arguments(schemas.TokenRequestSchema, required=False)  # every field has a default: no body is fine
@blueprint.response(201, schemas.TokenSchema)
@personal
def create_token(request_body):
    """A personal API token for scripts (shown once): send it as ``Authorization: Bearer …``. It lasts
    ``days`` days (90 unless said, at most 365) or until revoked."""
    token, made = users.issue_token(unit_of_work(), clock(), actor(), actor().name,
                                    request_body.get("name") or "API token", request_body.get("days", users.TOKEN_DAYS))
    return {"token": token, "name": made.name, "expires_at": made.expires_at}


@blueprint.route("/tokens", methods=["GET"])
@blueprint.response(200, schemas.TokenInfoSchema(many=True))
def list_tokens():
    """Your personal tokens, newest first: names, when they end, when they were last used (never the tokens)."""
    return users.list_tokens(unit_of_work(), actor())


@blueprint.route("/tokens/<int:token_id>", methods=["DELETE"])
@blueprint.response(200, schemas.TokenInfoSchema)
@personal
def revoke_token(token_id: int):
    """Revoke one of your tokens: from now on it signs nobody in."""
    return users.revoke_token(unit_of_work(), clock(), actor(), token_id)


def _session_body(signed: Actor) -> dict:
    return {"username": signed.name, "agency": signed.agency, "roles": sorted(signed.roles),
            "csrf_token": session.get("csrf")}
