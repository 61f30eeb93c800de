"""The web pages: server-rendered Jinja templates over the same use cases as the JSON API.

Vietnamese by default, English through the switch in the header; every
change is a form posted with the session's CSRF token; what people typed is
escaped by Jinja's autoescaping, never marked safe. One module per resource
declares its pages on the ``web`` blueprint; a page calls use cases, never a
repository, and errors become one error page (``errors``).
"""
from __future__ import annotations

from flask import Flask

from frontdoor.pages import serve_pages
from web.blueprint import STATIC, blueprint

__all__ = ["STATIC", "init_app"]


def init_app(app: Flask) -> None:
    from web import audit, docs, errors, filters, instances, plan_templates, plans, session, tasks, work  # noqa: F401
    from web import admin, drafts, extensions, invitations, notices, reporting, reports, spreadsheets  # noqa: F401
    app.register_blueprint(blueprint)
    app.extensions["planflow_error_page"] = errors.error_page  # api.errors.ERROR_PAGE
    serve_pages(app, blueprint.name, "web.login")
