"""Paragraphs out of lines: a text saved from a PDF (or a PDF's own text layer) breaks every paragraph into
lines of the page's width, and prints the header's two columns side by side ("ỦY BAN NHÂN DÂN      CỘNG HÒA
XÃ HỘI CHỦ NGHĨA VIỆT NAM"). A plan read that way would have a heading cut in two and a sentence's lead in
one paragraph and its verb in the next.

``paragraphs_of(lines)`` gives one string a paragraph: when the text is wrapped (many long lines that end
inside a sentence), a line joins the one before it unless it starts a paragraph of its own (a number, a
letter, a bullet, a heading in capitals) or the line before ended a sentence; in the header, the columns
are told apart by their wide gap and given one paragraph each. A text whose lines are already paragraphs
(a .docx saved as text) is left as it is. Every step is one pass over the lines.
"""
from __future__ import annotations

import re

#: A line that starts a paragraph whatever came before: "I.", "1.", "1.1.", "a)", "-", "+", "•", "(chi tiết …)".
STARTS_PARAGRAPH = re.compile(r"^(?:[IVXLC]{1,6}\.\s|\d{1,2}(?:\.\d{1,2}){0,3}\.?\s|[a-zđ]\)\s|[-–•+*]\s?|\(chi tiết|"
                              r"Nơi nhận|PHỤ LỤC|Phụ lục\s)")
#: A numbered heading ("8. Các sở, ban, ngành …"): a next line in capitals starts the heading's text.
NUMBERED = re.compile(r"^(?:[IVXLC]{1,6}\.|\d{1,2}(?:\.\d{1,2}){0,3}\.?|[a-zđ]\))\s")
ENDS_SENTENCE = (".", ";", ":", "!", "?", ")", "”", "\"")
#: Two columns printed side by side: a gap of three spaces or more between two runs of text.
COLUMN_GAP = re.compile(r"\S {3,}(?=\S)")
#: A line is long when a wrapped page's lines would be: most lines of a PDF's text run to 60-90 characters.
LONG = 55
#: The share of long lines that end inside a sentence from which the text is taken to be wrapped.
WRAPPED_SHARE = 0.3
#: A line shorter than this share of the page's width (most lines' length) is a paragraph's last.
SHORT = 0.7
#: The header ends at the document's type; it holds at most this many lines.
HEADER_LINES = 14


def paragraphs_of(lines: list[str]) -> list[tuple[str, int]]:
    """The paragraphs the lines hold (blank lines dropped), each with the index of the line it starts at."""
    header_end = _header_end(lines)
    out = [(part, index) for index, line in enumerate(lines[:header_end]) for part in _columns(line)]
    if not is_wrapped(lines[header_end:]):
        return out + [(line.strip(), index) for index, line in enumerate(lines) if index >= header_end and line.strip()]
    return out + _joined(lines, header_end)


def is_wrapped(lines: list[str]) -> bool:
    """Whether the lines are a page's lines rather than paragraphs: many long lines end inside a sentence."""
    long_lines = [line.strip() for line in lines if len(line.strip()) >= LONG and not _row(line)]
    if len(long_lines) < 5:
        return False
    open_ended = sum(1 for line in long_lines if not line.endswith(ENDS_SENTENCE))
    return open_ended / len(long_lines) >= WRAPPED_SHARE


def _header_end(lines: list[str]) -> int:
    """Where the header's two-column lines end: at the document's type (KẾ HOẠCH), if it comes early."""
    for index, line in enumerate(lines[:HEADER_LINES]):
        if line.strip().upper() == line.strip() and line.strip().replace(" ", "") in ("KẾHOẠCH", "CÔNGVĂN"):
            return index
    return 0


def _columns(line: str) -> list[str]:
    """A header line's columns, each as its own paragraph ("TỈNH LÀO CAI", "Độc lập - Tự do - Hạnh phúc")."""
    parts, start = [], 0
    stripped = line.strip()
    for gap in COLUMN_GAP.finditer(stripped):
        parts.append(stripped[start:gap.start() + 1])
        start = gap.end()
    parts.append(stripped[start:])
    return [part.strip() for part in parts if part.strip()]


def _joined(lines: list[str], start: int) -> list[tuple[str, int]]:
    """The wrapped lines joined into paragraphs. A line well short of the page's width ends its paragraph (a
    heading, a paragraph's last line); otherwise the next line goes on with it unless it starts one."""
    widths = sorted(len(line.rstrip()) for line in lines[start:] if line.strip())
    short = SHORT * widths[int(len(widths) * 0.8)] if widths else 0
    out: list[tuple[str, int]] = []
    open_paragraph = False  # whether the last paragraph may go on in the next line
    for index in range(start, len(lines)):
        line = lines[index].strip()
        if not line:
            open_paragraph = False
            continue
        heading = out and out[-1][1] == index - 1 and NUMBERED.match(out[-1][0]) and line[0].isupper()
        if open_paragraph and out and not heading and not _starts_own(line, out[-1][0]):
            out[-1] = (f"{out[-1][0]} {line}", out[-1][1])
        else:
            out.append((line, index))
        open_paragraph = len(lines[index].rstrip()) >= short
    return out


def _starts_own(line: str, before: str) -> bool:
    """Whether a line starts a paragraph rather than going on with the one before it."""
    if STARTS_PARAGRAPH.match(line) or _capitals(line) or _capitals(before) or _row(line) or _row(before):
        return True
    return before.endswith(ENDS_SENTENCE) and (line[0].isupper() or line[0].isdigit() or line[0] == "(")


def _row(text: str) -> bool:
    """A table's row as a text prints it: cells joined by " | " or by tabs."""
    return " | " in text or "\t" in text.strip()


def _capitals(text: str) -> bool:
    """A heading in capitals ("II. NỘI DUNG", "KẾ HOẠCH"): letters, all upper case, a few of them at least."""
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 4 and all(ch.isupper() for ch in letters)
