"""Opening a .docx with nothing in it taken on trust, before python-docx reads a byte of it: every member of
its zip archive unpacked by capped streaming and checked, every XML part read with no DTD or entity
(``engine.files.archives``, which checks an .xlsx the same way), and the parts a Word document cannot be
without required."""
from __future__ import annotations

# The archive's patterns are bound here too, so that the drafting's test of linear patterns keeps running them.
from engine.files.archives import DECLARED_ENCODING, DTD, MAX_MEMBERS, WORD_DOCUMENT
from engine.files.archives import checked_parts as checked_office_parts

__all__ = ["DECLARED_ENCODING", "DTD", "MAX_MEMBERS", "checked_parts"]


def checked_parts(data: bytes, filename: str) -> dict[str, bytes]:
    """The XML parts of a .docx that passed every check, by name; any member that fails one is refused."""
    return checked_office_parts(data, filename, WORD_DOCUMENT)
