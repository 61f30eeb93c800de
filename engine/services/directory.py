"""The agency directory as the engine reads it, and loading it from a file."""
from __future__ import annotations

from typing import Any

from engine.errors import Invalid
from engine.i18n import t
from engine.model.actors import Actor
from engine.model.agencies import KINDS, LEVELS, AgencyDirectory
from engine.store.plans.tables import AgencyRow
from engine.store.uow import UnitOfWork


def load_directory(uow: UnitOfWork) -> AgencyDirectory:
    with uow:
        return uow.agencies.directory()


def agency_names(uow: UnitOfWork) -> dict[str, str]:
    """Every agency's code and name, for showing names where codes are kept."""
    with uow:
        return uow.agencies.names()


def agencies_of_province(uow: UnitOfWork, province: str | None) -> list[tuple[str, str]]:
    """The code and name of each agency of ``province``, in directory order (what a launch form offers)."""
    with uow:
        return [(row.code, row.name) for row in uow.agencies.all() if row.province == province]


def import_agencies(uow: UnitOfWork, clock, actor: Actor, data: dict[str, Any]) -> int:
    """Add or update the agencies of a directory file (``seed/agencies.yaml``); returns how many."""
    rows = data.get("agencies") if isinstance(data, dict) else None
    if not isinstance(rows, list) or not rows:
        raise Invalid(t("the directory has no 'agencies' list"))
    provinces = {p.get("code") for p in data.get("provinces", []) if isinstance(p, dict)}
    errors = _check(rows, provinces)
    if errors:
        raise Invalid(t("the agency directory has %(len)s problem(s); first: %(value)s",
                        len=len(errors), value=next(iter(errors.values()))[0]),
                      errors=errors)
    with uow:
        for row in rows:
            existing = uow.agencies.find(row["code"]) or uow.agencies.add(AgencyRow(code=row["code"]))
            existing.name, existing.short_name = row["name"], row.get("short_name") or row["name"]
            existing.level, existing.kind, existing.province = row["level"], row["kind"], row["province"]
            existing.parent = row.get("parent")
            existing.groups, existing.aliases = list(row.get("groups") or []), list(row.get("aliases") or [])
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
