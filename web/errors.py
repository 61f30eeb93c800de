"""Errors on the pages: one error page, in the reader's language, whatever the use case refused."""
from __future__ import annotations

from flask import render_template

from engine.errors import PlanflowError
from frontdoor.i18n import localized
from web.blueprint import blueprint


def error_page(code: int, message: str | None = None):
    return render_template("error.html", code=code, message=message), code


@blueprint.errorhandler(PlanflowError)
def refused(error: PlanflowError):
    """What another agency's or province's thing reads as (404), a refusal (403) or a failure, as a page.
    A thing one may not see is simply not there: its page says nothing more."""
    if error.status == 404:
        return error_page(404)
    return error_page(error.status, localized(error.message))
