"""Provinces: today's 34 and those merged into them in 2025, and bringing one on board: its directory from the
national data, its first administrator and coordinator invited by a one-time link, in one transaction."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from engine.errors import Conflict, Invalid, NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.agencies import NATIONAL
from engine.services.directory import find_province, load_national_in
from engine.services.invitations import Invitation, Person, invite_in
from engine.store.plans.tables import ProvinceRow
from engine.store.uow import UnitOfWork


@dataclass(frozen=True)
class ProvinceView:
    code: str
    name: str
    division: str
    gso_code: str | None
    valid_until: date | None
    successor: str | None
    predecessors: tuple[str, ...]  # names of the units merged into it
    onboarded_at: datetime | None
    agencies: int
    people: int


@dataclass(frozen=True)
class Onboarding:
    province: ProvinceView
    agencies_added: int
    invitations: list[Invitation]


def list_provinces(uow: UnitOfWork, actor: Actor, with_past: bool = False) -> list[ProvinceView]:
    """Today's units (and, ``with_past``, those merged into them), each with its bodies and people counted; a
    province's people see their own."""
    reach = policy.scope(actor)
    with uow:
        rows = [row for row in uow.provinces.all() if row.code != NATIONAL and (with_past or row.valid_until is None)
                and (reach is None or row.code in reach)]
        agencies, people = uow.agencies.count_by_province(), uow.users.count_by_province()
        names = {row.code: row.name for row in uow.provinces.all()}
        return [_view(row, names, agencies, people, uow) for row in rows]


def get_province(uow: UnitOfWork, actor: Actor, code: str) -> ProvinceView:
    with uow:
        row = uow.provinces.find(code)
        if row is None or not policy.in_scope(actor, code):
            raise NotFound(t("no province %(code)s", code=code))
        names = {other.code: other.name for other in uow.provinces.all()}
        return _view(row, names, uow.agencies.count_by_province(), uow.users.count_by_province(), uow)


def _view(row: ProvinceRow, names: dict[str, str], agencies: dict, people: dict, uow: UnitOfWork) -> ProvinceView:
    before = tuple(names.get(code, code) for code in uow.provinces.predecessors(row.code))
    return ProvinceView(row.code, row.name, row.division, row.gso_code, row.valid_until, row.successor, before,
                        row.onboarded_at, agencies.get(row.code, 0), people.get(row.code, 0))


def onboard_province(uow: UnitOfWork, clock, actor: Actor, name: str, base_url: str, admin: dict | None = None,
                     coordinator: dict | None = None) -> Onboarding:
    """Bring the province ``name`` names on board: its bodies and communes from the national data, and its
    first administrator and coordinator, each sent a link to set their password. ``admin`` and
    ``coordinator`` may give a ``username``, ``email``, ``display_name`` and ``agency`` (by default: quantri.ldg
    and dieuphoi.ldg, of the People's Committee's office). All of it or nothing: a refused person leaves no
    directory and no one behind."""
    policy.check_onboards_provinces(actor)
    province = find_province(uow, name)
    if province.valid_until is not None:
        heir = find_province(uow, province.successor)
        raise Invalid(t("%(name)s was merged into %(successor)s on 1 July 2025: bring %(successor)s on board",
                        name=province.name, successor=heir.name), errors={"province": [t("merged away")]})
    people = [person_for(province.code, "admin", **{"display_name": f"Quản trị {province.unit}", **(admin or {})}),
              person_for(province.code, "coordinator",
                         **{"display_name": f"Điều phối {province.unit}", **(coordinator or {})})]
    with uow:
        row = uow.provinces.find(province.code)
        if row is not None and row.onboarded_at is not None:
            raise Conflict(t("%(name)s has been on board since %(since)s; invite more people from its page or with "
                             "'planflow users invite'", name=province.name, since=f"{row.onboarded_at:%d/%m/%Y}"))
        loaded = load_national_in(uow, clock, actor, [province.code])
        uow.flush()
        invited = [invite_in(uow, clock, actor, person, base_url) for person in people]
        row = uow.provinces.find(province.code)
        row.onboarded_at = clock.now()
        uow.audit.append(clock.now(), actor.name, "province.onboarded", data={
            "province": province.code, "agencies_added": loaded.agencies,
            "people": [person.username for person in people]})
        uow.commit()
        names = {other.code: other.name for other in uow.provinces.all()}
        view = _view(row, names, uow.agencies.count_by_province(), uow.users.count_by_province(), uow)
    return Onboarding(view, loaded.agencies, invited)


def _first(code: str, role: str) -> Person:
    """The default first person of a role: named after the role and the province, of its People's Committee's
    office (which keeps the province's plans in most provinces)."""
    username = {"admin": "quantri", "coordinator": "dieuphoi"}[role] + "." + code.lower()
    label = {"admin": "Quản trị", "coordinator": "Điều phối"}[role]
    return Person(username, (role,), f"{code}-VPUBND", f"{label} {code}")


def person_for(code: str, role: str, username: str | None = None, email: str | None = None,
               display_name: str | None = None, agency: str | None = None) -> Person:
    """The first ``role`` of province ``code`` as asked for, the defaults filling what is not given."""
    default = _first(code, role)
    return Person(username or default.username, default.roles, agency or default.agency,
                  display_name or default.display_name, email)
