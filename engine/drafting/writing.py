"""A draft as a YAML template file whose comments show each field's source sentence and its flags."""
from __future__ import annotations

from typing import Any

import yaml

from engine.drafting import Draft


def draft_yaml(draft: Draft, source_name: str) -> str:
    """The draft template as YAML, every item preceded by the sentences it was read from and its flags."""
    lines = [f"# Draft template read from {source_name} by planflow: {draft.summary}.",
             "# Check every field against the document, fix each FLAG, then register it",
             "# ('planflow templates validate FILE', then the Templates page or the seed directory).", ""]
    flags_at: dict[str, list[str]] = {}
    for flag in draft.flags:
        suggestion = f" (did you mean {', '.join(flag.suggestions)}?)" if flag.suggestions else ""
        where = f" [paragraph {flag.span.paragraph + 1}]" if flag.span else ""
        flags_at.setdefault(flag.path.split(".")[0] if not flag.path.startswith("items.") else
                            ".".join(flag.path.split(".")[:2]), []).append(f"FLAG {flag.path}: {flag.message}"
                                                                             f"{suggestion}{where}")
    head = {key: value for key, value in draft.template.items() if key != "items"}
    for key, value in head.items():
        for note in flags_at.get(key, []):
            lines.append(f"# {note}")
        span = draft.spans.get(key)
        if span is not None:
            lines.append(f"# source [paragraph {span.paragraph + 1}]: {span.text}")
        lines.append(_dump({key: value}).rstrip())
    lines.append("items:")
    spans = {item.number: item.spans for item in draft.items}
    for entry in draft.template["items"]:
        lines.extend(_item_lines(entry, spans, flags_at, "  "))
    return "\n".join(lines) + "\n"


def _item_lines(entry: dict[str, Any], spans: dict, flags_at: dict, indent: str) -> list[str]:
    number = str(entry["number"])
    lines = []
    for name in ("title", "assignment"):
        span = spans.get(number, {}).get(name)
        if span is not None:
            lines.append(f"{indent}# source [paragraph {span.paragraph + 1}]: {span.text}")
    for note in flags_at.get(f"items.{number}", []):
        lines.append(f"{indent}# {note}")
    own = {key: value for key, value in entry.items() if key != "items"}
    dumped = _dump([own]).rstrip().splitlines()
    lines.extend(indent + line for line in dumped)
    if entry.get("items"):
        lines.append(f"{indent}  items:")
        for child in entry["items"]:
            lines.extend(_item_lines(child, spans, flags_at, indent + "    "))
    return lines


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
