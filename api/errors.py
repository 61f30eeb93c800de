"""Every error becomes one problem-details response (RFC 9457, application/problem+json)."""
from __future__ import annotations

from flask import Flask, current_app, g, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from engine.errors import Invalid, PlanflowError
from engine.i18n import t

from .i18n import localized, localized_errors

#: What a person is told for HTTP's own errors (werkzeug's texts are English and long).
HTTP_DETAILS = {
    400: t("the request could not be read (is the body valid JSON?)"),
    404: t("there is nothing at this address"),
    405: t("this address does not take this method; see the Allow header"),
    413: t("the request is too large"),
}


def problem(status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
    """A problem-details response, its detail and field errors in the reader's language."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": localized(detail)}
    if errors:
        body["errors"] = localized_errors(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


class PlanflowApi(Api):
    """flask-smorest's Api, answering errors as problem details."""

    def __init__(self, app: Flask) -> None:
        super().__init__(app, spec_kwargs={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token (pf_…)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
            "security": [{"bearer": []}, {"session": []}]})
        app.register_error_handler(PlanflowError, self.handle_planflow_error)
        app.before_request(refuse_unknown_query_parameters)

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or _flatten(data.get("messages"))
        detail = data.get("message") or HTTP_DETAILS.get(error.code) or error.description or error.name
        if error.code == 422 and errors:
            first_field, first = next(iter(errors.items()))
            detail = f"{first_field}: {first[0]}" if first else detail
        headers = dict(data.get("headers") or {})
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return problem(error.code or 500, error.name, detail, errors, headers)

    @staticmethod
    def handle_planflow_error(error: PlanflowError):
        if error.status == 403 and request.method in ("POST", "PUT", "PATCH", "DELETE") and "actor" in g:
            from .auth import record_refusal  # the refused change itself goes into the audit log
            record_refusal(g.actor, error.message)
        errors = error.errors if isinstance(error, Invalid) and error.errors else None
        return problem(error.status, error.title, error.message, errors, getattr(error, "headers", None))


def refuse_unknown_query_parameters():
    """A query parameter the route does not take is a mistake to report, never one to ignore silently.

    Routes that declare a query schema refuse unknown names through it (``Strict``); this covers the
    routes that take none.
    """
    if request.endpoint and request.endpoint.startswith(("web.", "static")):
        return None  # pages read their own query parameters
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    if not request.args or any(parameter.get("in") == "query" for parameter in parameters):
        return None
    unknown = sorted(request.args)
    return problem(422, "Unprocessable Entity", t("%(names)s: this route takes no query parameters",
                                                  names=", ".join(unknown)),
                   {name: ["Unknown field."] for name in unknown})


def _flatten(messages, prefix: str = "") -> dict[str, list[str]] | None:
    """webargs' {"json": {"a": {"b": ["msg"]}}} as {"a.b": ["msg"]}."""
    if not messages:
        return None
    flat: dict[str, list[str]] = {}
    for key, value in messages.items():
        path = key if not prefix else f"{prefix}.{key}"
        if prefix == "" and key in ("json", "form", "query", "files", "headers"):
            path = ""
        if isinstance(value, dict):
            flat.update(_flatten(value, path) or {})
        else:
            flat[path or "_body"] = [str(v) for v in (value if isinstance(value, list) else [value])]
    return flat
