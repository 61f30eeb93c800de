"""The bodies of one province as the national pattern makes them: its People's Committee, departments, police,
military command, press, Front and mass organisations, tax and insurance offices, court and procuracy (each
with the dates it existed and its successors), and, for today's units, one People's Committee per commune."""
from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

import yaml

from engine.directory.provinces import CITY, DATA, Commune, national_data
from engine.model.agencies import Agency, Province, group_successor
from engine.model.search import folded

COMMUNES = "communes"
NOT_CODE = re.compile(r"[^A-Z0-9]+")


@lru_cache(maxsize=1)
def patterns() -> dict:
    return yaml.safe_load((DATA / "standard_bodies.yaml").read_text(encoding="utf-8"))


def standard_bodies(province: Province) -> list[Agency]:
    """Every body of ``province`` the pattern gives, in the directory's order (People's Committee first, then
    the departments, the rest, and the communes)."""
    data = patterns()
    bodies = [dict(body) for body in data["bodies"]]
    for code, special in data.get("special", {}).items():
        if province.short_name in special["provinces"]:
            bodies.append({"code": code, **special["body"]})
    made = [agency for body in bodies if (agency := _made(body, province)) is not None]
    if province.valid_until is None:
        made.extend(commune_bodies(province))
    return made


def _made(body: dict, province: Province) -> Agency | None:
    words = _words(province)
    since, until = body.get("from"), body.get("until")
    successors = [f"{province.code}-{code}" for code in body.get("successors", [])]
    end = province.valid_until
    if end is not None:  # a unit merged away: its bodies end with it, their duties go to its successor's
        if since is not None and since > end:
            return None
        if until is None or until >= end:
            passing = body.get("successors", []) if until == end else [body["code"]]
            until, successors = end, [f"{province.successor}-{code}" for code in passing]
    name = body.get("names", {}).get(province.short_name) or body["name"].format(**words)
    return Agency(
        code=f"{province.code}-{body['code']}", name=name, short_name=body["short_name"].format(**words),
        level=body["level"], kind=body["kind"], province=province.code,
        parent=f"{province.code}-{body['parent']}" if body.get("parent") else None,
        groups=tuple(body.get("groups", ())),
        aliases=tuple(dict.fromkeys(alias.format(**words) for alias in body.get("aliases", ()))),
        valid_from=since, valid_until=until, successors=tuple(successors))


def _words(province: Province) -> dict[str, str]:
    return {"unit": province.unit, "level": province.division, "place": province.short_name,
            "youth": "Thành đoàn" if province.division == CITY else "Tỉnh đoàn"}


def commune_bodies(province: Province) -> list[Agency]:
    """One People's Committee per commune of today's ``province``, coded by kind and name (by the statistics
    office's code too where two communes of the province fold to one name)."""
    rules = patterns()["communes"]
    since: date = rules["from"]
    communes = national_data().communes.get(province.code, ())
    seen: dict[str, int] = {}
    for commune in communes:
        seen[_code_name(commune)] = seen.get(_code_name(commune), 0) + 1
    made = []
    for commune in communes:
        kind = rules["kinds"][commune.division]
        name = _code_name(commune)
        code = f"{province.code}-{kind}-{name}" + (f"-{commune.gso_code}" if seen[name] > 1 else "")
        written = commune.division + commune.name[len(commune.division):]  # "xã Thượng Lâm"
        made.append(Agency(
            code=code, name=f"Ủy ban nhân dân {written}", short_name=f"UBND {written}", level="commune",
            kind="people_committee", province=province.code, groups=(rules["group"],),
            aliases=(f"UBND {written}", commune.name, f"Chủ tịch UBND {written}"), valid_from=since))
    return made


def _code_name(commune: Commune) -> str:
    bare = folded(commune.name[len(commune.division):]).upper()
    return NOT_CODE.sub("", bare)


def district_successors(province: Province) -> tuple[str, ...]:
    """Where a district's duties went on 1 July 2025: the communes and the People's Committee of the province
    it lay in (or of the one that province was merged into)."""
    heir = province.successor or province.code
    return (group_successor(heir, COMMUNES), f"{heir}-UBND")
