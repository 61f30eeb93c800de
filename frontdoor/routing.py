"""What the addresses of pages and API routes accept: ids a row can have, and template keys."""
from __future__ import annotations

from flask import Flask
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


def init_app(app: Flask) -> None:
    """Before any route is added."""
    app.url_map.converters["int"] = IdConverter
    app.url_map.converters["template_key"] = TemplateKeyConverter
