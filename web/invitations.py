"""The page of a one-time link: open without signing in, it lets the person it was sent to set their password.

Whoever holds the link is who it was sent to (it is 256 random bits, so there is nothing to throttle); the page
says no more than their user name. Its form carries a token of the browser's session, as the sign-in form
does, since nobody is signed in to give one. A password goes only into the posted form: never into a page,
an address or a log."""
from __future__ import annotations

import hmac
import secrets

from flask import render_template, request, session

from engine.errors import Invalid, NotFound
from engine.i18n import N_
from engine.services import invitations
from frontdoor.context import clock, unit_of_work
from frontdoor.i18n import localized
from frontdoor.sign_in import open_to_all
from web.blueprint import blueprint


@blueprint.route("/invitations/<token>", methods=["GET", "POST"])
@open_to_all
def set_password(token: str):
    try:
        link = invitations.open_link(unit_of_work(), clock(), token)
    except NotFound:
        return _private(render_template("set_password.html", link=None, done=None, error=None), 404)
    error, status = None, 200
    if request.method == "POST":
        sent, expected = request.form.get("csrf_token", ""), session.pop("link_csrf", "")
        password = request.form.get("password", "")
        if not expected or not hmac.compare_digest(sent, expected):
            error, status = localized(N_("The form expired; please type your password again.")), 400
        elif password != request.form.get("confirm", ""):
            error, status = localized(N_("The two passwords are not the same; please type them again.")), 422
        else:
            try:
                done = invitations.set_password(unit_of_work(), clock(), token, password)
            except Invalid as refused:
                error, status = localized(refused.message), 422
            except NotFound:
                return _private(render_template("set_password.html", link=None, done=None, error=None), 404)
            else:
                return _private(render_template("set_password.html", link=link, done=done, error=None), 200)
    session["link_csrf"] = secrets.token_urlsafe(24)
    return _private(render_template("set_password.html", link=link, done=None, error=error,
                                    form_token=session["link_csrf"]), status)


def _private(page: str, status: int):
    """The page of a link is sent to no other site as a referrer (its address is the link itself)."""
    return page, status, {"Referrer-Policy": "no-referrer"}
