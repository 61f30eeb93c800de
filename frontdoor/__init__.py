"""What every HTTP request goes through, whichever interface answers it (the web pages or the JSON API).

Who the request is from (a browser session or a personal token) and its CSRF
token (``sign_in``), the reader's language (``i18n``), the headers every
answer carries (``security_headers``), what addresses accept (``routing``),
which blueprints are pages (``pages``), the composition root the request runs
on and who is acting (``context``), and the problem-details answer errors
take (``problems``). ``server.create_app`` installs it; ``web`` and ``api``
read it, and neither reads the other.
"""
from __future__ import annotations

from flask import Flask

from frontdoor import i18n, routing, security_headers, sign_in

__all__ = ["init_app"]


def init_app(app: Flask) -> None:
    routing.init_app(app)  # before any route is added
    i18n.init_app(app)
    security_headers.init_app(app)
    sign_in.init_app(app)
