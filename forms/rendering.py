"""The JSON Schema (draft 2020-12) a UI renders a form from, read off the marshmallow schema.

Walking the fields keeps the UI's form and the server's validation the same
form: a field added to a schema appears in its JSON Schema with no second edit.
"""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields
from marshmallow.validate import Length

from engine.i18n import in_language
from forms.fields import (
    MAX_ITEMS,
    MAX_NAME,
    EvidenceId,
    Figures,
    IsoDate,
    Matches,
    Part,
    StrictBoolean,
    StrictList,
    Text,
    Unique,
)
from forms.schemas import Form

DIALECT = "https://json-schema.org/draft/2020-12/schema"


def form_json_schema(form: Form, locale: str) -> dict:
    """The whole document for one form: dialect, title, description and the object."""
    document: dict = {"$schema": DIALECT}
    document.update(_words(form.form_title, form.form_description, locale))
    document.update(object_schema(form, locale))
    return document


def object_schema(schema: Schema, locale: str) -> dict:
    properties = {name: field_schema(field, locale) for name, field in schema.load_fields.items()}
    result: dict = {"type": "object", "properties": properties,
                    "required": [name for name, field in schema.load_fields.items() if field.required],
                    "additionalProperties": schema.unknown == INCLUDE}
    result.update(getattr(schema, "json_schema_rules", {}))
    return result


def field_schema(field: fields.Field, locale: str) -> dict:
    result = _words(field.metadata.get("title"), field.metadata.get("description"), locale)
    result.update(_type_of(field, locale))
    for validator in field.validators:
        result.update(_constraint(validator, result["type"]))
    default = field.load_default
    if default is not None and default is not fields.missing_ and not field.required:
        result["default"] = default() if callable(default) else default
    return result


def _type_of(field: fields.Field, locale: str) -> dict:
    if isinstance(field, Part):
        return object_schema(field.schema, locale)
    if isinstance(field, StrictList):
        return {"type": "array", "items": field_schema(field.inner, locale)}
    if isinstance(field, StrictBoolean):
        return {"type": "boolean"}
    if isinstance(field, IsoDate):
        return {"type": "string", "format": "date"}
    if isinstance(field, Figures):
        return {"type": "object", "maxProperties": MAX_ITEMS,
                "propertyNames": {"minLength": 1, "maxLength": MAX_NAME, "pattern": "\\S"},
                "additionalProperties": {"type": "number"}}
    if isinstance(field, Text | EvidenceId):
        return {"type": "string"}
    raise TypeError(f"no JSON Schema for a {type(field).__name__} field; teach forms/rendering.py about it")


def _constraint(validator: object, kind: str) -> dict:
    if isinstance(validator, Length):
        prefix = "Length" if kind == "string" else "Items"
        bounds = {f"min{prefix}": validator.min, f"max{prefix}": validator.max}
        result = {key: value for key, value in bounds.items() if value is not None}
        if kind == "string" and validator.min:
            result["pattern"] = "\\S"  # marshmallow strips first: blanks do not count
        return result
    if isinstance(validator, Matches):
        return {"pattern": validator.pattern}
    if isinstance(validator, Unique):
        return {"uniqueItems": True}
    raise TypeError(f"no JSON Schema for the validator {validator!r}; teach forms/rendering.py about it")


def _words(title: str | None, description: str | None, locale: str) -> dict:
    """A title and description in the reader's language (``locale``), from the gettext catalogue."""
    words = {}
    if title:
        words["title"] = in_language(title, locale)
    if description:
        words["description"] = in_language(description, locale)
    return words
