"""Text as people search for it: without case or Vietnamese diacritics.

Officials type "ke hoach 249" as often as "Kế hoạch 249"; both must find the
plan. Titles are stored once in this folded form beside the text as written.
"""
from __future__ import annotations

import unicodedata


def folded(text: str | None) -> str:
    """Lowercase, no diacritics (đ as d), single spaces: ``Kế hoạch  249`` → ``ke hoach 249``."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.lower().split())
