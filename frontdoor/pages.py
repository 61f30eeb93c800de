"""Which blueprints are pages people read in a browser, rather than an API a program calls.

An anonymous visit to a page goes to its sign-in page (and back after), a
change made from a page carries the CSRF token in a form field, and a page's
language is the reader's choice (the switch in the header) rather than the
browser's ``Accept-Language``.
"""
from __future__ import annotations

from flask import Flask

_KEY = "frontdoor.pages"


def serve_pages(app: Flask, blueprint: str, login_endpoint: str) -> None:
    """Mark ``blueprint`` as pages, signing in at ``login_endpoint``."""
    app.extensions.setdefault(_KEY, {})[blueprint] = login_endpoint


def is_page(app: Flask, blueprint: str | None) -> bool:
    return blueprint in app.extensions.get(_KEY, {})


def login_page(app: Flask, blueprint: str) -> str:
    return app.extensions[_KEY][blueprint]
