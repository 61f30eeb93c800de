"""What people write into a plan's progress report before it is produced: the four narrative sections of a
Vietnamese báo cáo (đánh giá chung; tồn tại, hạn chế, khó khăn, vướng mắc; nhiệm vụ trọng tâm thời gian tới;
kiến nghị, đề xuất), the recipients when the generated list will not do, and who signs it.

The figures (counts, items, overdue work) are generated; these are not, and a report leaves out a section
nobody wrote rather than printing an empty heading. Who signs comes from the standing body's settings in the
directory unless the report names someone else; with nobody named the block is left for a hand signature.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from engine.i18n import N_, t

#: The sections, in the order the report prints them, with their headings as printed.
SECTIONS = ("assessment", "shortcomings", "next_tasks", "recommendations")
HEADINGS = {"assessment": "ĐÁNH GIÁ CHUNG", "shortcomings": "TỒN TẠI, HẠN CHẾ, KHÓ KHĂN, VƯỚNG MẮC",
            "next_tasks": "NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", "recommendations": "KIẾN NGHỊ, ĐỀ XUẤT"}
#: The same in the reader's language, for the pages.
SECTION_LABELS = {"assessment": N_("Overall assessment"),
                  "shortcomings": N_("Shortcomings, limitations, difficulties and obstacles"),
                  "next_tasks": N_("Key tasks for the coming period"),
                  "recommendations": N_("Recommendations and proposals")}
SECTION_LIMIT = 20_000
TITLE_LIMIT = 200
TITLE_LINES = 3
NAME_LIMIT = 120
RECIPIENT_LIMIT = 300
RECIPIENTS = 30
#: How a position of more than one line may be written on one: "KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN".
_TITLE_BREAK = re.compile(r"\s*(?:\r?\n|\s/\s)\s*")


@dataclass(frozen=True)
class Signer:
    """Who signs: the position (chức vụ, one to three lines, "KT. TRƯỞNG BAN" above "PHÓ TRƯỞNG BAN") and the
    full name, which may be unknown (the block then waits for a name written by hand)."""

    title: str
    name: str | None = None

    @property
    def title_lines(self) -> list[str]:
        return [line for line in _TITLE_BREAK.split(self.title.strip()) if line]

    def __str__(self) -> str:
        return " / ".join(self.title_lines) + (f" — {self.name}" if self.name else "")


@dataclass(frozen=True)
class ReportTexts:
    assessment: str = ""
    shortcomings: str = ""
    next_tasks: str = ""
    recommendations: str = ""
    #: The recipients as the report prints them (without "Lưu: VT"); empty: the list made from the plan.
    recipients: tuple[str, ...] = ()
    #: Who signs this report instead of the standing body's signer; None: the standing body's.
    signer: Signer | None = None

    def sections(self) -> list[tuple[str, list[str]]]:
        """The sections written, in order, each as its paragraphs."""
        return [(key, paragraphs(getattr(self, key))) for key in SECTIONS if paragraphs(getattr(self, key))]


def paragraphs(text: str | None) -> list[str]:
    """A text as its paragraphs: each line that is not blank, its spaces tidied."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def signer_of(title: str | None, name: str | None) -> Signer | None:
    """A signer from what was typed; None when no position was (a name alone is refused by ``signer_problems``)."""
    title, name = (title or "").strip(), " ".join((name or "").split())
    return Signer(title, name or None) if title else None


def signer_problems(title: str | None, name: str | None) -> dict[str, list]:
    """Each problem of a signer as typed, by field (``signer_title``, ``signer_name``)."""
    errors: dict[str, list] = {}
    title, name = (title or "").strip(), (name or "").strip()
    if len(title) > TITLE_LIMIT or len(Signer(title).title_lines) > TITLE_LINES:
        errors["signer_title"] = [t("a position of at most %(limit)s characters on at most %(lines)s lines",
                                    limit=TITLE_LIMIT, lines=TITLE_LINES)]
    if len(name) > NAME_LIMIT or "\n" in name:
        errors["signer_name"] = [t("a full name of at most %(limit)s characters on one line", limit=NAME_LIMIT)]
    elif name and not title:
        errors["signer_title"] = [t("write the signer's position too, such as CHỦ TỊCH or KT. TRƯỞNG BAN / "
                                    "PHÓ TRƯỞNG BAN")]
    return errors


def text_problems(texts: dict[str, str | None], recipients: list[str]) -> dict[str, list]:
    """Each problem of the sections and recipients as typed, by field."""
    errors: dict[str, list] = {}
    for key in SECTIONS:
        if len(texts.get(key) or "") > SECTION_LIMIT:
            errors[key] = [t("a section of at most %(limit)s characters (this one has %(count)s)",
                             limit=f"{SECTION_LIMIT:,}".replace(",", "."), count=len(texts[key]))]
    if len(recipients) > RECIPIENTS or any(len(line) > RECIPIENT_LIMIT for line in recipients):
        errors["recipients"] = [t("at most %(count)s recipients of at most %(limit)s characters each",
                                  count=RECIPIENTS, limit=RECIPIENT_LIMIT)]
    return errors


def recipient_lines(text: str | None) -> list[str]:
    """Recipients typed one a line, as the report prints them: without the dash and semicolon people type and
    without "Lưu" (the report adds "Lưu: VT." itself)."""
    found = []
    for line in (text or "").splitlines():
        line = " ".join(line.split()).lstrip("-–• ").rstrip(";.,").strip()
        if line and not line.lower().startswith("lưu"):
            found.append(line)
    return found
