"""The forms people fill in at each step, named by the BPMN task's ``camunda:formKey``.

``validate_form`` is what the engine calls before it completes a user task;
``json_schema`` is what the UI renders the form from; ``evidence_ids`` lists the
uploaded files a filled-in form refers to. A task with no form key, or one these
forms do not know (BPMN from other tools), gets the permissive form.
"""
from __future__ import annotations

import json
from functools import cache

from marshmallow import Schema, ValidationError

from engine.errors import Invalid
from engine.i18n import in_language
from forms import messages
from forms.fields import Part
from forms.rendering import form_json_schema
from forms.schemas import FORMS, Form, PermissiveForm

__all__ = ["FORM_KEYS", "evidence_ids", "json_schema", "kind_of", "validate_form"]

FORM_KEYS: tuple[str, ...] = tuple(FORMS)


def form_for(form_key: str | None) -> Form:
    """The schema of the key's form; the permissive form for None or an unknown key.

    One instance per form, shared: building a marshmallow schema binds every field (a large share of a
    completion's time when it was built for each call), and a built schema keeps no state between loads.
    """
    return _form(FORMS.get(form_key or "", PermissiveForm))


@cache
def _form(form_class: type[Form]) -> Form:
    return form_class()


def kind_of(form_key: str | None) -> str | None:
    """What a form is in the review loop: "report", "decision", "contribution", "unit_report" or None."""
    return FORMS.get(form_key or "", PermissiveForm).kind


def validate_form(form_key: str | None, data: object, locale: str = "vi") -> dict:
    """The cleaned form data, ready to store in the process, or `Invalid` naming each bad field.

    Cleaned data is plain JSON (dates as ``YYYY-MM-DD`` strings, text stripped) and
    holds every field of the form, optional ones at their empty default.
    """
    locale = messages.locale_of(locale)
    form = form_for(form_key)
    try:
        cleaned = form.load(data)
    except ValidationError as error:
        errors = messages.field_errors(error.normalized_messages(), locale)
        path = next(iter(errors))
        raise Invalid(messages.summary(errors, _label(form, path, locale), locale), errors=errors) from None
    # A JSON round trip: no tuples or shared objects reach the process data.
    return json.loads(json.dumps(cleaned, ensure_ascii=False))


def json_schema(form_key: str | None, locale: str = "vi") -> dict:
    """The JSON Schema (draft 2020-12) of the form, its words in the locale."""
    return form_json_schema(form_for(form_key), messages.locale_of(locale))


def evidence_ids(form_key: str | None, cleaned: dict) -> list[str]:
    """Every evidence id in cleaned form data, in field order, each once.

    The permissive form has no evidence fields, so it refers to none.
    """
    found: list[str] = []
    _collect_evidence(form_for(form_key), cleaned, found)
    return list(dict.fromkeys(found))


def _collect_evidence(schema: Schema, data: dict, found: list[str]) -> None:
    for name, field in schema.load_fields.items():
        value = data.get(name) if isinstance(data, dict) else None
        if field.metadata.get("kind") == "evidence":
            found.extend(value or [])
        elif isinstance(field, Part) and value:
            _collect_evidence(field.schema, value, found)


def _label(schema: Schema, path: str, locale: str) -> str | None:
    """The title the user sees for the field at ``path``, if the form declares one."""
    field = None
    for part in path.split("[")[0].split("."):
        field = schema.load_fields.get(part) if schema is not None else None
        if field is None:
            return None
        schema = field.schema if isinstance(field, Part) else None
    title = field.metadata.get("title") if field is not None else None
    return in_language(title, locale) if title else None
