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

from engine.i18n import t
from engine.model import Actor
from engine.services import users

from . import clock, schemas, unit_of_work
from .errors import problem
from .i18n import request_locale
from .routing import Blueprint

blueprint = Blueprint("auth", __name__, url_prefix="/api/v1", description="Sign-in, the signed-in user, tokens")
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
OPEN_ENDPOINTS = {"auth.Login", "processes.health", "web.login", "web.language", "web.api_docs"}
#: Changes an auditor may make: to their own session, tokens and inbox, never to plans, tasks or people.
PERSONAL_ENDPOINTS = {"auth.logout", "auth.create_token", "notifications.mark_read"}


class SignedIn(UserMixin):
    def __init__(self, actor: Actor, by_token: bool = False) -> None:
        self.actor, self.by_token = actor, by_token

    def get_id(self) -> str:
        return self.actor.name


def init_app(app: Flask, api) -> None:
    manager = LoginManager(app)
    manager.session_protection = "basic"

    @manager.user_loader
    def load_user(username: str):
        actor = users.actor_of(unit_of_work(), username)
        return SignedIn(actor) if actor else None

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
def login(credentials):
    """Sign in with a username and password; returns the CSRF token for later changes."""
    signed = users.authenticate(unit_of_work(), credentials["username"], credentials["password"])
    if signed is None:
        users.record_sign_in(unit_of_work(), clock(), credentials["username"], False, request.remote_addr)
        return problem(401, "Unauthorized", t("wrong username or password"))
    users.record_sign_in(unit_of_work(), clock(), signed.name, True, request.remote_addr)
    start_session(signed)
    return _session_body(signed)


def start_session(signed: Actor) -> None:
    """A new session for who signed in (a fresh cookie, so none set before sign-in is kept) and its CSRF token."""
    session.clear()
    login_user(SignedIn(signed))
    session.permanent = True
    session["csrf"] = secrets.token_urlsafe(32)


@blueprint.route("/logout", methods=["POST"])
@blueprint.response(204)
def logout():
    """Sign out and forget the session."""
    logout_user()
    session.clear()


@blueprint.route("/me", methods=["GET"])
@blueprint.response(200, schemas.SessionSchema)
def me():
    """Who is signed in, and the CSRF token of this session (none for token requests)."""
    return _session_body(actor())


@blueprint.route("/tokens", methods=["POST"])
@blueprint.arguments(schemas.TokenRequestSchema)
@blueprint.response(201, schemas.TokenSchema)
def create_token(request_body):
    """A personal API token for scripts (shown once): send it as ``Authorization: Bearer …``."""
    token = users.create_token(unit_of_work(), clock(), actor(), actor().name, request_body.get("name") or "API token")
    return {"token": token, "name": request_body.get("name") or "API token"}


def _session_body(signed: Actor) -> dict:
    return {"username": signed.name, "agency": signed.agency, "roles": sorted(signed.roles),
            "csrf_token": session.get("csrf")}


def record_refusal(who, reason: str) -> None:
    """An attempted change that was refused goes into the audit log: who, what route, why."""
    users.record_refusal(unit_of_work(), clock(), who, request.method, request.path, request.endpoint, reason)
