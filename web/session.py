"""Signing in and out, and the language switch."""
from __future__ import annotations

import hmac
import secrets

from flask import current_app, make_response, redirect, render_template, request, session, url_for

from engine.errors import TooManyAttempts
from engine.i18n import N_
from engine.services import sign_in
from frontdoor.context import clock, unit_of_work
from frontdoor.i18n import LANGUAGES, localized
from frontdoor.sign_in import end_session, open_to_all, presented_device, start_session
from web.blueprint import blueprint
from web.errors import error_page


@blueprint.route("/")
def home():
    return redirect(url_for("web.work"))


@blueprint.route("/language/<code>")
@open_to_all
def language(code: str):
    """The language switch: remembered in a cookie for a year; back to the page it was clicked on."""
    if code not in LANGUAGES:
        return error_page(404)
    response = make_response(redirect(_local(request.args.get("next"), "/")))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", True))
    return response


@blueprint.route("/login", methods=["GET", "POST"])
@open_to_all
def login():
    error, username, status = None, "", 401
    if request.method == "POST":
        username = request.form.get("username", "")
        sent, expected = request.form.get("csrf_token", ""), session.get("login_csrf", "")
        if not expected or not hmac.compare_digest(sent, expected):
            error = N_("The sign-in form expired; please try again.")
        else:
            try:
                result = sign_in.sign_in(unit_of_work(), clock(), username, request.form.get("password", ""),
                                         request.remote_addr, presented_device())
            except TooManyAttempts as refused:
                said = localized(refused.message)  # a sentence on the page: capital first, full stop
                result, error, status = None, f"{said[:1].upper()}{said[1:]}.", 429
            else:
                error = None if result else N_("Wrong username or password.")
            if result is not None:
                start_session(result.actor, result.session_key, result.device_token)
                return redirect(_local(request.args.get("next"), url_for("web.work")))
    session["login_csrf"] = secrets.token_urlsafe(24)
    return render_template("login.html", error=error, username=username, login_csrf=session["login_csrf"]), \
        (status if error else 200)


@blueprint.route("/logout", methods=["POST"])
def logout():
    end_session()
    return redirect(url_for("web.login"))


def _local(target: str | None, default: str) -> str:
    """Where to go next: an address of this site only (never another's, nor a scheme-relative //host)."""
    target = target or default
    return target if target.startswith("/") and not target.startswith("//") else "/"
