"""The agencies a plan's phrases name: directory codes, groups ("các sở, ban, ngành") or the launch parameter of
the units concerned, each unknown name kept as written and flagged with the code it may mean.

Names are looked up in one index of the directory's folded names (of the plan's province), and a run of
comma-separated parts is tried as one name only as far as a name of the directory has commas, so that a
phrase of n parts costs a few look-ups per part, never n² scans of the directory.
"""
from __future__ import annotations

import difflib
import re

from engine.drafting.assigning import fold_chars, subject
from engine.drafting.drafts import Flag
from engine.drafting.structure import Span
from engine.errors import Invalid
from engine.i18n import t
from engine.model import search
from engine.model.agencies import NATIONAL, AgencyDirectory

#: Phrases that name a whole group of agencies, as plans write them (folded), and the groups they mean.
GROUP_PHRASES = (
    (re.compile(r"\b(?:cac )?co quan,? don vi,? dia phuong\b(?! (?:co )?lien quan)"), ("departments", "communes")),
    (re.compile(r"\b(?:cac |thu truong cac )?so,? ban,? nganh\b|\b(?:cac )?so,? nganh\b|\bcac so\b(?!,? ban)"
                r"|\bco quan chuyen mon\b"), ("departments",)),
    (re.compile(r"\bhoi,? doan the\b|\bto chuc chinh tri - xa hoi\b|\bcac doan the\b"), ("mass_organisations",)),
    (re.compile(r"\b(ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan) (cac )?huyen\b[^.;]{0,30}"
                r"\b(thanh pho|thi xa)\b"), ("districts",)),
    (re.compile(r"\b(ubnd|uy ban nhan dan|chu tich ubnd|chu tich uy ban nhan dan) (cac )?(cap xa|xa,? phuong|"
                r"phuong,? xa)\b|\b(ubnd|uy ban nhan dan) cac xa\b|\bcac xa,? phuong\b|\b(?:cac |chinh quyen )"
                r"dia phuong\b|(?<=, )dia phuong\b"), ("communes",)),
)
#: Phrases that leave the agencies to whoever launches the plan.
TO_CHOOSE = re.compile(r"\bcac (co quan,? )?(don vi,? )?(dia phuong )?(co )?lien quan\b|\bcac don vi (co )?lien quan\b"
                       r"|\bcac (co quan,? )?don vi,? dia phuong (co )?lien quan\b|\bcac don vi\b$|\bcac don vi khac\b")
SEPARATORS = re.compile(r",|;|\scùng\s")
LEADING_WORD = re.compile(r"^(các|với|Thủ trưởng|Lãnh đạo|Giám đốc|cùng)\s+", re.IGNORECASE)
#: What is left of a phrase once its groups are read: words that name nothing on their own.
FILLER = {"", "va", "cac", "nganh", "ban", "dia phuong", "lien quan", "co lien quan", "khac", "don vi", "co quan",
          "cac don vi khac co lien quan", "cac don vi khac", "doan the", "hoi", "dac khu", "phuong", "xa", "tinh",
          "thanh pho", "huyen", "thi xa", "cap xa", "cap tinh", "cac cap lien quan", "cac cap", "cac cap co lien quan", "cap lien quan", "cap co lien quan", "cap", "don vi lien quan", "don vi co lien quan", "co quan lien quan",
          "co quan co lien quan"}
#: Words that name nothing when a part holds nothing else ("của tỉnh và", "các đơn vị khác").
FILLER_WORDS = {"cua", "tinh", "va", "cac", "nganh", "ban", "khac", "lien", "quan", "co", "don", "vi", "cap", "thanh",
                "pho", "huyen", "thi", "xa", "phuong", "dac", "khu", "dia", "truc", "thuoc", "tren", "ban", "voi"}
AND = re.compile(r"\svà\s")
#: Forms of a name the directory may hold instead ("Ban Quản lý Khu kinh tế" ~ "… tỉnh Lào Cai").
TRAILING_PLACE = re.compile(r"\s(tinh|thanh pho)(\s.*)?$")

#: More agencies than this in one sentence is no plan's sentence: the document is refused.
MAX_NAMES = 100
#: Unknown names given a suggestion (each a fuzzy search of the directory); the rest are flagged without one.
MAX_SUGGESTED = 200


