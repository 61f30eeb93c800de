"""The Flask application: thin blueprints over the engine's services."""
from __future__ import annotations

import os
from typing import Any

from flask import Flask

from engine.clock import SystemClock
from engine.store import Database, UnitOfWork


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; nothing is created at import time."""
    app = Flask(__name__, instance_relative_config=False)
    app.config.from_mapping(
        DATABASE_URL=os.environ.get("PLANFLOW_DATABASE_URL"),
        SECRET_KEY=os.environ.get("PLANFLOW_SECRET_KEY") or os.urandom(32),
    )
    if test_config:
        app.config.update(test_config)

    database = Database(app.config["DATABASE_URL"])
    app.extensions["planflow"] = {"database": database, "clock": app.config.get("CLOCK") or SystemClock()}

    from . import errors, processes
    errors.init_app(app)
    app.register_blueprint(processes.blueprint, url_prefix="/api/v1")
    return app


def unit_of_work(app: Flask) -> UnitOfWork:
    return UnitOfWork(app.extensions["planflow"]["database"].sessions)
