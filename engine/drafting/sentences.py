"""The part of a plan's sentences that a lazy regular expression would find in quadratic time, found here in one
pass: who a "Giao … là cơ quan thường trực" sentence names (the other names of a sentence are found by
``assigning``, in the same way).

The function gives exactly what the regular expression in its docstring gives on a paragraph as the reader
makes it (one line, no newline), but looks only at the places a fixed word occurs, and at the spaces around
them. The drafting's own patterns (every one a module-level constant, tested against 10^5-character runs of
what almost matches them in tests/unit/test_hostile_documents.py) are anchored, bounded or literal.
"""
from __future__ import annotations

import re

_GIAO = re.compile("giao ", re.IGNORECASE)
_STANDING_BODY = re.compile("cơ quan thường trực", re.IGNORECASE)
_CONNECTIVES = ("làm", "là", "-", "–")


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


def _spaces_before(text: str, end: int) -> int:
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end