class AgencyNames:
    """The agencies a plan's phrases name, in the directory as it stands for the plan's province."""

    def __init__(self, directory: AgencyDirectory, province: str | None, flags: list[Flag], filename: str) -> None:
        self.flags, self.filename = flags, filename
        self.uses_relevant_units = False
        self.directory = AgencyDirectory.of(agency for agency in directory.agencies.values()
                                            if agency.province in (province, NATIONAL))
        self.place = ""
        self._codes: dict[str, str] = {}
        for agency in self.directory.agencies.values():  # the first agency of a name, as the directory orders them
            for label in (agency.name, agency.short_name, *agency.aliases):
                self._codes.setdefault(search.folded(label), agency.code)
        self._widest = 1 + max((label.count(",") for label in self._codes), default=0)
        self._suggested: dict[str, list[str]] = {}

    def code_of(self, text: str) -> str | None:
        """The code of the body a name means, in the plan's province (or a national body): the name as the
        directory holds it, without a leading "các"/"Lãnh đạo", or with the province's name put after it or
        taken off ("Ban Quản lý Khu kinh tế" ~ "Ban Quản lý Khu kinh tế tỉnh Lào Cai")."""
        key = search.folded(LEADING_WORD.sub("", text.strip(" .:,;-–()")))
        if not key:
            return None
        for variant in (key, TRAILING_PLACE.sub("", key), f"{key} tinh", f"{key} tinh {self.place}",
                        f"{key} {self.place}"):
            if variant in self._codes:
                return self._codes[variant]
        return None

    def agencies_of(self, phrase: str, path: str, span: Span) -> list:
        """Codes, groups ({group: …}), the launch parameter ({param: relevant_units}) and names not in the
        directory (kept as written, each flagged with the nearest names of the province) that a phrase names."""
        found: list = []
        for part in phrase.split(";"):
            found.extend(self._part(part, path, span))
        unique = []
        for entry in found:
            if entry not in unique:
                unique.append(entry)
        return unique

    def _part(self, phrase: str, path: str, span: Span) -> list:
        whole = self.code_of(phrase)
        if whole:  # a name with commas or "và" in it (Sở Văn hóa, Thể thao và Du lịch) is one body
            return [whole]
        placed, rest = self._groups(phrase)
        parts = [LEADING_WORD.sub("", part.strip()).strip(" .") for part in SEPARATORS.split(rest)]
        parts = _names_with_commas([part for part in parts if search.folded(part) not in FILLER
                                    and not set(search.folded(part).split()) <= FILLER_WORDS], self)
        if len(parts) > MAX_NAMES:
            raise Invalid(t("%(name)s: %(path)s names more than %(limit)s agencies in one sentence; a plan names far "
                            "fewer, so the document is not read", name=self.filename, path=path, limit=MAX_NAMES),
                          errors={"file": [t("too many agencies in one sentence")]})
        index = 0
        while index < len(parts):
            where = rest.find(parts[index])
            joined = next(((end, code) for end in range(min(len(parts), index + self._widest), index, -1)
                           if (code := self.code_of(", ".join(parts[index:end])))), None)
            if joined is not None:
                placed.append((where, joined[1]))
                index = joined[0]
                continue
            placed += [(where, entry) for entry in self._unknown_or_halves(parts[index], path, span)]
            index += 1
        return [entry for _, entry in sorted(placed, key=lambda pair: pair[0])]  # in the order the text names them

    def _groups(self, phrase: str) -> tuple[list, str]:
        """The groups and the launch parameter a phrase names, each with where it starts, and the phrase with
        their words blanked out."""
        folded = fold_chars(phrase)
        found: list = []
        for pattern, groups in ((TO_CHOOSE, ()), *GROUP_PHRASES):  # "các đơn vị, địa phương có liên quan" first
            for match in pattern.finditer(folded):
                entries = [{"group": group} for group in groups] or [{"param": "relevant_units"}]
                found += [(match.start(), entry) for entry in entries if entry not in [e for _, e in found]]
                self.uses_relevant_units = self.uses_relevant_units or not groups
                blank = "," + " " * (match.end() - match.start() - 1)
                folded = folded[:match.start()] + blank + folded[match.end():]
                phrase = phrase[:match.start()] + blank + phrase[match.end():]
        return found, phrase

    def _unknown_or_halves(self, part: str, path: str, span: Span) -> list:
        """A part no name of the directory is: its halves around "và" where each is a body, else the part as
        written, flagged with the nearest names of the province."""
        halves = [half.strip() for half in AND.split(part)] if " và " in part else []
        codes = [self.code_of(half) for half in halves]
        if halves and all(codes):
            return codes
        self.flags.append(Flag(path, t("'%(name)s' is not in the agency directory of the plan's province",
                                       name=part), span, self.suggest(part)))
        return [part]

    def suggest(self, text: str) -> list[str]:
        """The codes of the province's bodies whose names are nearest the text (at most three); the same name is
        searched for once."""
        key = search.folded(text)
        if key not in self._suggested:
            if len(self._suggested) >= MAX_SUGGESTED:
                return []
            close = difflib.get_close_matches(key, list(self._codes), n=6, cutoff=0.75)
            codes = []
            for label in close:
                if self._codes[label] not in codes:
                    codes.append(self._codes[label])
            self._suggested[key] = codes[:3]
        return list(self._suggested[key])


def _names_with_commas(parts: list[str], names: "AgencyNames") -> list[str]:
    """Parts that go on with the name before them rejoined: after a name not in the directory, a part that opens
    no name ("Thương mại và Hỗ trợ doanh nghiệp" after "Trung tâm Xúc tiến Đầu tư") is the rest of that name."""
    out: list[str] = []
    for part in parts:
        if out and not names.code_of(part) and not subject(part) and not _grouped(part) \
                and not names.code_of(out[-1]) and subject(out[-1]):
            out[-1] = f"{out[-1]}, {part}"
        else:
            out.append(part)
    return out


def _grouped(part: str) -> bool:
    folded = search.folded(part)
    return bool(TO_CHOOSE.search(folded) or any(pattern.search(folded) for pattern, _ in GROUP_PHRASES))
