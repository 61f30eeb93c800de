"""A task's form as HTML fields, and the posted fields back as the form's data.

Both are read off the form's JSON Schema (``forms.json_schema``), so the page
and the server's validation are the same form. Each field is named by its
path (``contribution.summary``), so that an error the validation reports at
a path is shown at that field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import forms
from engine.i18n import N_, in_language
from engine.model.tasks import REPORT

EVIDENCE_PATTERN = "^[0-9a-f]{32}$"
#: What the engine writes beside a form's fields: a coordinating agency's contribution waived.
WAIVED = {"waived": N_("Waived"), "waived_by": N_("Waived by"), "reason": N_("Reason")}


@dataclass
class Widget:
    path: str
    kind: str  # text | textarea | date | choice (yes/no) | evidence | lines | figures | group
    label: str
    description: str | None = None
    required: bool = False
    max_length: int | None = None
    children: list["Widget"] = field(default_factory=list)
    value: Any = None

    @property
    def id(self) -> str:
        return "f-" + self.path.replace(".", "-")


def widgets(schema: dict, prefix: str = "", values: dict | None = None) -> list[Widget]:
    """The fields of an object schema, in order, with the values to show (a draft, or what was posted)."""
    values = values or {}
    found = []
    required = set(schema.get("required", []))
    for name, spec in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        label, description = spec.get("title") or name, spec.get("description")
        value = values.get(name)
        kind = _kind(spec)
        widget = Widget(path, kind, label, description, name in required, spec.get("maxLength"), value=value)
        if kind == "group":
            widget.children = widgets(spec, f"{path}.", value if isinstance(value, dict) else {})
        found.append(widget)
    return found


def _kind(spec: dict) -> str:
    kind = spec.get("type")
    if kind == "object" and "properties" in spec:
        return "group"
    if kind == "object":
        return "figures"
    if kind == "boolean":
        return "choice"
    if kind == "array":
        items = spec.get("items", {})
        return "evidence" if items.get("pattern") == EVIDENCE_PATTERN else "lines"
    if spec.get("format") == "date":
        return "date"
    return "textarea" if (spec.get("maxLength") or 0) > 500 else "text"


def parsed(schema: dict, form, prefix: str = "") -> tuple[dict, dict[str, list[str]]]:
    """The posted fields as the form's data, and the problems found before validation (a figure not a number)."""
    data: dict[str, Any] = {}
    problems: dict[str, list[str]] = {}
    for name, spec in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        kind = _kind(spec)
        if kind == "group":
            inner, inner_problems = parsed(spec, form, f"{path}.")
            data[name] = inner
            problems.update(inner_problems)
        elif kind == "choice":
            answer = form.get(path)
            if answer in ("true", "false"):
                data[name] = answer == "true"
        elif kind == "evidence":
            data[name] = [value for value in form.getlist(path) if value]
        elif kind == "lines":
            data[name] = [line.strip() for line in form.getlist(path) if line.strip()] if len(form.getlist(path)) > 1 \
                else [line.strip() for line in (form.get(path) or "").splitlines() if line.strip()]
        elif kind == "figures":
            figures = {}
            for number, line in enumerate((form.get(path) or "").splitlines(), start=1):
                if not line.strip():
                    continue
                label, _, amount = line.rpartition(":")
                try:
                    figures[label.strip()] = float(amount.replace(",", ".")) if "." in amount or "," in amount \
                        else int(amount)
                except ValueError:
                    problems.setdefault(path, []).append(f"line {number}: 'name: number'")
            data[name] = figures
        else:
            text = form.get(path, "")
            if text.strip() or name in schema.get("required", []):
                data[name] = text
    return data, problems


def figures_text(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    return "\n".join(f"{name}: {amount}" for name, amount in value.items())


def field_labels(locale: str) -> dict[str, str]:
    """Every form field's title by its name, to show a submitted report with the words of its form."""
    labels: dict[str, str] = {}

    def walk(schema: dict) -> None:
        for name, spec in schema.get("properties", {}).items():
            labels.setdefault(name, spec.get("title") or name)
            walk(spec)
    # Reports first: where two forms give a field different titles, a report's reads best beside its data.
    for key in sorted(forms.FORM_KEYS, key=lambda key: (forms.kind_of(key) != REPORT, key)):
        walk(forms.json_schema(key, locale))
    for name, word in WAIVED.items():
        labels.setdefault(name, in_language(word, locale))
    return labels
