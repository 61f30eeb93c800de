"""The field types the forms are built from.

Every error these fields raise is a message *code* (``"required"``,
``"evidence_id"`` …), never a sentence: `forms.messages` turns codes into the
user's language. The fields are strict on purpose: the data arrives as JSON and
is stored in the process as JSON, so ``"1"`` is not a number, ``1`` is not
``true`` and a date is written ``YYYY-MM-DD``.
"""
from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import ClassVar

from marshmallow import ValidationError, fields
from marshmallow.validate import Length, Validator

from engine.i18n import N_, Message

MAX_TEXT = 20_000
MAX_NAME = 500
MAX_ITEMS = 100
MAX_EVIDENCE = 20
EVIDENCE_ID_PATTERN = "^[0-9a-f]{32}$"

# Codes for the errors every field can raise; the catalogue is forms.messages.
COMMON_ERRORS = {"required": "required", "null": "null", "validator_failed": "invalid"}


def has_unstorable_character(text: str) -> bool:
    """NUL cannot be stored in PostgreSQL JSON; a lone surrogate cannot be encoded."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


class Matches(Validator):
    """The whole value matches ``pattern`` (which JSON Schema exports as ``pattern``)."""

    def __init__(self, pattern: str, error: str) -> None:
        self.pattern = pattern
        self.error = error
        self._regex = re.compile(pattern)

    def __call__(self, value: str) -> str:
        if self._regex.fullmatch(value) is None:
            raise ValidationError(self.error)
        return value


class Unique(Validator):
    """No entry of a list appears twice (JSON Schema: ``uniqueItems``)."""

    def __init__(self, error: str = "duplicate") -> None:
        self.error = error

    def __call__(self, value: list) -> list:
        if len(set(value)) != len(value):
            raise ValidationError(self.error)
        return value


class Text(fields.String):
    """A string with its surrounding whitespace stripped before it is validated."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **COMMON_ERRORS, "invalid": "not_a_string", "invalid_utf8": "not_a_string"}

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        if has_unstorable_character(value):
            raise ValidationError("bad_character")
        return value.strip()


def text(title: str | Message, description: str | Message | None = None, *,
         required: bool = False, max_length: int = MAX_TEXT) -> Text:
    """A free-text field; a required one must hold at least one non-blank character."""
    validators: list[Validator] = [Length(max=max_length, error=f"too_long_{max_length}")]
    if required:
        validators.insert(0, Length(min=1, error="blank"))
    optional = {} if required else {"load_default": ""}
    return Text(required=required, validate=validators, metadata=_metadata(title, description), **optional)


class EvidenceId(fields.String):
    """The id the evidence upload returned: ``uuid4().hex``, not stripped or case-folded."""

    default_error_messages: ClassVar[dict[str, str]] = {
        **COMMON_ERRORS, "invalid": "evidence_id", "invalid_utf8": "evidence_id"}

    def __init__(self, **kwargs) -> None:
        super().__init__(validate=Matches(EVIDENCE_ID_PATTERN, "evidence_id"), **kwargs)

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str):
            raise self.make_error("invalid")
        return value


class StrictList(fields.List):
    default_error_messages: ClassVar[dict[str, str]] = {**COMMON_ERRORS, "invalid": "not_a_list"}

    def _deserialize(self, value, attr, data, **kwargs) -> list:
        # marshmallow takes any non-string iterable; JSON only has arrays.
        if not isinstance(value, list | tuple):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def evidence(title: str | None = None, description: str | None = None) -> StrictList:
    """Ids of uploaded evidence files (minh chứng), each at most once."""
    return StrictList(
        EvidenceId(), load_default=list,
        validate=[Length(max=MAX_EVIDENCE, error="too_many_evidence"), Unique()],
        metadata=_metadata(title or N_("Evidence"),
                           description or N_("The evidence files uploaded for this step."),
                           kind="evidence"))


def names(title: str, description: str | None = None) -> StrictList:
    """A list of short non-blank texts (e.g. the expected outputs that were produced)."""
    item = Text(validate=[Length(min=1, error="blank"), Length(max=MAX_NAME, error=f"too_long_{MAX_NAME}")])
    return StrictList(item, load_default=list,
                      validate=[Length(max=MAX_ITEMS, error="too_many_items"), Unique()],
                      metadata=_metadata(title, description))


class Part(fields.Nested):
    """A nested object of a form (a contribution, a pilot's result)."""

    default_error_messages: ClassVar[dict[str, str]] = {**COMMON_ERRORS, "type": "not_an_object"}


class StrictBoolean(fields.Boolean):
    """``true`` or ``false`` only (marshmallow would also take ``"yes"``, ``1`` …)."""

    default_error_messages: ClassVar[dict[str, str]] = {**COMMON_ERRORS, "invalid": "not_a_boolean"}

    def _deserialize(self, value, attr, data, **kwargs) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class IsoDate(fields.Field):
    """A calendar date written ``YYYY-MM-DD``; loads to that same ISO string, checked."""

    default_error_messages: ClassVar[dict[str, str]] = {**COMMON_ERRORS, "invalid": "not_a_date"}
    _shape = re.compile(r"\d{4}-\d{2}-\d{2}")

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        if not isinstance(value, str) or self._shape.fullmatch(value) is None:
            raise self.make_error("invalid")
        try:
            return dt.date.fromisoformat(value).isoformat()
        except ValueError as error:
            raise self.make_error("invalid") from error


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


class Figures(fields.Field):
    """Named figures of a report, e.g. ``{"Số vụ việc": 12}``: text names, finite numbers.

    Errors are keyed by the figure's name, so a path reads ``figures.Số vụ việc``.
    """

    default_error_messages: ClassVar[dict[str, str]] = {**COMMON_ERRORS, "invalid": "not_an_object"}

    def _deserialize(self, value, attr, data, **kwargs) -> dict[str, int | float]:
        if not isinstance(value, Mapping):
            raise self.make_error("invalid")
        if len(value) > MAX_ITEMS:
            raise ValidationError("too_many_items")
        errors: dict[str, list[str]] = {}
        cleaned: dict[str, int | float] = {}
        for name, number in value.items():
            problem = self._name_problem(name) or (None if _is_number(number) else "not_a_number")
            if problem:
                errors[str(name)] = [problem]
            else:
                cleaned[name.strip()] = number
        if errors:
            raise ValidationError(errors)
        return cleaned

    @staticmethod
    def _name_problem(name: object) -> str | None:
        if not isinstance(name, str):
            return "key_not_text"
        if has_unstorable_character(name):
            return "bad_character"
        if not name.strip():
            return "blank"
        return f"too_long_{MAX_NAME}" if len(name.strip()) > MAX_NAME else None


def _metadata(title: str | Message, description: str | Message | None = None, **extra: str) -> dict:
    """A field's title and description, in English (gettext message ids), and what else the UI needs."""
    metadata: dict = {"title": title, **extra}
    if description:
        metadata["description"] = description
    return metadata
