"""Signing in: sessions for the browser (flask-login), personal tokens for scripts.

A request made with the session cookie that changes something must carry
the session's CSRF token in the ``X-CSRF-Token`` header; the token is given
at sign-in and by ``GET /api/v1/me``. Requests with ``Authorization: Bearer``
carry no cookie and need none.
"""
from __future__ import annotations

import hmac
import secrets

from flask import Flask, g, redirect, request, session, url_for
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from api import clock, schemas, unit_of_work
from api.errors import problem
from api.i18n import request_locale
from api.routing import Blueprint
from engine.i18n import t
from engine.model.actors import Actor
from engine.services import sign_in, users

blueprint = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign-in, the signed-in user, tokens")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
OPEN_ENDPOINTS = {"auth.Login", "processes.health", "web.login", "web.language", "web.api_docs"}
#: Changes an auditor may make: to their own session, tokens and inbox, never to plans, tasks or people.
PERSONAL_ENDPOINTS = {"auth.logout", "auth.create_token", "auth.revoke_token", "notifications.mark_read"}


class SignedIn(UserMixin):
    """Who a request is from: by a personal token, or by a browser session (whose key flask-login keeps in the
    signed cookie; the session itself is a row of ``web_sessions``)."""

    def __init__(self, actor: Actor, by_token: bool = False, session_key: str | None = None) -> None:
        self.actor, self.by_token, self.session_key = actor, by_token, session_key

    def get_id(self) -> str | None:
        return self.session_key


def init_app(app: Flask, api) -> None:
    manager = LoginManager(app)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(session_key: str):
        actor = sign_in.actor_for_session(unit_of_work(), clock(), session_key)
        return SignedIn(actor, session_key=session_key) if actor else None

    @manager.request_loader
    def load_from_token(req):
        header = req.headers.get("Authorization", "")
        if not header.lower().startswith("bearer "):
            return None
        actor = users.actor_for_token(unit_of_work(), clock(), header[7:].strip())
        return SignedIn(actor, by_token=True) if actor else None

    @manager.unauthorized_handler
    def unauthorized():
        return problem(401, "Unauthorized", t("sign in first (POST /api/v1/login) or send a personal API token"),
                       headers={"WWW-Authenticate": 'Bearer realm="planflow"'})

    @app.before_request
    def require_sign_in_and_csrf():
        if request.endpoint is None or request.endpoint in OPEN_ENDPOINTS or request.endpoint.startswith(
                ("api-docs", "static")):
            return None
        if not current_user.is_authenticated:
            if request.endpoint.startswith("web."):  # a page: to the sign-in page, and back here after
                return redirect(url_for("web.login", next=request.full_path if request.args else request.path))
            return manager.unauthorized()
        g.actor = current_user.actor
        if request.method in UNSAFE and not current_user.by_token:
            sent = request.headers.get("X-CSRF-Token") or (
                request.form.get("csrf_token", "") if request.endpoint.startswith("web.") else "")
            expected = session.get("csrf", "")
            if not expected or not hmac.compare_digest(sent, expected):
                return problem(403, "Forbidden", t("this change needs the X-CSRF-Token header given at sign-in "
                                                   "(GET /api/v1/me returns it)"))
        if request.method in UNSAFE and g.actor.roles == {"auditor"} and request.endpoint not in PERSONAL_ENDPOINTS:
            record_refusal(g.actor, "auditors read; they change nothing")
            return problem(403, "Forbidden", t("auditors read the plans and their history; they change nothing"))
        return None

    api.register_blueprint(blueprint)


def actor() -> Actor:
    return g.actor


def locale() -> str:
    return request_locale()


@blueprint.route("/login", methods=["POST"], endpoint="Login")
@blueprint.arguments(schemas.LoginSchema)
@blueprint.response(200, schemas.SessionSchema)
@blueprint.alt_response(401, description="Wrong username or password")
@blueprint.alt_response(429, description="Too many failed sign-ins: wait the seconds of Retry-After")
@blueprint.doc(security=[])
def login(credentials):
    """Sign in with a username and password; returns the CSRF token for later changes. After repeated
    failures the next tries are refused for a while (429, with Retry-After) before any password is checked."""
    result = sign_in.sign_in(unit_of_work(), clock(), credentials["username"], credentials["password"],
                             request.remote_addr)
    if result is None:
        return problem(401, "Unauthorized", t("wrong username or password"))
    start_session(*result)
    return _session_body(result[0])


def start_session(signed: Actor, key: str) -> None:
    """The session ``key`` opened for who signed in, in a fresh cookie (nothing set before sign-in is kept),
    with its CSRF token."""
    session.clear()
    login_user(SignedIn(signed, session_key=key))
    session.permanent = True
    session["csrf"] = secrets.token_urlsafe(32)


def end_session() -> None:
    """Sign out: the session ends in the database (a copy of the cookie signs nobody in) and the cookie is
    cleared."""
    if current_user.is_authenticated and not current_user.by_token:
        sign_in.sign_out(unit_of_work(), clock(), current_user.session_key)
    logout_user()
    session.clear()


@blueprint.route("/logout", methods=["POST"])
@blueprint.response(204)
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
def revoke_token(token_id: int):
    """Revoke one of your tokens: from now on it signs nobody in."""
    return users.revoke_token(unit_of_work(), clock(), actor(), token_id)


def _session_body(signed: Actor) -> dict:
    return {"username": signed.name, "agency": signed.agency, "roles": sorted(signed.roles),
            "csrf_token": session.get("csrf")}


def record_refusal(who, reason: str) -> None:
    """An attempted change that was refused goes into the audit log: who, what route, why."""
    users.record_refusal(unit_of_work(), clock(), who, request.method, request.path, request.endpoint, reason)
