"""The agency directory as the engine reads it, loading it from the national data, and loading a directory
file (``seed/plan_agencies.yaml``: the bodies of a province as a plan of a past year names them)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from engine.directory import national_provinces, standard_bodies
from engine.directory.bodies import district_successors
from engine.directory.provinces import national_data
from engine.errors import Invalid, NotFound
from engine.i18n import t
from engine.model.actors import Actor
from engine.model.agencies import KINDS, LEVELS, NATIONAL, AgencyDirectory, Province, existed_on
from engine.model.search import folded
from engine.store.plans.tables import AgencyRow, ProvinceRow
from engine.store.uow import UnitOfWork

#: Fields of a directory file's agency, and those it may leave out (kept as they are, or as the rules say).
AGENCY_FIELDS = ("code", "name", "short_name", "level", "kind", "province", "parent", "groups", "aliases",
                 "valid_from", "valid_until", "successors")


def load_directory(uow: UnitOfWork, provinces: Iterable[str] | None = None) -> AgencyDirectory:
    """The directory: every body, or those of ``provinces`` and the national ones."""
    with uow:
        return uow.agencies.directory(provinces)


def agency_names(uow: UnitOfWork, provinces: Iterable[str] | None = None) -> dict[str, str]:
    """Each agency's code and name (of ``provinces`` and the national bodies; None: all), for showing names
    where codes are kept."""
    with uow:
        return uow.agencies.names(provinces)


def agencies_of_province(uow: UnitOfWork, province: str | None, day: date | None = None) -> list[tuple[str, str]]:
    """The code and name of each agency of ``province`` that exists on ``day``, in directory order (what a launch
    form offers)."""
    if province is None:
        return []
    with uow:
        return [(row.code, row.name) for row in uow.agencies.listed([province])
                if row.province == province and existed_on(day, row.valid_from, row.valid_until)]


# --- the national data ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class NationalLoad:
    provinces: int  # province records added
    agencies: int  # bodies added
    data_version: str


def load_national(uow: UnitOfWork, clock, actor: Actor, codes: Iterable[str] | None = None) -> NationalLoad:
    """Every unit of the national list (and those merged away in 2025) as a province, and the bodies of
    ``codes`` (None: of every unit) as the national pattern makes them. What is there already is left as it
    is (an administrator's renaming, a directory file's names), so loading again adds only what is missing."""
    with uow:
        loaded = load_national_in(uow, clock, actor, codes)
        uow.commit()
    return loaded


def load_national_in(uow: UnitOfWork, clock, actor: Actor, codes: Iterable[str] | None = None) -> NationalLoad:
    """``load_national`` inside an open unit of work (a province brought on board with its first people)."""
    data = national_data()
    wanted = None if codes is None else set(codes)
    added_provinces = _add_provinces(uow, data.provinces)
    existing = uow.agencies.codes()
    rows = [_row_values(agency) for province in data.provinces
            if wanted is None or province.code in wanted
            for agency in standard_bodies(province) if agency.code not in existing]
    uow.agencies.add_all(rows)
    if added_provinces or rows:
        uow.audit.append(clock.now(), actor.name, "directory.national_loaded", data={
            "provinces": added_provinces, "agencies": len(rows), "of": sorted(wanted) if wanted else "all",
            "data_version": data.data_version})
    return NationalLoad(added_provinces, len(rows), data.data_version)


def _add_provinces(uow: UnitOfWork, provinces: Iterable[Province]) -> int:
    known = {row.code for row in uow.provinces.all()}
    added = 0
    for province in provinces:
        if province.code not in known:
            uow.provinces.add(ProvinceRow(
                code=province.code, name=province.name, short_name=province.short_name, division=province.division,
                gso_code=province.gso_code, valid_from=province.valid_from, valid_until=province.valid_until,
                successor=province.successor, aliases=list(province.aliases)))
            added += 1
    if NATIONAL not in known:
        uow.provinces.add(ProvinceRow(code=NATIONAL, name="Trung ương", short_name="Trung ương",
                                      division="quốc gia", aliases=[]))
    return added


def _row_values(agency) -> dict[str, Any]:
    return {"code": agency.code, "name": agency.name, "short_name": agency.short_name, "level": agency.level,
            "kind": agency.kind, "province": agency.province, "parent": agency.parent, "groups": list(agency.groups),
            "aliases": list(agency.aliases), "valid_from": agency.valid_from, "valid_until": agency.valid_until,
            "successors": list(agency.successors), "reach": [], "origin": "national"}


def find_province(uow: UnitOfWork, text: str) -> Province:
    """The unit ``text`` names ("Lâm Đồng", "tỉnh Lâm Đồng", "lam dong", "LDG", its statistics code "68"),
    today's where a name was used before and after 2025; NotFound with the closest names if none."""
    provinces = national_provinces()
    wanted = folded(text).removeprefix("tinh ").removeprefix("thanh pho ")
    by_code = {p.code.lower(): p for p in provinces} | {p.gso_code: p for p in provinces if p.gso_code}
    if wanted in by_code or text.strip() in by_code:
        return by_code.get(wanted) or by_code[text.strip()]
    named = [p for p in provinces if wanted in {folded(label) for label in (p.short_name, *p.aliases)}]
    if named:
        return sorted(named, key=lambda p: p.valid_until is not None)[0]
    close = sorted(p.name for p in provinces if wanted and wanted.split()[0] in folded(p.short_name))[:5]
    raise NotFound(t("no province or city named '%(text)s'%(hint)s", text=text,
                     hint=(" (" + ", ".join(close) + "?)") if close else ""))


