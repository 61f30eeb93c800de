"""Cells of the CSV files planflow writes, made safe to open in a spreadsheet program.

A cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel or LibreOffice as a formula (``=HYPERLINK(…)`` in a report's
summary becomes a link, ``=cmd|…`` worse); such a cell is written with a ``'``
before it, so that it is shown as the text it is. A cell that begins with
``'`` gets one more too, so the escaping can always be undone exactly:
remove one leading ``'`` from a cell that has one (``original_cell``). Only
text is escaped; numbers are written as they are.
"""
from __future__ import annotations

from typing import Any, Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def inert_cell(value: Any) -> Any:
    """``value`` as a CSV cell no spreadsheet runs: text that could start a formula (or begins with ``'``)
    gets a ``'`` before it; anything else is returned as it is."""
    if isinstance(value, str) and value.startswith((*FORMULA_STARTS, QUOTE)):
        return QUOTE + value
    return value


def inert_row(values: Iterable[Any]) -> list[Any]:
    return [inert_cell(value) for value in values]


def original_cell(text: str) -> str:
    """The cell as it was before ``inert_cell``: one leading ``'`` removed, if there is one."""
    return text[1:] if text.startswith(QUOTE) else text
