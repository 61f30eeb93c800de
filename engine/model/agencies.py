"""The agency directory: who the bodies named in plans are, and the groups plans address.

Plans name agencies the way people write them ("Công an tỉnh", "Sở TT&TT",
"UBND các huyện"); templates name them by code and by group. The directory
answers both, and suggests the right code for a near miss.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable

from engine.model.search import folded

LEVELS = ("province", "department", "district", "commune", "unit")
KINDS = ("people_committee", "steering_committee", "office", "police", "department", "press", "broadcaster",
         "mass_organisation", "court", "procuracy", "school", "other")


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    province: str
    parent: str | None = None
    groups: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()


@dataclass
class AgencyDirectory:
    agencies: dict[str, Agency] = field(default_factory=dict)

    @classmethod
    def of(cls, agencies: Iterable[Agency]) -> "AgencyDirectory":
        return cls({agency.code: agency for agency in agencies})

    def __contains__(self, code: str) -> bool:
        return code in self.agencies

    def get(self, code: str) -> Agency | None:
        return self.agencies.get(code)

    def group_names(self) -> set[str]:
        return {group for agency in self.agencies.values() for group in agency.groups}

    def members(self, group: str, province: str | None = None) -> list[str]:
        """Codes of a group's agencies (of one province, when given), in directory order."""
        return [a.code for a in self.agencies.values()
                if group in a.groups and (province is None or a.province == province)]

    def suggest(self, text: str, province: str | None = None) -> str | None:
        """The code most like ``text`` (a mistyped code or a name as written), or None."""
        wanted = folded(text)
        candidates: dict[str, str] = {}
        for agency in self.agencies.values():
            if province is not None and agency.province != province:
                continue
            for label in (agency.code, agency.name, agency.short_name, *agency.aliases):
                candidates.setdefault(folded(label), agency.code)
        if wanted in candidates:
            return candidates[wanted]
        close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
        return candidates[close[0]] if close else None

    def describe_unknown(self, code: str, province: str | None = None) -> str:
        hint = self.suggest(code, province)
        name = f" ({self.agencies[hint].name})" if hint else ""
        return f"agency '{code}' is not in the agency directory" + (f"; did you mean '{hint}'{name}?" if hint else "")
