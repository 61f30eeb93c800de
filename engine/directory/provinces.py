"""Today's 34 provincial-level units from the national statistics office's list, and the 29 merged into
them on 1 July 2025, each with a code and its dates."""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import yaml
from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH, __data_version__

from engine.model.agencies import Province
from engine.model.search import folded

DATA = Path(__file__).resolve().parent / "data"
CITY = "thành phố"
PROVINCE = "tỉnh"


@dataclass(frozen=True)
class Commune:
    """A commune-level unit of today: xã, phường or đặc khu."""

    name: str  # "Xã Thượng Lâm", "Phường Xuân Hương - Đà Lạt", "Đặc khu Phú Quý"
    gso_code: str
    division: str  # "xã", "phường", "đặc khu"


@dataclass(frozen=True)
class NationalData:
    provinces: tuple[Province, ...]
    communes: dict[str, tuple[Commune, ...]]  # by province code, today's units only
    data_version: str


@lru_cache(maxsize=1)
def reform() -> dict:
    return yaml.safe_load((DATA / "reform_2025.yaml").read_text(encoding="utf-8"))


def province_code(short_name: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """The directory code of a unit named ``short_name`` (without "Tỉnh"/"Thành phố"): the rule of
    ``data/reform_2025.yaml``, or the code written there."""
    written = reform().get("codes", {}).get(short_name)
    if written:
        return written
    words = folded(short_name).upper().replace("-", " ").split()
    if len(words) == 1:
        code = words[0][:3]
    elif len(words) == 2:
        code = words[0][0] + words[1][0] + words[1][-1]
    else:
        code = "".join(word[0] for word in words)[:4]
    if code in taken:
        raise ValueError(f"the code {code} of {short_name} is taken; write another in reform_2025.yaml")
    return code


def _short(name: str) -> tuple[str, str]:
    """("Lâm Đồng", "tỉnh") from "Lâm Đồng"; ("Hà Nội", "thành phố") from "Thành phố Hà Nội"."""
    for prefix, division in (("Thành phố ", CITY), ("Tỉnh ", PROVINCE)):
        if name.startswith(prefix):
            return name[len(prefix):], division
    return name, PROVINCE


@lru_cache(maxsize=1)
def national_data() -> NationalData:
    """The 34 units and their communes (the package's list), and the units merged away in 2025."""
    units = json.loads(Path(NESTED_DIVISIONS_JSON_PATH).read_text(encoding="utf-8"))
    data = reform()
    merged_on = data["effective"]["provinces"]
    ended = merged_on - timedelta(days=1)
    provinces: list[Province] = []
    communes: dict[str, tuple[Commune, ...]] = {}
    taken: set[str] = set()
    cities = set()
    for unit in units:
        short, division = _short(unit["name"])
        if unit["division_type"].startswith(CITY):
            division = CITY
            cities.add(short)
        code = province_code(short, taken)
        taken.add(code)
        provinces.append(Province(code=code, name=f"{division.capitalize()} {short}", short_name=short,
                                  division=division, gso_code=f"{unit['code']:02d}",
                                  aliases=tuple(data.get("aliases", {}).get(short, ()))))
        communes[code] = tuple(Commune(ward["name"], f"{ward['code']:05d}", ward["division_type"])
                               for ward in unit["wards"])
    current = {p.short_name: p.code for p in provinces}
    for successor, predecessors in data["provinces"].items():
        if successor not in current:
            raise ValueError(f"reform_2025.yaml names {successor}, which the national list does not have")
        for short in predecessors[1:]:
            code = province_code(short, taken)
            taken.add(code)
            division = CITY if short == "Hồ Chí Minh" else PROVINCE
            provinces.append(Province(code=code, name=f"{division.capitalize()} {short}", short_name=short,
                                      division=division, valid_until=ended, successor=current[successor]))
    return NationalData(tuple(provinces), communes, __data_version__)


def national_provinces(day: date | None = None) -> list[Province]:
    """Every unit the directory knows, or those of ``day``."""
    return [p for p in national_data().provinces if p.exists_on(day)]


def predecessors(code: str) -> list[Province]:
    """The units merged into ``code`` on 1 July 2025 (not counting the one whose name it kept)."""
    return [p for p in national_data().provinces if p.successor == code]


@lru_cache(maxsize=1)
def predecessor_codes() -> dict[str, tuple[str, ...]]:
    """Each of today's units' code with the codes of the units merged into it (from the reform's data alone:
    asked on every request, it reads no list of communes)."""
    return {province_code(successor): tuple(province_code(short) for short in predecessors[1:])
            for successor, predecessors in reform()["provinces"].items()}

