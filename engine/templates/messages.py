"""The words of a template's problems, to be put in the reader's language.

The checks of ``schema`` and ``references`` raise messages marked with ``t()``; marshmallow's own words
("Missing data for required field.", "Must be one of: plan, official_letter.") come as plain English text,
formatted before they reach us. Here each of those is taken back to its message id and its values, so that
whoever shows the problem puts it in the reader's language; what each check checks is not changed.
"""
from __future__ import annotations

from engine.i18n import N_, Message, marshmallow_words, t
from engine.templates.schema import KEY_ERROR

#: marshmallow's fixed words, and the one error the schema gives it to format (the key's).
FIXED = frozenset({
    N_("Missing data for required field."), N_("Field may not be null."), N_("Invalid value."),
    N_("Not a valid string."), N_("Not a valid utf-8 string."), N_("Not a valid integer."),
    N_("Not a valid number."), N_("Number too large."), N_("Not a valid boolean."), N_("Not a valid list."),
    N_("Not a valid mapping type."), N_("Invalid type."), N_("Invalid input type."), N_("Unknown field."),
    N_("String does not match expected pattern."), KEY_ERROR,
})
#: A problem with the line of the file it is at.
AT_LINE = N_("%(message)s (line %(line)s)")


def translatable(message: str) -> Message:
    """A problem as a message to translate: itself when marked already, else marshmallow's words by their id
    (words it does not know stay as they are, in English)."""
    if isinstance(message, Message):
        return message
    if message in FIXED:
        return t(message)
    return marshmallow_words(message)


def at_line(message: str, line: int | None) -> Message:
    """The problem with its line ("… (line 48)"), or as it is when it has none."""
    return t(AT_LINE, message=translatable(message), line=line) if line else translatable(message)


def without_line(message: str) -> str:
    """The problem without the line it is at (for a form, which has no lines)."""
    return message.params["message"] if isinstance(message, Message) and message.template == AT_LINE else message
