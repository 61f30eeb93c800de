"""Every error of the JSON API becomes one problem-details response (RFC 9457, application/problem+json)."""
from __future__ import annotations

import marshmallow as ma
from flask import Flask, current_app, g, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from engine.errors import Invalid, PlanflowError, field_errors
from engine.i18n import N_, marshmallow_words, t
from frontdoor.problems import PROBLEM, problem
from frontdoor.routing import TemplateKeyConverter

#: What a person is told for HTTP's own errors (werkzeug's texts are English and long).
HTTP_DETAILS = {
    400: t("the request could not be read (is the body valid JSON?)"),
    404: t("there is nothing at this address"),
    405: t("this address does not take this method; see the Allow header"),
    413: t("the request is too large"),
}
#: webargs' own words, for the catalogue (they come as plain text, and are looked up as they are).
WEBARGS_WORDS = (N_("Invalid JSON body."),)


class ProblemSchema(ma.Schema):
    """An error answer (RFC 9457 problem details), in the reader's language."""

    type = ma.fields.String(metadata={"description": "about:blank"})
    title = ma.fields.String(metadata={"description": "HTTP's name of the status"})
    status = ma.fields.Integer()
    detail = ma.fields.String(metadata={"description": "What was wrong and what to do about it"})
    errors = ma.fields.Dict(metadata={"description": "Messages by field, where input was refused"})


#: Where the web pages leave how they answer an error (``app.extensions[ERROR_PAGE](status)``), for the errors
#: that reach no page of theirs: an address nothing serves, a method a page does not take.
ERROR_PAGE = "planflow_error_page"


class PlanflowApi(Api):
    """flask-smorest's Api, answering errors as problem details."""

    ERROR_SCHEMA = ProblemSchema

    def __init__(self, app: Flask) -> None:
        super().__init__(app, spec_kwargs={"components": {"securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "A personal API token (pf_…)"},
            "session": {"type": "apiKey", "in": "cookie", "name": "session"}}},
            "security": [{"bearer": []}, {"session": []}]})
        self.register_converter(TemplateKeyConverter, lambda converter: dict(converter.schema))
        app.register_error_handler(PlanflowError, self.handle_planflow_error)
        as_written = self.spec.to_dict
        self.spec.to_dict = lambda: document_problems(as_written())  # read each time the document is served


    def handle_http_exception(self, error: HTTPException):
        page = current_app.extensions.get(ERROR_PAGE)
        if page is not None and not request.path.startswith("/api/") and request.accept_mimetypes.accept_html:
            return page(error.code or 500)  # a person's browser, at an address no page has: the pages' own answer
        data = getattr(error, "data", None) or {}
        errors = data.get("errors") or _webargs_errors(data.get("messages"))
        detail = data.get("message") or HTTP_DETAILS.get(error.code) or error.description or error.name
        if error.code == 422 and errors:
            first_field, first = next(iter(errors.items()))
            if first:
                said = marshmallow_words(first[0]) if isinstance(first[0], str) else first[0]
                detail = t("%(field)s: %(message)s", field=first_field, message=said)
        headers = dict(data.get("headers") or {})
        if error.code == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(sorted(error.valid_methods))
        return problem(error.code or 500, error.name, detail, errors, headers)

    @staticmethod
    def handle_planflow_error(error: PlanflowError):
        if error.status == 403 and request.method in ("POST", "PUT", "PATCH", "DELETE") and "actor" in g:
            from frontdoor.sign_in import record_refusal
            record_refusal(g.actor, error.message)
        errors = error.errors if isinstance(error, Invalid) and error.errors else None
        return problem(error.status, error.title, error.message, errors, getattr(error, "headers", None))


def document_problems(document: dict) -> dict:
    """The OpenAPI document as the API answers: every error response (4xx, 5xx, default) in problem+json,
    every operation's possible 503 (the database away) and 401 (no valid sign-in) where it needs one."""
    for name, response in document.get("components", {}).get("responses", {}).items():
        _problem_content(response)
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if method not in ("get", "post", "put", "patch", "delete"):
                continue
            responses = operation.setdefault("responses", {})
            for code, response in responses.items():
                if code == "default" or str(code)[0] in "45":
                    _problem_content(response)
            responses.setdefault("503", {"$ref": "#/components/responses/UNAVAILABLE"})
            if operation.get("security") != []:
                responses.setdefault("401", {"$ref": "#/components/responses/UNAUTHORIZED"})
    responses = document.setdefault("components", {}).setdefault("responses", {})
    error = {"$ref": "#/components/schemas/Problem"}
    responses.setdefault("UNAVAILABLE", {"description": "The database is busy or unreachable: try again after "
                                                        "Retry-After seconds",
                                         "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                                         "content": {PROBLEM: {"schema": error}}})
    responses.setdefault("UNAUTHORIZED", {"description": "Not signed in: no session, or a token that is unknown, "
                                                         "revoked or past its end",
                                          "content": {PROBLEM: {"schema": error}}})
    return document


def _problem_content(response: dict) -> None:
    content = response.get("content")
    if content and "application/json" in content and PROBLEM not in content:
        content[PROBLEM] = content.pop("application/json")
    elif "$ref" not in response and not content:
        response["content"] = {PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def refuse_unknown_query_parameters():
    """A query parameter the route does not take is a mistake to report, never one to ignore silently.

    Routes that declare a query schema refuse unknown names through it (``Strict``); this covers the
    routes that take none.
    """
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    if not request.args or any(parameter.get("in") == "query" for parameter in parameters):
        return None
    unknown = sorted(request.args)
    return problem(422, "Unprocessable Entity", t("%(names)s: this route takes no query parameters",
                                                  names=", ".join(unknown)),
                   {name: ["Unknown field."] for name in unknown})


def _webargs_errors(messages) -> dict[str, list[str]] | None:
    """webargs' {"json": {"a": {"b": ["msg"]}}} as {"a.b": ["msg"]} (the location left out)."""
    if not messages:
        return None
    flat: dict[str, list[str]] = {}
    for location, tree in messages.items():
        for path, found in field_errors(tree, root="_body").items():
            flat.setdefault(path, []).extend(found)
    return flat
