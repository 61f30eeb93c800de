"""The web application: one Flask app serving the pages (``web``) and the JSON API (``api``).

``create_app`` builds everything (the composition root, sign-in, the
language, the blueprints, the OpenAPI document); nothing is created at import
time. gunicorn runs ``server:create_app()``; ``planflow serve`` runs it with
Flask's own server.
"""
from __future__ import annotations

import mimetypes
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import api
import frontdoor
import web
from bootstrap import Planflow, Settings


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    mimetypes.add_type("text/javascript", ".mjs")  # module scripts (pdf.js) need a JavaScript type
    app = Flask("planflow", instance_path=str(Path("instance").resolve()), static_folder=str(web.STATIC))
    settings = Settings.from_environment()
    app.config.from_mapping(
        DATABASE_URL=settings.database_url,
        EVIDENCE_DIR=str(settings.evidence_dir if os.environ.get("PLANFLOW_EVIDENCE_DIR")
                         else Path(app.instance_path) / "evidence"),
        EVIDENCE_MAX_BYTES=settings.evidence_max_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=os.environ.get("PLANFLOW_INSECURE_COOKIES") != "1",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SECURE=os.environ.get("PLANFLOW_INSECURE_COOKIES") != "1",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        API_TITLE="planflow",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
    )
    if test_config:
        app.config.update(test_config)
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or _secret_key(app)
    if settings.production:
        _refuse_unsafe_production(app)
    app.config["MAX_CONTENT_LENGTH"] = app.config["EVIDENCE_MAX_BYTES"] + 1024 * 1024

    hops = _proxy_hops(app.config.get("PROXY_HOPS", os.environ.get("PLANFLOW_PROXY_HOPS", "0")))
    if hops:  # behind a reverse proxy: the client's address and scheme are the ones it forwards
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    # A mistyped PLANFLOW_NOW or PLANFLOW_SCRIPT_* setting stops the start here, naming it.
    planflow = Planflow(settings.but(database_url=app.config["DATABASE_URL"],
                                     evidence_dir=Path(app.config["EVIDENCE_DIR"]),
                                     evidence_max_bytes=app.config["EVIDENCE_MAX_BYTES"]),
                        clock=app.config.get("CLOCK"))
    planflow.database.check_schema()  # a database to seed or to upgrade stops the start, saying which
    app.extensions["planflow"] = planflow
    app.json.ensure_ascii = False  # Vietnamese as it is written, not as \u escapes
    frontdoor.init_app(app)
    api.init_app(app)
    web.init_app(app)
    return app


#: The least a production secret key has: length, and different characters (not "aaaa…" nor a word repeated).
MIN_KEY, MIN_DISTINCT = 32, 10


def _refuse_unsafe_production(app: Flask) -> None:
    """PLANFLOW_ENV=production: no start with a secret key that is missing from the environment (each host
    would make its own) or guessable, nor with cookies allowed over plain HTTP."""
    key = os.environ.get("PLANFLOW_SECRET_KEY", "")
    problems = []
    if not key:
        problems.append("PLANFLOW_SECRET_KEY is not set (make one: python3 -c 'import secrets; "
                        "print(secrets.token_hex(32))')")
    elif len(key) < MIN_KEY or len(set(key)) < MIN_DISTINCT:
        problems.append(f"PLANFLOW_SECRET_KEY is too easy to guess: use at least {MIN_KEY} random characters")
    if not app.config.get("SESSION_COOKIE_SECURE", True):
        problems.append("PLANFLOW_INSECURE_COOKIES=1 sends session cookies over plain HTTP")
    if problems:
        raise RuntimeError("planflow will not start in production (PLANFLOW_ENV=production): " + "; ".join(problems))


def _proxy_hops(value) -> int:
    """PLANFLOW_PROXY_HOPS: how many reverse proxies stand in front (their X-Forwarded-For and -Proto are
    believed, that many hops deep); 0 when clients connect directly."""
    try:
        hops = int(value)
    except (TypeError, ValueError):
        hops = -1
    if not 0 <= hops <= 5:
        raise ValueError(f"PLANFLOW_PROXY_HOPS must be a whole number from 0 to 5 (got {value!r})")
    return hops


def _secret_key(app: Flask) -> str:
    """PLANFLOW_SECRET_KEY, else a random key kept in the instance folder so that every
    worker of this installation signs sessions alike. There is no built-in default."""
    if os.environ.get("PLANFLOW_SECRET_KEY"):
        return os.environ["PLANFLOW_SECRET_KEY"]
    path = Path(app.instance_path) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()
