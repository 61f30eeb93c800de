"""The agencies a plan's phrases name: directory codes, groups ("các sở, ban, ngành") or the launch parameter of
the units concerned, each unknown name kept as written and flagged with the code it may mean.

Names are looked up in one index of the directory's folded names (of the plan's province), and a run of
comma-separated parts is tried as one name only as far as a name of the directory has commas, so that a
phrase of n parts costs a few look-ups per part, never n² scans of the directory.
"""
from __future__ import annotations

import re

from engine.drafting.drafts import Flag
from engine.drafting.structure import Span
from engine.errors import Invalid
from engine.i18n import t
from engine.model import search
from engine.model.agencies import AgencyDirectory

#: Phrases that name a whole group of agencies, as plans write them (folded), and the group they mean.
GROUP_PHRASES = (
    (re.compile(r"\bcac so,? ban,? nganh\b|\bcac so,? nganh\b|\bso,? ban,? nganh\b"), "departments"),
    (re.compile(r"\bhoi,? doan the\b|\bto chuc chinh tri - xa hoi\b"), "mass_organisations"),
    (re.compile(r"\b(ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan) (cac )?huyen\b[^.;]{0,30}?"
                r"\b(thanh pho|thi xa)\b"), "districts"),
    (re.compile(r"\b(ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan) (cac )?(cap xa|xa,? phuong|"
                r"phuong,? xa)\b|\b(ubnd|uy ban nhan dan) cac xa\b"), "communes"),
)
#: Phrases that leave the agencies to whoever launches the plan.
TO_CHOOSE = re.compile(r"\bcac (co quan,? )?don vi,? dia phuong (co )?lien quan\b|\bcac don vi (co )?lien quan\b")
SEPARATORS = re.compile(r",|;")
LEADING_WORD = re.compile(r"^(các|với|Thủ trưởng)\s+")
AND = re.compile(r"\svà\s")

#: More agencies than this in one sentence is no plan's sentence: the document is refused.
MAX_NAMES = 100
#: Unknown names given a suggestion (each a fuzzy search of the directory); the rest are flagged without one.
MAX_SUGGESTED = 200


class AgencyNames:
    """The agencies a plan's phrases name, in the directory as it stands for the plan's province."""

    def __init__(self, directory: AgencyDirectory, province: str | None, flags: list[Flag], filename: str) -> None:
        self.flags, self.filename = flags, filename
        self.uses_relevant_units = False
        self.directory = directory if not province else AgencyDirectory.of(
            agency for agency in directory.agencies.values() if agency.province == province)
        self._codes: dict[str, str] = {}
        for agency in self.directory.agencies.values():  # the first agency of a name, as the directory orders them
            for label in (agency.name, agency.short_name, *agency.aliases):
                self._codes.setdefault(search.folded(label), agency.code)
        self._widest = 1 + max((label.count(",") for label in self._codes), default=0)
        self._suggested: dict[str, list[str]] = {}

    def code_of(self, text: str) -> str | None:
        return self._codes.get(search.folded(text))

    def agencies_of(self, phrase: str, path: str, span: Span) -> list:
        """Codes, groups ({group: …}) or the launch parameter ({param: relevant_units}) a phrase names."""
        folded = search.folded(phrase)
        found: list = [{"group": group} for pattern, group in GROUP_PHRASES if pattern.search(folded)]
        if TO_CHOOSE.search(folded):
            self.uses_relevant_units = True
            found.append({"param": "relevant_units"})
        if found:
            return found
        parts = [LEADING_WORD.sub("", part.strip()).strip() for part in SEPARATORS.split(phrase)]
        parts = [part for part in parts if part]
        if len(parts) > MAX_NAMES:
            raise Invalid(t("%(name)s: %(path)s names more than %(limit)s agencies in one sentence; a plan names far "
                            "fewer, so the document is not read", name=self.filename, path=path, limit=MAX_NAMES),
                          errors={"file": ["too many agencies in one sentence"]})
        index = 0
        while index < len(parts):
            # A name with commas in it (Sở Văn hóa, Thể thao và Du lịch): the longest run of parts that is one.
            joined = next(((end, code) for end in range(min(len(parts), index + self._widest), index + 1, -1)
                           if (code := self.code_of(", ".join(parts[index:end])))), None)
            if joined is not None:
                found.append(joined[1])
                index = joined[0]
                continue
            part = parts[index]
            index += 1
            code = self.code_of(part)
            halves = [self.code_of(half.strip()) for half in AND.split(part)] if " và " in part else []
            if code:  # a name with "và" in it (Sở Thông tin và Truyền thông) is one agency
                found.append(code)
            elif halves and all(halves):
                found.extend(halves)
            else:
                found.append(part)
                self.flags.append(Flag(path, t("'%(name)s' is not in the agency directory", name=part), span,
                                       self.suggest(part)))
        return found

    def names_only(self, phrase: str) -> bool:
        """Whether a phrase is nothing but agency names or group phrases (a heading, not a sentence)."""
        folded = search.folded(phrase)
        if any(pattern.search(folded) for pattern, _ in GROUP_PHRASES) or TO_CHOOSE.search(folded):
            return True
        parts = [part.strip() for part in SEPARATORS.split(phrase) if part.strip()]
        return any(self.code_of(", ".join(parts[start:end])) for start in range(len(parts))
                   for end in range(min(len(parts), start + self._widest), start, -1))

    def suggest(self, text: str) -> list[str]:
        """The code the text may mean, as a list of none or one; the same name is searched for once."""
        key = search.folded(text)
        if key not in self._suggested:
            if len(self._suggested) >= MAX_SUGGESTED:
                return []
            hint = self.directory.suggest(text)
            self._suggested[key] = [hint] if hint else []
        return list(self._suggested[key])
