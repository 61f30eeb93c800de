"""The agency directory: who the bodies named in plans are, when they existed, and the groups plans address.

Plans name agencies the way people write them ("Công an tỉnh", "Sở TT&TT",
"UBND các xã, phường"); templates name them by code and by group. The
directory answers both, as of the plan's own date: a body exists from its
``valid_from`` to its ``valid_until`` (both days included, None for "always"),
and when it ends its duties pass to its ``successors`` (codes, or
``"PROVINCE:group"`` for a group of a province, such as a district's communes).
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date
from typing import Callable, Iterable

from engine.i18n import t
from engine.model.search import folded

#: The province code of national bodies (a ministry's department): they may be named by a plan of any province.
NATIONAL = "VN"

LEVELS = ("national", "province", "department", "district", "commune", "unit")
KINDS = ("people_committee", "steering_committee", "office", "police", "military", "department", "press",
         "broadcaster", "mass_organisation", "court", "procuracy", "tax", "insurance", "school", "ministry",
         "other")


def existed_on(day: date | None, since: date | None, until: date | None) -> bool:
    """Whether something of those first and last days (None: open) existed on ``day`` (None: any day)."""
    return day is None or ((since is None or since <= day) and (until is None or day <= until))


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
    valid_from: date | None = None
    valid_until: date | None = None
    successors: tuple[str, ...] = ()

    def exists_on(self, day: date | None) -> bool:
        """Whether the body existed on ``day`` (None: any day, for a directory read without a date)."""
        return existed_on(day, self.valid_from, self.valid_until)

    def labels(self) -> tuple[str, ...]:
        return (self.name, self.short_name, *self.aliases)


@dataclass(frozen=True)
class Province:
    """A provincial-level unit as the directory knows it: one of today's 34, or one merged away in 2025."""

    code: str
    name: str  # "Tỉnh Lâm Đồng", "Thành phố Hà Nội"
    short_name: str  # "Lâm Đồng"
    division: str  # "tỉnh" or "thành phố"
    gso_code: str | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    successor: str | None = None
    aliases: tuple[str, ...] = ()

    @property
    def unit(self) -> str:
        """How plans write it after a body's name: "tỉnh Lâm Đồng", "thành phố Hà Nội"."""
        return f"{self.division} {self.short_name}"

    def exists_on(self, day: date | None) -> bool:
        return existed_on(day, self.valid_from, self.valid_until)

    def labels(self) -> tuple[str, ...]:
        return (self.name, self.short_name, self.unit, self.code, *self.aliases)


def group_successor(province: str, group: str) -> str:
    """How a successor that is a whole group of a province is written: ``QNG:communes``."""
    return f"{province}:{group}"