# --- a directory file ----------------------------------------------------------------------------------------
def directory_file(uow: UnitOfWork) -> dict[str, Any]:
    """The whole directory in the format of a directory file: every province (with its dates) and every body, as
    tools that read the product's directory take it (``seed/agencies.yaml`` is this, written by the seed's data)."""
    with uow:
        whole = uow.agencies.directory(None)
    provinces = [{"code": p.code, "name": p.name, "short_name": p.short_name,
                  **_dated(p.valid_from, p.valid_until)} for p in whole.provinces.values()]
    bodies = [{"code": a.code, "name": a.name, "short_name": a.short_name, "level": a.level, "kind": a.kind,
               "province": a.province, **_given(parent=a.parent, groups=list(a.groups), aliases=list(a.aliases)),
               **_dated(a.valid_from, a.valid_until), **_given(successors=list(a.successors))}
              for a in whole.agencies.values()]
    return {"provinces": provinces, "agencies": bodies}


def _given(**fields: Any) -> dict[str, Any]:
    return {name: value for name, value in fields.items() if value}


def _dated(since: date | None, until: date | None) -> dict[str, str]:
    return _given(valid_from=since.isoformat() if since else None, valid_until=until.isoformat() if until else None)



def import_agencies(uow: UnitOfWork, clock, actor: Actor, data: dict[str, Any]) -> int:
    """Add or update the agencies of a directory file (``seed/plan_agencies.yaml``); returns how many.

    The fields a row gives replace the directory's; the dates and successors it leaves out are kept, except
    that a district of the file's that names no end ends with the district level on 30 June 2025, its duties
    passing to the communes and the People's Committee of its province (or of the one it was merged into)."""
    rows = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise Invalid(t("the directory has no 'agencies' list"))
    provinces = {p.get("code") for p in data.get("provinces", []) if isinstance(p, dict)}
    errors = _check(rows, provinces)
    if errors:
        raise Invalid(t("the agency directory has %(len)s problem(s); first: %(value)s",
                        len=len(errors), value=next(iter(errors.values()))[0]),
                      errors=errors)
    merged = {p.code: p for p in national_provinces()}
    with uow:
        for row in rows:
            existing = uow.agencies.find(row["code"]) or uow.agencies.add(AgencyRow(
                code=row["code"], successors=[], reach=[], origin="file"))
            existing.name, existing.short_name = row["name"], row.get("short_name") or row["name"]
            existing.level, existing.kind, existing.province = row["level"], row["kind"], row["province"]
            existing.parent = row.get("parent")
            existing.groups, existing.aliases = list(row.get("groups") or []), list(row.get("aliases") or [])
            for field in ("valid_from", "valid_until", "successors"):
                if field in row:
                    setattr(existing, field, row[field])
            if row["level"] == "district" and "valid_until" not in row and row["province"] in merged:
                existing.valid_until = date(2025, 6, 30)
                existing.successors = list(district_successors(merged[row["province"]]))
        uow.audit.append(clock.now(), actor.name, "agencies.imported", data={"count": len(rows)})
        uow.commit()
    return len(rows)


def _check(rows: list, provinces: set) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    codes = [row.get("code") for row in rows if isinstance(row, dict)]
    for index, row in enumerate(rows):
        where = f"agencies[{index}]"
        if not isinstance(row, dict):
            errors[where] = ["each agency is a mapping of fields"]
            continue
        for field in ("code", "name", "level", "kind", "province"):
            if not row.get(field):
                errors.setdefault(f"{where}.{field}", []).append(f"'{field}' is required")
        if codes.count(row.get("code")) > 1:
            errors.setdefault(f"{where}.code", []).append(f"code '{row.get('code')}' is used twice")
        if row.get("level") not in LEVELS:
            errors.setdefault(f"{where}.level", []).append(f"level must be one of {', '.join(LEVELS)}")
        if row.get("kind") not in KINDS:
            errors.setdefault(f"{where}.kind", []).append(f"kind must be one of {', '.join(KINDS)}")
        if provinces and row.get("province") not in provinces:
            errors.setdefault(f"{where}.province", []).append(f"province '{row.get('province')}' is not listed")
        if row.get("parent") and row["parent"] not in codes:
            errors.setdefault(f"{where}.parent", []).append(f"parent '{row['parent']}' is not in the directory")
    return errors
