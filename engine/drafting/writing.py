"""A draft as a YAML template file whose comments show each field's source sentence and its flags."""
from __future__ import annotations

from typing import Any

import yaml

from engine.drafting import Draft
from engine.i18n import in_language, t


def draft_yaml(draft: Draft, source_name: str, locale: str = "en") -> str:
    """The draft template as YAML, every item preceded by the sentences it was read from and its flags; the
    comments in ``locale`` (the keys are the template format's)."""
    def say(message) -> str:
        return in_language(message, locale)

    lines = ["# " + say(t("Draft template read from %(file)s by planflow: %(summary)s.", file=source_name,
                          summary=draft.summary)),
             "# " + say(t("Check every field against the document, fix each FLAG, then register it")),
             "# " + say(t("('planflow templates validate FILE', then the Templates page or the seed directory).")),
             ""]
    flags_at: dict[str, list[str]] = {}
    for flag in draft.flags:
        suggestion = say(t(" (did you mean %(codes)s?)", codes=", ".join(flag.suggestions))) \
            if flag.suggestions else ""
        where = say(t(" [paragraph %(number)s]", number=flag.span.paragraph + 1)) if flag.span else ""
        flags_at.setdefault(flag.path.split(".")[0] if not flag.path.startswith("items.") else
                            ".".join(flag.path.split(".")[:2]), []).append(
            f"FLAG {flag.path}: {say(flag.message)}{suggestion}{where}")
    head = {key: value for key, value in draft.template.items() if key != "items"}
    for key, value in head.items():
        for note in flags_at.get(key, []):
            lines.append(f"# {note}")
        span = draft.spans.get(key)
        if span is not None:
            lines.append("# " + say(t("source [paragraph %(number)s]: %(text)s", number=span.paragraph + 1,
                                      text=span.text)))
        lines.append(_dump({key: value}).rstrip())
    lines.append("items:")
    spans = {item.number: item.spans for item in draft.items}
    for entry in draft.template["items"]:
        lines.extend(_item_lines(entry, spans, flags_at, "  ", say))
    return "\n".join(lines) + "\n"


def _item_lines(entry: dict[str, Any], spans: dict, flags_at: dict, indent: str, say) -> list[str]:
    number = str(entry["number"])
    lines = []
    for name in ("title", "assignment"):
        span = spans.get(number, {}).get(name)
        if span is not None:
            lines.append(f"{indent}# " + say(t("source [paragraph %(number)s]: %(text)s",
                                               number=span.paragraph + 1, text=span.text)))
    for note in flags_at.get(f"items.{number}", []):
        lines.append(f"{indent}# {note}")
    own = {key: value for key, value in entry.items() if key != "items"}
    dumped = _dump([own]).rstrip().splitlines()
    lines.extend(indent + line for line in dumped)
    if entry.get("items"):
        lines.append(f"{indent}  items:")
        for child in entry["items"]:
            lines.extend(_item_lines(child, spans, flags_at, indent + "    ", say))
    return lines


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)
