"""The words of form errors, in the reader's language.

Fields and schemas raise message codes; this module turns marshmallow's nested
error tree into ``{field path: [messages]}`` in the user's language, with paths
written the way a person reads them: ``contribution.summary``, ``evidence[2]``.
The sentences are English gettext message ids, put into Vietnamese by the
catalogue in ``engine/translations`` like every other word people read.
"""
from __future__ import annotations

from engine.errors import field_errors as engine_field_errors
from engine.i18n import N_, Message, in_language, t
from forms.fields import MAX_EVIDENCE, MAX_ITEMS
from forms.schemas import MAX_DEPTH, MAX_KEYS

LOCALES = ("vi", "en")
FORM = ""  # the path of an error about the form as a whole
WHOLE_FORM = N_("the whole form")

CATALOGUE: dict[str, str | Message] = {
    "required": N_("This field is required."),
    "null": N_("This field may not be null; leave it out or fill it in."),
    "blank": N_("This field may not be blank."),
    "not_a_string": N_("This must be text."),
    "not_a_boolean": N_("This must be true or false."),
    "not_a_list": N_("This must be a list."),
    "not_a_date": N_("Not a valid date; write it as YYYY-MM-DD, e.g. 2022-09-30."),
    "not_a_number": N_("This must be a number."),
    "not_an_object": N_("This must be a JSON object (names and values)."),
    "unknown_field": N_("This form has no such field."),
    "evidence_id": N_("Not a valid evidence id: use the 32-character id (0-9, a-f) returned when the file was "
                      "uploaded."),
    "too_many_evidence": t("At most %(most)s evidence files per field.", most=MAX_EVIDENCE),
    "duplicate": N_("An entry is listed twice."),
    "too_many_items": t("At most %(most)s entries.", most=MAX_ITEMS),
    "return_reason_required": N_("Give the reason for returning the result when it is not approved."),
    "return_reason_when_approved": N_("Leave the reason for returning empty when the result is approved."),
    "bad_character": N_("The text has a character that cannot be stored (NUL or a broken encoding)."),
    "key_not_text": N_("Field names must be text."),
    "not_json": N_("This value cannot be written as JSON."),
    "too_deep": t("The data is nested more than %(most)s levels deep.", most=MAX_DEPTH),
    "too_many_keys": t("The form has more than %(most)s fields.", most=MAX_KEYS),
    "too_large": N_("The form data is larger than 64 KiB."),
    "invalid": N_("Invalid value."),
}


def _too_long(most: int, locale: str) -> str:
    number = f"{most:,}".replace(",", "." if locale == "vi" else ",")  # 10.000 in Vietnamese, 10,000 in English
    return in_language(t("The text is longer than %(max)s characters.", max=number), locale)


def locale_of(locale: str | None) -> str:
    """``"vi"`` or ``"en"`` from a tag like ``"en-US"``; Vietnamese unless English is asked for."""
    language = (locale or "").replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else "vi"


def translate(code: str, locale: str) -> str:
    """The sentence for a message code; codes ``too_long_N`` carry their limit."""
    if code.startswith("too_long_") and code.removeprefix("too_long_").isdigit():
        return _too_long(int(code.removeprefix("too_long_")), locale)
    return in_language(CATALOGUE.get(code, CATALOGUE["invalid"]), locale)


def field_errors(errors: dict, locale: str) -> dict[str, list[str]]:
    """Marshmallow's error tree as path → messages in the reader's language."""
    return {path: [translate(str(code), locale) for code in codes]
            for path, codes in engine_field_errors(errors, root=FORM).items()}


def summary(errors: dict[str, list[str]], label: str | None, locale: str) -> str:
    """One sentence naming the first problem (and how many fields have one)."""
    path, messages = next(iter(errors.items()))
    what = messages[0][:1].lower() + messages[0][1:]
    where = label or path or in_language(WHOLE_FORM, locale)
    if len(errors) > 1:
        sentence = t("The form has %(count)s invalid fields; “%(where)s”: %(what)s", count=len(errors), where=where,
                     what=what)
    elif path != FORM:
        sentence = t("The field “%(where)s” is not valid: %(what)s", where=where, what=what)
    else:
        sentence = t("The form is not valid: %(what)s", what=what)
    return in_language(sentence, locale)
