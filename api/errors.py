"""Every engine error becomes one problem-details response (RFC 9457)."""
from __future__ import annotations

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from engine.errors import Invalid, PlanflowError


def problem(status: int, title: str, detail: str, **extra):
    response = jsonify({"type": "about:blank", "title": title, "status": status, "detail": detail, **extra})
    response.status_code = status
    response.mimetype = "application/problem+json"
    return response


def init_app(app: Flask) -> None:
    @app.errorhandler(PlanflowError)
    def planflow_error(error: PlanflowError):
        extra = {"errors": error.errors} if isinstance(error, Invalid) and error.errors else {}
        return problem(error.status, error.title, error.message, **extra)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return problem(error.code or 500, error.name, error.description or error.name)
