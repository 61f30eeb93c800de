"""Problem details (RFC 9457, application/problem+json): what every error answer of the API is."""
from __future__ import annotations

from flask import jsonify

from engine.i18n import N_
from frontdoor.i18n import localized, localized_errors

#: The media type of every error answer.
PROBLEM = "application/problem+json"
#: HTTP's names of the statuses the API answers with (werkzeug's), for the catalogue: a problem's title is
#: in the reader's language too.
HTTP_TITLES = (N_("Bad Request"), N_("Unauthorized"), N_("Forbidden"), N_("Not Found"), N_("Method Not Allowed"),
               N_("Conflict"), N_("Request Entity Too Large"), N_("Unprocessable Entity"), N_("Too Many Requests"),
               N_("Internal Server Error"), N_("Service Unavailable"))
#: The titles of the engine's errors (engine.errors cannot mark its own: it stands below the catalogue's module).
ENGINE_TITLES = (N_("Bad request"), N_("Not found"), N_("Service unavailable"), N_("Not available on this server"),
                 N_("Too many requests"), N_("Invalid input"), N_("BPMN file rejected"),
                 N_("Process cannot be started"), N_("Process step failed"), N_("Database schema out of date"))


def problem(status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
    """A problem-details response, its title, detail and field errors in the reader's language."""
    body = {"type": "about:blank", "title": localized(title), "status": status, "detail": localized(detail)}
    if errors:
        body["errors"] = localized_errors(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
