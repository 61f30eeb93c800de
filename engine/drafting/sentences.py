"""The parts of a plan's sentences that a lazy or nested regular expression would find in quadratic time, found
here in one pass each: who a "Giao … là cơ quan thường trực" sentence names, the lead before "chủ trì", the
partners before "phối hợp", the number and symbol after "Số:".

Each function gives exactly what the regular expression in its docstring gives on a paragraph as the reader
makes it (one line, no newline), but looks only at the places a fixed word occurs, and at the spaces around
them. The drafting's own patterns (every one a module-level constant, tested against 10^5-character runs of
what almost matches them in tests/unit/test_hostile_documents.py) are anchored, bounded or literal.
"""
from __future__ import annotations

import re

_GIAO = re.compile("giao ", re.IGNORECASE)
_STANDING_BODY = re.compile("cơ quan thường trực", re.IGNORECASE)
_CONNECTIVES = ("làm", "là", "-", "–")
_LEADS = re.compile("chủ trì")
_NUMBER_LABEL = re.compile(r"\bSố\s*:\s*")
_SPACE = re.compile(r"\s")


def standing_body(text: str) -> tuple[int, int] | None:
    """Where the standing body is named, as ``Giao (.+?)\\s*(?:là|làm|-|–)\\s*cơ quan thường trực`` (ignoring
    case) finds its group: (start, end), or None."""
    giao = _GIAO.search(text)
    if giao is None:
        return None
    start = giao.end()
    for anchor in _STANDING_BODY.finditer(text, start + 1):
        connective_end = _spaces_before(text, anchor.start())
        for word in _CONNECTIVES:
            connective_start = connective_end - len(word)
            if connective_start > start and text[connective_start:connective_end].lower() == word:
                return start, max(_spaces_before(text, connective_start), start + 1)
    return None


def lead_and_rest(text: str) -> tuple[str, str | None] | None:
    """The lead and what follows its comma, as ``^(?P<lead>.+?)\\s+chủ trì\\s*(?:,\\s*(?P<tail>.*))?$`` finds
    them (``tail`` None when nothing follows "chủ trì"), or None."""
    for word in _LEADS.finditer(text):
        spaces = _spaces_before(text, word.start())
        end = max(spaces, 1)
        if end >= word.start():  # "chủ trì" needs a space before it, and the lead a character
            continue
        after = _spaces_after(text, word.end())
        if after == len(text):
            return text[:end], None
        if text[after] == ",":
            return text[:end], text[_spaces_after(text, after + 1):]
    return None


def before_word(text: str, word: str) -> str | None:
    """What comes before a closing word, as ``^(?P<who>.+?)\\s+WORD$`` finds it, or None."""
    if not text.endswith(word):
        return None
    head = text[:-len(word)]
    end = max(_spaces_before(head, len(head)), 1)
    return head[:end] if end < len(head) else None


def without_closing_verb(text: str, verbs: tuple[str, ...]) -> str:
    """The text without a closing verb and the spaces around it, as ``re.sub(r"\\s*(V1|V2)\\s*$", "", text)``."""
    stripped = text.rstrip()
    for verb in verbs:
        if stripped.endswith(verb):
            return stripped[:-len(verb)].rstrip()
    return text


def number_in(text: str) -> tuple[int, int] | None:
    """Where the number and symbol after "Số:" is, as ``\\bSố\\s*:\\s*(\\S+/\\S+)`` finds its group: the word
    after the colon, if it has a slash with something on both sides. Words are measured once each, however
    many "Số:" they hold ("Số:Số:Số:…")."""
    run_start = run_end = last_slash = -1
    for label in _NUMBER_LABEL.finditer(text):
        start = label.end()
        if start >= len(text):
            break
        if start >= run_end:  # a word not measured yet: where it ends, and its last slash before its last letter
            run_start = start
            space = _SPACE.search(text, start)
            run_end = space.start() if space else len(text)
            last_slash = text.rfind("/", run_start, run_end - 1)
        if last_slash > start:
            return start, run_end
    return None


def _spaces_before(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _spaces_after(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start
