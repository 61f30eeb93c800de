"""A draft as values, and as plain JSON to cross from the process that read the document to the one that asked.

The reading process is the one a hostile document may have taken over, so what it sends back is data only:
JSON rebuilt field by field here (never pickle), every message a template with its values, to be put in
the reader's language where it is shown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from engine.drafting.reading import Paragraph
from engine.drafting.structure import Span
from engine.i18n import Message, t


@dataclass
class Flag:
    path: str
    message: str
    span: Span | None = None
    suggestions: list[str] = field(default_factory=list)


@dataclass
class DraftItem:
    number: str
    title: str
    parent: str | None
    text: str | None
    process: str | None
    lead: dict | None
    performers: list | None
    coordinating: list
    schedule: dict | None
    spans: dict[str, Span]
    confidence: dict[str, float]
    outputs: list[str] = field(default_factory=list)


@dataclass
class Draft:
    template: dict[str, Any]
    items: list[DraftItem]
    flags: list[Flag]
    spans: dict[str, Span]
    paragraphs: list[Paragraph]

    @property
    def summary(self) -> Message:
        return t("%(items)s items found (%(top)s top-level), %(flags)s fields flagged", items=len(self.items),
                 top=sum(1 for i in self.items if i.parent is None), flags=len(self.flags))


def draft_as_json(draft: Draft) -> dict[str, Any]:
    return {"template": draft.template,
            "items": [{**vars(item), "spans": _spans_as_json(item.spans)} for item in draft.items],
            "flags": [{"path": flag.path, "message": message_as_json(flag.message), "suggestions": flag.suggestions,
                       "span": _span_as_json(flag.span)} for flag in draft.flags],
            "spans": _spans_as_json(draft.spans),
            "paragraphs": [[p.index, p.text, p.page, p.row] for p in draft.paragraphs]}


def draft_from_json(data: dict[str, Any]) -> Draft:
    """The draft a reading process sent; a malformed one raises KeyError, TypeError or ValueError."""
    items = [DraftItem(**{**item, "spans": _spans_from_json(item["spans"])}) for item in data["items"]]
    flags = [Flag(str(flag["path"]), message_from_json(flag["message"]), _span_from_json(flag["span"]),
                  [str(code) for code in flag["suggestions"]]) for flag in data["flags"]]
    paragraphs = [Paragraph(int(index), str(text), None if page is None else int(page), bool(row))
                  for index, text, page, row in data["paragraphs"]]
    if not isinstance(data["template"], dict):
        raise TypeError("the template is not a mapping")
    return Draft(data["template"], items, flags, _spans_from_json(data["spans"]), paragraphs)


def message_as_json(message: str) -> Any:
    """A message marked for translation as its template and values; plain text as itself."""
    if isinstance(message, Message):
        return {"template": message.template,
                "params": {name: message_as_json(value) if isinstance(value, str) else value
                           for name, value in message.params.items()}}
    return str(message)


def message_from_json(data: Any) -> str:
    if isinstance(data, str):
        return data
    params = {str(name): message_from_json(value) if isinstance(value, (str, dict)) else value
              for name, value in data["params"].items()}
    if not all(isinstance(value, (str, int, float)) for value in params.values()):
        raise TypeError("a message's values are text or numbers")
    return Message(str(data["template"]), **params)


def _span_as_json(span: Span | None) -> list | None:
    return None if span is None else [span.paragraph, span.start, span.end, span.text]


def _span_from_json(data: list | None) -> Span | None:
    if data is None:
        return None
    paragraph, start, end, text = data
    return Span(int(paragraph), int(start), int(end), str(text))


def _spans_as_json(spans: dict[str, Span]) -> dict[str, list | None]:
    return {name: _span_as_json(span) for name, span in spans.items()}


def _spans_from_json(data: dict[str, Any]) -> dict[str, Span]:
    return {str(name): _span_from_json(span) for name, span in data.items()}
