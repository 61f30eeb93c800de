"""Reading a template file: YAML with the line of every field kept for messages.

A coordinator who mistypes an agency on line 48 should be told "line 48",
not handed a traceback. The loader records, for every mapping key and list
item, the line it starts on, keyed by its path (``items[3].lead``).
"""
from __future__ import annotations

import re
from typing import Any

import yaml

from engine.errors import Invalid
from engine.i18n import N_, Message, t
from engine.templates.messages import at_line

MAX_TEMPLATE_BYTES = 1024 * 1024
#: A template is a few levels of mappings and lists; past these it is a mistake or an attack.
MAX_DEPTH = 50
MAX_ALIASES = 100
MAX_VALUES = 100_000


#: PyYAML's words for what it could not read, as it writes them, and their message ids.
YAML_PROBLEMS = (
    (re.compile(r"^expected (?P<expected>.+), but found (?P<found>.+)$"),
     N_("expected %(expected)s here, but found %(found)s")),
    (re.compile(r"^mapping values are not allowed here$"), N_("a 'key: value' cannot start here (check the "
                                                             "indentation and the colons)")),
    (re.compile(r"^could not find expected ':'$"), N_("a ':' is missing")),
    (re.compile(r"^did not find expected (?P<expected>.+)$"), N_("%(expected)s is missing here (check the "
                                                                  "indentation)")),
    (re.compile(r"^found character (?P<found>.+) that cannot start any token$"),
     N_("the character %(found)s cannot begin a value (put the value in quotes)")),
    (re.compile(r"^found unexpected end of stream$"), N_("the file ends before a quote or bracket is closed")),
    (re.compile(r"^found undefined alias (?P<found>.+)$"), N_("the alias %(found)s names no anchor")),
)


def yaml_problem(problem: str) -> str:
    """PyYAML's words for a problem as a message to translate; the loader's own messages, and words it does not
    know, as they are."""
    for pattern, template in YAML_PROBLEMS if not isinstance(problem, Message) else ():
        found = pattern.match(problem.strip())
        if found:
            return t(template, **found.groupdict())
    return problem


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that also returns where each node starts, and refuses documents nested or aliased past reason.

    PyYAML builds every alias (``*name``) as another reference to its anchor,
    so a file of a few hundred bytes can stand for a hundred million values
    that validation then walks. The nesting is checked while composing; the
    expanded size before anything is built.
    """

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"uses more than {MAX_ALIASES} aliases (*name); write the values out instead",
                    self.peek_event().start_mark)
            return super().compose_node(parent, index)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"nests deeper than {MAX_DEPTH} levels",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand it past ``MAX_VALUES`` values or ``MAX_DEPTH`` levels."""
    measured: dict[int, tuple[int, int]] = {}  # node id -> (values, depth) once expanded
    visiting: set[int] = set()
    stack = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if key in measured:
            continue
        children = _children(node)
        if not children_done:
            if key in visiting:
                raise yaml.composer.ComposerError(None, None, "an alias refers to a value that contains it",
                                                  node.start_mark)
            visiting.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in measured)
            continue
        visiting.discard(key)
        inner = [measured[id(child)] for child in children]
        values = 1 + sum(count for count, _ in inner)
        depth = 1 + max((levels for _, levels in inner), default=0)
        if values > MAX_VALUES:
            raise yaml.composer.ComposerError(
                None, None, f"expands through its aliases to more than {MAX_VALUES:,} values; write the values "
                "out, or use fewer aliases", node.start_mark)
        if depth > MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nests deeper than {MAX_DEPTH} levels through its "
                                              "aliases", node.start_mark)
        measured[key] = (values, depth)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    loader.flatten_mapping(node)
    mapping = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) and key is not None:
            raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
        if key in mapping:
            raise yaml.constructor.ConstructorError(None, None, f"'{key}' is given twice", key_node.start_mark)
        try:
            mapping[key] = loader.construct_object(value_node, deep=True)
        except ValueError as error:  # e.g. 2022-13-45 looks like a date but is none
            raise yaml.constructor.ConstructorError(None, None, f"'{value_node.value}' is not valid: {error}",
                                                    value_node.start_mark) from None
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def read_template_text(text: str | bytes, name: str = "template") -> tuple[dict[str, Any], dict[str, int]]:
    """Parse template YAML; return the data and a map of field path to line number (1-based)."""
    if len(text) > MAX_TEMPLATE_BYTES:
        raise Invalid(t("%(name)s is larger than %(limit)s KiB", name=name, limit=MAX_TEMPLATE_BYTES // 1024))
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Invalid(t("%(name)s is not UTF-8 text (byte %(byte)s)", name=name, byte=error.start)) from None
    loader = _LineLoader(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            _check_expansion(root)
        data = loader.construct_document(root) if root is not None else None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        where = at_line(yaml_problem(getattr(error, "problem", None) or str(error)),
                        mark.line + 1 if mark is not None else None)
        raise Invalid(t("%(name)s is not valid YAML: %(problem)s", name=name, problem=where), errors={"_yaml": [where]},
                      lines={"_yaml": mark.line + 1} if mark is not None else {}) from None
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise Invalid(t("%(name)s must be a mapping of fields (key: value), not %(kind)s", name=name,
                        kind=type(data).__name__))
    lines: dict[str, int] = {}
    _index_lines(root, "", lines)
    return data, lines


def _index_lines(node: yaml.Node, path: str, lines: dict[str, int]) -> None:
    if path:
        lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            child = f"{path}.{key_node.value}" if path else str(key_node.value)
            lines[child] = key_node.start_mark.line + 1
            _index_lines(value_node, child, lines)
            lines[child] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, f"{path}[{index}]", lines)


def with_lines(errors: dict[str, list[str]], lines: dict[str, int]) -> dict[str, list[str]]:
    """Add "(line N)" to each message, from the nearest path that has a line; each a message to translate."""
    return {field: [at_line(message, _line_of(field, lines)) for message in messages]
            for field, messages in errors.items()}


def lines_of(errors: dict[str, list[str]], lines: dict[str, int]) -> dict[str, int]:
    """The line of each field with errors (from the nearest path that has one), for showing them in the file."""
    return {field: line for field in errors if (line := _line_of(field, lines))}


def _line_of(field: str, lines: dict[str, int]) -> int | None:
    path = field
    while path:
        if path in lines:
            return lines[path]
        cut = max(path.rfind("."), path.rfind("["))
        path = path[:cut] if cut > 0 else ""
    return None
