"""Words people read: messages the engine raises and the labels of its codes, to be put in their language.

The engine has no request and no language. It marks what a person reads with
``t("task '%(name)s' is already %(status)s", name=…, status=…)``: a ``Message``
that is plain English text wherever it is printed (the command line, logs),
and that whoever shows it to a person puts into their language, Vietnamese
first (the API does, through Flask-Babel; mail is written with
``gettext_for("vi")``), from the catalogues in ``engine/translations``. Codes keep their machine form (``overdue``) beside a
label (``LABELS["overdue"]``, "quá hạn chưa hoàn thành").
"""
from __future__ import annotations

import gettext as stdlib_gettext
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

#: The catalogues: engine/translations/<locale>/LC_MESSAGES/messages.mo (see its README).
TRANSLATIONS = Path(__file__).resolve().parent / "translations"


class Message(str):
    """English text that remembers its template and values, so that it can be translated later."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> "Message":
        text = template % params  # templates write a literal percent sign as %%
        message = super().__new__(cls, text)
        message.template, message.params = template, params
        return message

    def translated(self, gettext) -> str:
        """The message in the language of ``gettext`` (a function from an English template to its translation);
        values that are messages themselves (a status word) are translated too."""
        params = {name: value.translated(gettext) if isinstance(value, Message) else value
                  for name, value in self.params.items()}
        return gettext(self.template) % params


def t(template: str, **params: Any) -> Message:
    """Mark a message for translation; ``%(name)s`` placeholders take ``params``."""
    return Message(template, **params)


def N_(text: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a word for the catalogue without translating it here."""
    return text


#: Labels of the codes people see: statuses of items, tasks, deadlines and instances.
LABELS: dict[str, str] = {
    # items (DESIGN.md's words)
    "completed_on_time": N_("completed on time"),
    "completed_late": N_("completed late"),
    "in_progress": N_("in progress, on time"),
    "overdue": N_("overdue"),
    "not_started": N_("not started"),
    "heading": N_("heading"),
    "not_yet_due": N_("not yet due"),
    "due_soon": N_("due soon"),
    "report_late": N_("late in reporting"),
    # deadlines of tasks
    "done_on_time": N_("done on time"),
    "done_late": N_("done late"),
    "no_deadline": N_("no deadline"),
    # marks of a worklist row (and its filters)
    "awaiting_approval": N_("awaiting approval"),
    "returned": N_("returned for rework"),
    # tasks and instances
    "ready": N_("to do"),
    "completed": N_("completed"),
    "cancelled": N_("cancelled"),
    "waived": N_("waived"),
    "running": N_("running"),
    # incidents
    "open": N_("open"),
    "resolved": N_("resolved"),
    # the things the store finds or says it cannot
    "task": N_("task"),
    "plan": N_("plan"),
    "plan item": N_("plan item"),
    "process instance": N_("process instance"),
    "process definition": N_("process definition"),
    "incident": N_("incident"),
    "extension request": N_("extension request"),
    # extension requests
    "pending": N_("waiting for a decision"),
    "granted": N_("granted"),
    "refused": N_("refused"),
    # reporting gates and ad-hoc reports
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "six_monthly": N_("every six months"),
    "yearly": N_("yearly"),
    "not_open": N_("not open yet"),
    "closed": N_("closed"),
    "submitted": N_("submitted"),
    "missing": N_("missing"),
    "waiting": N_("waiting for an earlier period"),
    "approved": N_("approved"),
    # roles
    "coordinator": N_("coordinator"),
    "agency_member": N_("agency officer"),
    "approver": N_("approver"),
    "auditor": N_("auditor"),
    "admin": N_("administrator"),
}


def word(code: str) -> Message:
    """A status code as a word of a sentence ("task X is already %(status)s"), translated with it."""
    return Message(LABELS.get(code, code).replace("%", "%%"))


def label(code: str | None) -> str | None:
    """The English label of a code (None for None; the code itself when it has none)."""
    if code is None:
        return None
    return LABELS.get(code, code)


@lru_cache(maxsize=8)
def gettext_for(locale: str) -> Callable[[str], str]:
    """The translation function of a locale's catalogue ("en": the English texts themselves)."""
    if locale == "en":
        return lambda text: text
    return stdlib_gettext.translation("messages", TRANSLATIONS, languages=[locale], fallback=True).gettext


#: marshmallow's words with values in them, as it writes them (formatted before they reach us), and their
#: message ids; its fixed words ("Unknown field.") are message ids as they are.
MARSHMALLOW_FORMATTED = (
    (re.compile(r"^Must be one of: (?P<choices>.*)\.$"), N_("Must be one of: %(choices)s.")),
    (re.compile(r"^Length must be between (?P<min>\d+) and (?P<max>\d+)\.$"),
     N_("Length must be between %(min)s and %(max)s.")),
    (re.compile(r"^Shorter than minimum length (?P<min>\d+)\.$"), N_("Shorter than minimum length %(min)s.")),
    (re.compile(r"^Longer than maximum length (?P<max>\d+)\.$"), N_("Longer than maximum length %(max)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+) and less than or equal to (?P<max>\S+)\.$"),
     N_("Must be greater than or equal to %(min)s and less than or equal to %(max)s.")),
    (re.compile(r"^Must be greater than or equal to (?P<min>\S+)\.$"), N_("Must be greater than or equal to %(min)s.")),
    (re.compile(r"^Must be less than or equal to (?P<max>\S+)\.$"), N_("Must be less than or equal to %(max)s.")),
)


def marshmallow_words(message: str) -> Message:
    """A validation message as a message to translate: itself when marked already, marshmallow's formatted words
    by their id and values, any other text as it is (a message id when the catalogue knows it)."""
    if isinstance(message, Message):
        return message
    for pattern, template in MARSHMALLOW_FORMATTED:
        found = pattern.match(message)
        if found:
            return t(template, **found.groupdict())
    return Message(message.replace("%", "%%"))


def in_language(text: Any, locale: str = "vi") -> Any:
    """A message (or a word of the catalogue) in a locale, outside any request: for mail and documents."""
    translate = gettext_for(locale)
    if isinstance(text, Message):
        return text.translated(translate)
    return translate(text) if isinstance(text, str) and text else text


def message_to_json(message: Message) -> tuple[str, dict[str, Any]]:
    """A message as it is stored (an inbox line): its template and values, words inside kept as words."""
    def value(item: Any) -> Any:
        if isinstance(item, Message):
            return {"$message": item.template, "params": {k: value(v) for k, v in item.params.items()}}
        return item
    return message.template, {name: value(item) for name, item in message.params.items()}


def message_from_json(template: str, params: dict[str, Any]) -> Message:
    def value(item: Any) -> Any:
        if isinstance(item, dict) and "$message" in item:
            return message_from_json(item["$message"], item.get("params", {}))
        return item
    return Message(template, **{name: value(item) for name, item in params.items()})
