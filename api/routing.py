"""The blueprint every resource of the JSON API is declared on.

webargs drops unknown query parameters silently by default; a client that
misspells ``?plna=3`` would get everybody's tasks. Here every location
refuses what its schema does not name, with a 422 that names it.
"""
from __future__ import annotations

import flask_smorest
from marshmallow import RAISE
from webargs.flaskparser import FlaskParser
from werkzeug.routing import BaseConverter, IntegerConverter

#: The largest id there can be: ids are INTEGER columns, 32 bits on PostgreSQL.
MAX_ID = 2 ** 31 - 1


class TemplateKeyConverter(BaseConverter):
    """``<template_key:…>``: a template's key, never ``drafts`` (``/templates/drafts`` is where drafts are made,
    so that its ``Allow`` names POST only)."""

    regex = r"(?!drafts(?:/|$))[^/]+"
    schema = {"type": "string", "pattern": r"^(?!drafts$)[^/]+$"}


class IdConverter(IntegerConverter):
    """``<int:…>`` in routes: an id beyond what a row can have matches no route (404), instead of reaching the
    database (which refuses the number); the OpenAPI document gives the range."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None, max: int | None = None,  # noqa: A002
                 signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=MAX_ID if max is None else max, signed=signed)


class _StrictParser(FlaskParser):
    DEFAULT_UNKNOWN_BY_LOCATION = {**FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION, "query": RAISE, "querystring": RAISE}


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = _StrictParser()
