"""The reporting frequencies plans use, in one registry: how each is named in a template, how plans write it,
how long its period is and which months close one.

The periods follow Nghị định 09/2019/NĐ-CP, Article 12 (``engine.model.schedules``).
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frequency:
    key: str
    #: How long one period is, in months.
    months: int
    #: The months (1-12) whose 14th closes a period.
    closing_months: tuple[int, ...]
    #: How plans write it, folded (no case, no diacritics): "định kỳ hằng quý" → "hang quy".
    written: tuple[str, ...]


MONTHLY = Frequency("monthly", 1, tuple(range(1, 13)), ("hang thang",))
QUARTERLY = Frequency("quarterly", 3, (3, 6, 9, 12), ("hang quy",))
SIX_MONTHLY = Frequency("six_monthly", 6, (6, 12), ("6 thang",))
YEARLY = Frequency("yearly", 12, (12,), ("hang nam",))

#: Every frequency by its key, shortest period first.
FREQUENCIES: dict[str, Frequency] = {f.key: f for f in (MONTHLY, QUARTERLY, SIX_MONTHLY, YEARLY)}


def frequency(key: str) -> Frequency:
    """The frequency named ``key``; ValueError naming the known ones otherwise."""
    try:
        return FREQUENCIES[key]
    except KeyError:
        raise ValueError(f"unknown reporting frequency '{key}'; use one of {', '.join(FREQUENCIES)}") from None


def written_in(folded_text: str) -> list[str]:
    """The keys of the frequencies a (folded) sentence of a plan names, shortest period first."""
    return [f.key for f in FREQUENCIES.values() if any(words in folded_text for words in f.written)]
