"""Plan templates: YAML files in workflows/templates/, validated, versioned, launched.

``validate_template`` is the one entry point for a template's text: it
parses the YAML, checks the structure (``schema``) and the references
(``references``), and returns the template as plain data with its content
hash, or raises ``Invalid`` whose ``errors`` name each field path and line.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from marshmallow import ValidationError

from engine.errors import Invalid, field_errors
from engine.i18n import t
from engine.model.agencies import AgencyDirectory
from engine.templates.messages import translatable
from engine.templates.references import check_references
from engine.templates.schema import TemplateSchema
from engine.templates.source import lines_of, read_template_text, with_lines


@dataclass(frozen=True)
class ValidTemplate:
    key: str
    data: dict[str, Any]
    source: str
    content_hash: str
    #: False when only the template's own structure was checked (no agency directory to check against).
    references_checked: bool = True


def validate_template(text: str | bytes, directory: "AgencyDirectory | Callable[[dict], AgencyDirectory] | None",
                      processes: set[str], name: str = "template", template_keys: set[str] | None = None,
                      on: date | None = None) -> ValidTemplate:
    """Check the structure, then (given a directory, or a function giving the directory a template needs) the
    agencies, processes and templates it names: the bodies of its date of issue, else of ``on``."""
    raw, lines = read_template_text(text, name)
    try:
        data = TemplateSchema().load(raw)
    except ValidationError as error:
        flat = {path: [translatable(message) for message in messages]
                for path, messages in field_errors(error.messages).items()}
        errors = with_lines(flat, lines)
        raise Invalid(_summary(name, errors), errors=errors, lines=lines_of(flat, lines)) from None
    if directory is not None:
        needed = directory(data) if callable(directory) else directory
        problems = check_references(data, needed, processes, template_keys, on)
        if problems:
            errors = with_lines(problems, lines)
            raise Invalid(_summary(name, errors), errors=errors, lines=lines_of(problems, lines))
    source = text.decode("utf-8") if isinstance(text, bytes) else text
    return ValidTemplate(data["key"], data, source, hashlib.sha256(source.encode("utf-8")).hexdigest(),
                         references_checked=directory is not None)


def _summary(name: str, errors: dict[str, list[str]]) -> str:
    first_field, first_messages = next(iter(errors.items()))
    if len(errors) > 1:
        return t("%(name)s: %(field)s: %(message)s (and %(more)s more)", name=name, field=first_field,
                 message=first_messages[0], more=len(errors) - 1)
    return t("%(name)s: %(field)s: %(message)s", name=name, field=first_field, message=first_messages[0])
