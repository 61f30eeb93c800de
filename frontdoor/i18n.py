"""Vietnamese first: pages and the API answer in the reader's language, from the gettext catalogues of the engine.

For the API the language is the best match of the request's ``Accept-Language``
among Vietnamese and English, Vietnamese when it says nothing; for the pages,
the reader's choice in the header (a cookie). Messages the engine
raises (``engine.i18n.Message``), the names of tasks and processes from the
standard BPMN and the labels of status codes are translated here, from the
catalogues in ``engine/translations``; codes stay beside their labels.
``make translations`` extracts the words again and compiles the catalogues.
"""
from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, has_request_context, request
from flask_babel import Babel, get_translations

from engine.i18n import TRANSLATIONS, Message, label, marshmallow_words
from frontdoor.pages import is_page

LANGUAGES = ("vi", "en")


def request_locale() -> str:
    """The API: the best match of Accept-Language (Vietnamese when it says nothing). The web pages:
    Vietnamese unless the reader chose English with the language switch (a cookie, or ``?lang=``)."""
    if not has_request_context():
        return "vi"
    if is_page(current_app, request.blueprint):
        chosen = request.args.get("lang") or request.cookies.get("lang")
        return chosen if chosen in LANGUAGES else "vi"
    return request.accept_languages.best_match(LANGUAGES) or "vi"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", "vi")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    Babel(app, locale_selector=request_locale)


def gettext(text: str) -> str:
    """``text`` from the catalogue of the reader's language. The catalogue is looked up once a request (a
    worklist page puts a few hundred labels and names into the reader's language)."""
    lookup = g.get("_planflow_gettext") if has_request_context() else None
    if lookup is None:
        lookup = get_translations().ugettext
        if has_request_context():
            g._planflow_gettext = lookup
    return lookup(text)


def localized(text: Any) -> Any:
    """A message, name or word in the reader's language (what the catalogues do not know stays as it is)."""
    if isinstance(text, Message):
        return text.translated(gettext)
    if isinstance(text, str) and text:
        return gettext(text.replace("%", "%%")).replace("%%", "%")
    return text


def localized_errors(errors: dict | None) -> dict | None:
    if not errors:
        return errors
    return {field: [localized(_words(message)) for message in messages] if isinstance(messages, list)
            else localized(_words(messages)) for field, messages in errors.items()}


def _words(message: Any) -> Any:
    """A field's message, marshmallow's formatted words ("Length must be between 1 and 100.") by their id."""
    return marshmallow_words(message) if isinstance(message, str) else message


def status_label(code: str | None) -> str | None:
    return localized(label(code)) if code is not None else None
