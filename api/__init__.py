"""The Flask application: thin blueprints over the engine's services.

``create_app`` builds everything (database, sign-in, blueprints, OpenAPI);
nothing is created at import time.
"""
from __future__ import annotations

import mimetypes
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from werkzeug.middleware.proxy_fix import ProxyFix

from api.routing import IdConverter, TemplateKeyConverter
from engine.model.clock import clock_from
from engine.services import definitions
from engine.store import Database, UnitOfWork


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    mimetypes.add_type("text/javascript", ".mjs")  # module scripts (pdf.js) need a JavaScript type
    app = Flask(__name__, instance_path=str(Path("instance").resolve()))
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("PLANFLOW_DATABASE_URL"),
        EVIDENCE_DIR=os.environ.get("PLANFLOW_EVIDENCE_DIR") or str(Path(app.instance_path) / "evidence"),
        EVIDENCE_MAX_BYTES=int(os.environ.get("PLANFLOW_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)),
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
    definitions.script_limits()  # a mistyped PLANFLOW_SCRIPT_* setting stops the start, naming it
    app.config["SECRET_KEY"] = app.config.get("SECRET_KEY") or _secret_key(app)
    if os.environ.get("PLANFLOW_ENV", "").strip().lower() == "production":
        _refuse_unsafe_production(app)
    app.config["MAX_CONTENT_LENGTH"] = app.config["EVIDENCE_MAX_BYTES"] + 1024 * 1024

    hops = _proxy_hops(app.config.get("PROXY_HOPS", os.environ.get("PLANFLOW_PROXY_HOPS", "0")))
    if hops:  # behind a reverse proxy: the client's address and scheme are the ones it forwards
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=0)

    database = Database(app.config["DATABASE_URL"])
    database.check_schema()  # a database to seed or to upgrade stops the start, saying which
    app.extensions["planflow"] = {
        "database": database,
        "clock": app.config.get("CLOCK") or clock_from(os.environ.get("PLANFLOW_NOW")),
    }
    app.json.ensure_ascii = False  # Vietnamese as it is written, not as \u escapes
    app.url_map.converters["int"] = IdConverter  # before any route is added
    app.url_map.converters["template_key"] = TemplateKeyConverter
    from api import auth, blueprints, errors, i18n, security_headers
    i18n.init_app(app)
    security_headers.init_app(app)
    api = errors.PlanflowApi(app)
    auth.init_app(app, api)
    blueprints.register(api)
    from api import web
    app.register_blueprint(web.blueprint)
    return app


def unit_of_work() -> UnitOfWork:
    return UnitOfWork(current_app.extensions["planflow"]["database"].sessions)


def clock():
    return current_app.extensions["planflow"]["clock"]


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
