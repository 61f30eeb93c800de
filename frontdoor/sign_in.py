"""Who a request is from: a browser session (flask-login, the session kept in the database) or a personal token.

A request made with the session cookie that changes something must carry
the session's CSRF token: the ``X-CSRF-Token`` header (given at sign-in and
by ``GET /api/v1/me``), or on a page the form's ``csrf_token`` field.
Requests with ``Authorization: Bearer`` carry no cookie and need none.
Auditors read: a change they try is refused, and the refusal recorded,
unless the route is ``personal`` (their own session, tokens and inbox).
"""
from __future__ import annotations

import hmac
import secrets
from typing import Callable

from flask import (
    Flask,
    after_this_request,
    current_app,
    g,
    redirect,
    request,
    session,
    url_for,
)
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user

from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.services import sign_in, users
from frontdoor.context import clock, unit_of_work
from frontdoor.pages import is_page, login_page
from frontdoor.problems import problem

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
#: The cookie of a browser's device token, kept when signing out: the browser stays known.
DEVICE_COOKIE = "planflow_device"


def open_to_all(view: Callable) -> Callable:
    """A route anyone may call without signing in (the sign-in itself, health, the API's documentation)."""
    view.planflow_open = True
    return view


def open_endpoints(app: Flask, *endpoints: str) -> None:
    """Endpoints anyone may call, named where decorating them is not possible (an extension's own views)."""
    app.extensions.setdefault("frontdoor.open", set()).update(endpoints)


def personal(view: Callable) -> Callable:
    """A change to one's own session, tokens or inbox: auditors, who change nothing else, may make it."""
    view.planflow_personal = True
    return view


class SignedIn(UserMixin):
    """Who a request is from: by a personal token, or by a browser session (whose key flask-login keeps in the
    signed cookie; the session itself is a row of ``web_sessions``)."""

    def __init__(self, actor: Actor, by_token: bool = False, session_key: str | None = None) -> None:
        self.actor, self.by_token, self.session_key = actor, by_token, session_key

    def get_id(self) -> str | None:
        return self.session_key


def init_app(app: Flask) -> None:
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
        view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
        if (view is None or getattr(view, "planflow_open", False) or request.endpoint.rpartition(".")[2] == "static"
                or request.endpoint in current_app.extensions.get("frontdoor.open", ())):
            return None
        page = is_page(current_app, request.blueprint)
        if not current_user.is_authenticated:
            if page:  # a page: to the sign-in page, and back here after
                back = request.full_path if request.args else request.path
                return redirect(url_for(login_page(current_app, request.blueprint), next=back))
            return manager.unauthorized()
        g.actor = current_user.actor
        if request.method in UNSAFE and not current_user.by_token:
            sent = request.headers.get("X-CSRF-Token") or (request.form.get("csrf_token", "") if page else "")
            expected = session.get("csrf", "")
            if not expected or not hmac.compare_digest(sent, expected):
                return problem(403, "Forbidden", t("this change needs the X-CSRF-Token header given at sign-in "
                                                   "(GET /api/v1/me returns it)"))
        if request.method in UNSAFE and not getattr(view, "planflow_personal", False):
            try:
                policy.check_changes_anything(g.actor)
            except policy.Forbidden as refused:
                record_refusal(g.actor, refused.message)
                return problem(403, "Forbidden", refused.message)
        return None


def start_session(signed: Actor, key: str, device: str | None = None) -> None:
    """The session ``key`` opened for who signed in, in a fresh cookie (nothing set before sign-in is kept),
    with its CSRF token; and the browser's ``device`` token in its own long-lived cookie."""
    session.clear()
    login_user(SignedIn(signed, session_key=key))
    session.permanent = True
    session["csrf"] = secrets.token_urlsafe(32)
    if device:
        @after_this_request
        def remember_device(response):
            # Not readable by scripts, sent only over HTTPS (unless cookies are set insecure for local work) and
            # only with the site's own requests: the token spares its owner the lock that strangers' guesses set.
            response.set_cookie(DEVICE_COOKIE, device, max_age=sign_in.DEVICE_DAYS * 24 * 3600, httponly=True,
                                secure=current_app.config.get("SESSION_COOKIE_SECURE", True), samesite="Strict")
            return response


def presented_device() -> str | None:
    """The device token the browser sent with its sign-in (``engine.services.sign_in``), if any."""
    return request.cookies.get(DEVICE_COOKIE)


def end_session() -> None:
    """Sign out: the session ends in the database (a copy of the cookie signs nobody in) and the cookie is
    cleared."""
    if current_user.is_authenticated and not current_user.by_token:
        sign_in.sign_out(unit_of_work(), clock(), current_user.session_key)
    logout_user()
    session.clear()


def record_refusal(who: Actor, reason: str) -> None:
    """An attempted change that was refused goes into the audit log: who, what route, why."""
    users.record_refusal(unit_of_work(), clock(), who, request.method, request.path, request.endpoint, reason)