@dataclass
class AgencyDirectory:
    agencies: dict[str, Agency] = field(default_factory=dict)
    provinces: dict[str, Province] = field(default_factory=dict)
    #: For a directory as of a day: that day, and the whole directory (to say why a code is not there).
    day: date | None = None
    whole: "AgencyDirectory | None" = field(default=None, repr=False)
    #: For a directory of some provinces only: finds a body of any other (to say whose it is), else None.
    look_up: "Callable[[str], Agency | None] | None" = field(default=None, repr=False)

    @classmethod
    def of(cls, agencies: Iterable[Agency], provinces: Iterable[Province] = ()) -> "AgencyDirectory":
        return cls({agency.code: agency for agency in agencies}, {p.code: p for p in provinces})

    def __contains__(self, code: str) -> bool:
        return code in self.agencies

    def get(self, code: str) -> Agency | None:
        return self.agencies.get(code)

    def as_of(self, day: date | None) -> "AgencyDirectory":
        """The bodies that existed on ``day``: what a plan of that date may name."""
        whole = self.whole or self
        if day is None:
            return whole
        return AgencyDirectory({code: agency for code, agency in whole.agencies.items() if agency.exists_on(day)},
                               self.provinces, day, whole, self.look_up)

    def of_province(self, province: str | None) -> "AgencyDirectory":
        if province is None:
            return self
        return AgencyDirectory({code: agency for code, agency in self.agencies.items()
                                if agency.province in (province, NATIONAL)}, self.provinces, self.day,
                               self.whole or self, self.look_up)

    def group_names(self) -> set[str]:
        return {group for agency in self.agencies.values() for group in agency.groups}

    def members(self, group: str, province: str | None = None) -> list[str]:
        """Codes of a group's agencies (of one province, when given), in directory order."""
        return [a.code for a in self.agencies.values()
                if group in a.groups and (province is None or a.province == province)]

    def named(self, text: str, province: str | None = None) -> str | None:
        """The code of the body ``text`` names exactly (its name, short name or an alias, diacritics and case
        aside), in ``province`` when given: on a directory ``as_of`` a day, the body of that day."""
        wanted = folded(text)
        for agency in self.agencies.values():
            if (province is None or agency.province == province) and \
                    wanted in (folded(label) for label in agency.labels()):
                return agency.code
        return None

    def suggest(self, text: str, province: str | None = None) -> str | None:
        """The code most like ``text`` (a mistyped code or a name as written), or None."""
        wanted = folded(text)
        candidates: dict[str, str] = {}
        for agency in self.agencies.values():
            if province is not None and agency.province != province:
                continue
            for label in (agency.code, *agency.labels()):
                candidates.setdefault(folded(label), agency.code)
        if wanted in candidates:
            return candidates[wanted]
        close = difflib.get_close_matches(wanted, list(candidates), n=1, cutoff=0.6)
        return candidates[close[0]] if close else None

    def describe_unknown(self, code: str, province: str | None = None) -> str:
        """Why ``code`` cannot be used here: it never was in the directory (with the code it may mean), it is a
        body of another province, or it did not exist on the plan's date (with what came before or after it)."""
        known, day = (self.whole or self).get(code), self.day
        if known is None and self.look_up is not None:
            known = self.look_up(code)
        if known is not None and province is not None and known.province not in (province, NATIONAL):
            return t("agency '%(code)s' (%(name)s) is a body of %(province)s, not of %(plan)s",
                     code=code, name=known.name, province=known.province, plan=province)
        if known is not None and day is not None and not known.exists_on(day):
            return self._not_on(known, day)
        hint = self.suggest(code, province)
        if hint:
            return t("agency '%(code)s' is not in the agency directory; did you mean '%(hint)s' (%(name)s)?",
                     code=code, hint=hint, name=self.agencies[hint].name)
        return t("agency '%(code)s' is not in the agency directory", code=code)

    @staticmethod
    def _not_on(known: Agency, day: date) -> str:
        if known.valid_until is not None and day > known.valid_until:
            after = ", ".join(known.successors) or t("none recorded")
            return t("agency '%(code)s' (%(name)s) ceased on %(until)s, before the plan's date %(day)s; its "
                     "duties passed to %(after)s", code=known.code, name=known.name,
                     until=known.valid_until.isoformat(), day=day.isoformat(), after=after)
        return t("agency '%(code)s' (%(name)s) was set up on %(since)s, after the plan's date %(day)s",
                 code=known.code, name=known.name, since=known.valid_from.isoformat(), day=day.isoformat())

    def predecessors(self, code: str) -> list[str]:
        """The bodies whose duties passed to ``code``: its history, read backwards."""
        return [agency.code for agency in self.agencies.values() if code in agency.successors]

    def find_province(self, text: str, day: date | None = None) -> Province | None:
        """The province a text names ("Lâm Đồng", "tỉnh Lâm Đồng", "UBND TỈNH LÂM ĐỒNG", "LDG"), as of ``day``:
        where a name was used by two units (Quảng Ngãi before and after 2025 is one code), the one of the day."""
        wanted = folded(text)
        for prefix in ("uy ban nhan dan ", "ubnd "):
            wanted = wanted.removeprefix(prefix)
        found = [p for p in self.provinces.values()
                 if wanted in {folded(label) for label in p.labels()} and p.exists_on(day)]
        return found[0] if found else None


def directory_as_json(directory: AgencyDirectory) -> dict:
    """The directory as plain data (to hand to the process that reads a document), dates as ISO text."""
    def plain(value):
        return value.isoformat() if isinstance(value, date) else list(value) if isinstance(value, tuple) else value
    return {"agencies": [{name: plain(value) for name, value in vars(agency).items()}
                         for agency in directory.agencies.values()],
            "provinces": [{name: plain(value) for name, value in vars(province).items()}
                          for province in directory.provinces.values()]}


def directory_from_json(data: dict) -> AgencyDirectory:
    def typed(name: str, value):
        if name in ("valid_from", "valid_until") and value is not None:
            return date.fromisoformat(value)
        return tuple(value) if isinstance(value, list) else value
    return AgencyDirectory.of((Agency(**{name: typed(name, value) for name, value in row.items()})
                               for row in data.get("agencies", ())),
                              (Province(**{name: typed(name, value) for name, value in row.items()})
                               for row in data.get("provinces", ())))

