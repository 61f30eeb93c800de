"""Problem details (RFC 9457, application/problem+json): what every error answer of the API is."""
from __future__ import annotations

from flask import jsonify

from frontdoor.i18n import localized, localized_errors

#: The media type of every error answer.
PROBLEM = "application/problem+json"


def problem(status: int, title: str, detail: str, errors: dict | None = None, headers: dict | None = None):
    """A problem-details response, its detail and field errors in the reader's language."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": localized(detail)}
    if errors:
        body["errors"] = localized_errors(errors)
    response = jsonify(body)
    response.status_code = status
    response.mimetype = PROBLEM
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response
