"""An administrator's changes to the directory of their province: a body added, renamed, merged into another
(its successor recorded, its people moved) or retired; each one audited, and each one dated, so that plans of
the days before it still read the bodies they named."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Iterable

from engine.errors import Conflict, Invalid, NotFound
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.agencies import KINDS, LEVELS, NATIONAL, existed_on
from engine.model.clock import LOCAL_TZ
from engine.model.report_texts import signer_of, signer_problems
from engine.model.search import folded
from engine.store.plans.tables import AgencyRow
from engine.store.uow import UnitOfWork

CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{1,59}")
DIRECTORY = "the directory"


@dataclass(frozen=True)
class AgencyView:
    code: str
    name: str
    short_name: str
    level: str
    kind: str
    province: str
    parent: str | None
    groups: tuple[str, ...]
    aliases: tuple[str, ...]
    valid_from: date | None
    valid_until: date | None
    successors: tuple[str, ...]
    origin: str
    people: int = 0
    #: Who signs the body's reports (its position, and full name if known); None: nobody set.
    signer_title: str | None = None
    signer_name: str | None = None


@dataclass(frozen=True)
class AgencyHistory:
    """A body, where it came from and where its duties went, and every change made to it."""

    agency: AgencyView
    predecessors: list[AgencyView]
    successors: list[AgencyView]
    events: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class NewAgency:
    code: str
    name: str
    province: str
    kind: str = "department"
    level: str = "department"
    short_name: str | None = None
    parent: str | None = None
    groups: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None


def view_of(row: AgencyRow, people: int = 0) -> AgencyView:
    return AgencyView(row.code, row.name, row.short_name, row.level, row.kind, row.province, row.parent,
                      tuple(row.groups), tuple(row.aliases), row.valid_from, row.valid_until,
                      tuple(row.successors or ()), row.origin, people, row.signer_title, row.signer_name)


def list_agencies(uow: UnitOfWork, actor: Actor, province: str | None = None, search: str | None = None,
                  on: date | None = None, group: str | None = None) -> list[AgencyView]:
    """The bodies of ``province`` (and the national ones), or of every province for a national reader; as of
    ``on`` when given; each word of ``search`` begins a word of the code, name or aliases (diacritics aside)."""
    return page_of_agencies(uow, actor, province, search, on, group)[0]


def page_of_agencies(uow: UnitOfWork, actor: Actor, province: str | None = None, search: str | None = None,
                     on: date | None = None, group: str | None = None, page: int = 1,
                     per_page: int | None = None) -> tuple[list[AgencyView], int]:
    """``list_agencies`` a page at a time (``per_page`` None: all of it), with how many there are in all; a page
    of the unfiltered directory (five thousand bodies) is read alone."""
    reach = policy.scope(actor)
    wanted = [province] if province else (sorted(reach) if reach is not None else None)
    if province and reach is not None and province not in reach and province != NATIONAL:
        raise policy.Forbidden(t("you read the directory of %(province)s", province=actor.province))
    words = folded(search).split() if search else []
    if per_page is not None and not words and on is None and not group:
        with uow:
            rows = uow.agencies.listed(wanted, per_page, (page - 1) * per_page)
            return [view_of(row) for row in rows], uow.agencies.count(wanted)
    with uow:
        rows = uow.agencies.listed(wanted)
    found = []
    for row in rows:
        if not existed_on(on, row.valid_from, row.valid_until):
            continue
        if group and group not in row.groups:
            continue
        if words:
            text = " " + folded(" ".join((row.code, row.name, row.short_name, *row.aliases))).replace("-", " ")
            if not all(f" {word}" in text for word in words):
                continue
        found.append(view_of(row))
    if per_page is None:
        return found, len(found)
    return found[(page - 1) * per_page:page * per_page], len(found)


def add_agency(uow: UnitOfWork, clock, actor: Actor, new: NewAgency) -> AgencyView:
    """A body the national pattern does not give (a board, a province's own department), from ``valid_from``
    (else from today)."""
    errors = agency_problems(new)
    if errors:
        raise Invalid(t("the agency cannot be added: %(first)s", first=next(iter(errors.values()))[0]), errors=errors)
    with uow:
        policy.check_manages(actor, None if new.province == NATIONAL else new.province, t(DIRECTORY))
        if uow.provinces.find(new.province) is None:
            raise Invalid(t("province '%(province)s' is not in the directory", province=new.province),
                          errors={"province": [t("unknown")]})
        if uow.agencies.find(new.code) is not None:
            raise Conflict(t("agency code %(code)s is taken", code=new.code))
        if new.parent and uow.agencies.find(new.parent) is None:
            raise Invalid(t("agency '%(agency)s' is not in the agency directory", agency=new.parent),
                          errors={"parent": [t("unknown")]})
        view = add_agency_in(uow, clock, actor, new)
        uow.commit()
        return view


def add_agency_in(uow: UnitOfWork, clock, actor: Actor, new: NewAgency, undated_from_today: bool = True) -> AgencyView:
    """Inside an open unit of work, ``new`` checked (a spreadsheet imported): the body added and audited; with no
    ``valid_from``, from today (or, not ``undated_from_today``, from before any day the directory covers, as
    the national pattern's bodies are)."""
    row = uow.agencies.add(AgencyRow(
        code=new.code, name=new.name.strip(), short_name=(new.short_name or new.name).strip(), level=new.level,
        kind=new.kind, province=new.province, parent=new.parent, groups=list(new.groups),
        aliases=[alias.strip() for alias in new.aliases if alias.strip()],
        valid_from=new.valid_from or (_today(clock) if undated_from_today else None), valid_until=new.valid_until,
        successors=[], reach=[], origin="admin"))
    uow.audit.append(clock.now(), actor.name, "agency.added", data={"code": new.code, "name": row.name,
                                                                     "province": new.province})
    return view_of(row)


def agency_problems(new: NewAgency) -> dict[str, list]:
    """Each problem of ``new``'s own fields, by field (the directory's answers aside: whether its province is
    known, its code free, its parent there)."""
    errors: dict[str, list] = {}
    if not CODE.fullmatch(new.code or ""):
        errors["code"] = [t("a code of capital letters, digits and '-', such as LDG-BQLKKT")]
    elif new.province != NATIONAL and not new.code.startswith(new.province + "-"):
        errors["code"] = [t("a body of %(province)s has a code beginning %(province)s-", province=new.province)]
    if not (new.name or "").strip() or len(new.name) > 300:
        errors["name"] = [t("a name of 1 to 300 characters")]
    if new.level not in LEVELS:
        errors["level"] = [t("one of %(values)s", values=", ".join(LEVELS))]
    if new.kind not in KINDS:
        errors["kind"] = [t("one of %(values)s", values=", ".join(KINDS))]
    if new.valid_from and new.valid_until and new.valid_until < new.valid_from:
        errors["valid_until"] = [t("its last day comes before its first (%(since)s)", since=new.valid_from.isoformat())]
    return errors


def rename_agency(uow: UnitOfWork, clock, actor: Actor, code: str, name: str,
                  short_name: str | None = None) -> AgencyView:
    """A new name for the same body: the old one stays an alias, so plans that wrote it still find it."""
    if not (name or "").strip() or len(name) > 300:
        raise Invalid(t("a name of 1 to 300 characters"), errors={"name": ["1 to 300 characters"]})
    with uow:
        row = _managed(uow, actor, code)
        old = row.name
        if name.strip() != old:
            row.aliases = list(dict.fromkeys([*row.aliases, old]))
            row.name = name.strip()
        if short_name:
            row.short_name = short_name.strip()
        uow.audit.append(clock.now(), actor.name, "agency.renamed", data={"code": code, "from": old, "to": row.name})
        uow.commit()
        return view_of(row)


def set_signer(uow: UnitOfWork, clock, actor: Actor, code: str, title: str | None,
               name: str | None) -> AgencyView:
    """Who signs the body's reports: the position (chức vụ, such as KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN) and the
    full name; both empty: nobody, and its reports leave the block for a hand signature."""
    errors = signer_problems(title, name)
    if errors:
        raise Invalid(t("the signer cannot be set: %(first)s", first=next(iter(errors.values()))[0]), errors=errors)
    signer = signer_of(title, name)
    with uow:
        row = _managed(uow, actor, code)
        before = signer_of(row.signer_title, row.signer_name)
        row.signer_title, row.signer_name = (signer.title, signer.name) if signer else (None, None)
        uow.audit.append(clock.now(), actor.name, "agency.signer_set", data={
            "code": code, "from": str(before) if before else "—", "to": str(signer) if signer else "—"})
        uow.commit()
        return view_of(row)


def retire_agency(uow: UnitOfWork, clock, actor: Actor, code: str, last_day: date | None = None,
                  successors: Iterable[str] = ()) -> AgencyView:
    """The body ceases after ``last_day`` (else today); its duties pass to ``successors`` when given. Its people
    stay, to be moved or disabled by the administrator; its running tasks stay where they are."""
    with uow:
        row = _managed(uow, actor, code)
        day = last_day or _today(clock)
        heirs = _heirs(uow, row, successors, day)
        row.valid_until, row.successors = day, heirs
        uow.audit.append(clock.now(), actor.name, "agency.retired", data={"code": code, "last_day": day.isoformat(),
                                                                           "successors": heirs})
        uow.commit()
        return view_of(row)


def merge_agencies(uow: UnitOfWork, clock, actor: Actor, codes: Iterable[str], into: str,
                   last_day: date | None = None) -> AgencyView:
    """``codes`` are merged into ``into`` after ``last_day`` (else yesterday): each ceases with ``into`` as its
    successor, and their people become people of ``into``."""
    merged = [code for code in dict.fromkeys(codes) if code != into]
    if not merged:
        raise Invalid(t("name the bodies to merge into %(code)s", code=into), errors={"codes": [t("none")]})
    with uow:
        target = _managed(uow, actor, into)
        day = last_day or _today(clock) - timedelta(days=1)
        if target.valid_until is not None and target.valid_until <= day:
            raise Invalid(t("%(name)s ceased on %(until)s", name=target.name, until=target.valid_until.isoformat()),
                          errors={"into": [t("ceased")]})
        moved = []
        for code in merged:
            row = _managed(uow, actor, code)
            if row.province != target.province:
                raise Invalid(t("%(code)s is a body of %(province)s; bodies are merged within a province",
                                code=code, province=row.province), errors={"codes": [code]})
            row.valid_until, row.successors = day, [into]
            for person in uow.users.of_agency(code):
                person.agency = into
                moved.append(person.username)
        uow.audit.append(clock.now(), actor.name, "agency.merged", data={
            "codes": merged, "into": into, "last_day": day.isoformat(), "people_moved": moved})
        uow.commit()
        return view_of(target)


def set_reach(uow: UnitOfWork, clock, actor: Actor, code: str, provinces: Iterable[str]) -> AgencyView:
    """The provinces a national body's people see (those its programmes reach); national administrators set it."""
    policy.check_onboards_provinces(actor)
    with uow:
        row = uow.agencies.find(code)
        if row is None or row.province != NATIONAL:
            raise Invalid(t("only a national body reaches other provinces; %(code)s is not one", code=code),
                          errors={"code": [code]})
        wanted = sorted(set(provinces))
        unknown = [province for province in wanted if uow.provinces.find(province) is None]
        if unknown:
            raise Invalid(t("province '%(province)s' is not in the directory", province=unknown[0]),
                          errors={"provinces": unknown})
        before, row.reach = list(row.reach or ()), wanted
        uow.audit.append(clock.now(), actor.name, "agency.reach_set", data={"code": code, "from": before,
                                                                            "to": wanted})
        uow.commit()
        return view_of(row)


def agency_history(uow: UnitOfWork, actor: Actor, code: str) -> AgencyHistory:
    """A body with the bodies whose duties it took over and those that took over its own, and its changes."""
    with uow:
        row = uow.agencies.find(code)
        if row is None or not policy.in_scope(actor, row.province) and row.province != NATIONAL:
            raise NotFound(t("no agency %(code)s", code=code))
        before = [view_of(other) for other in uow.agencies.all([row.province]) if code in (other.successors or ())]
        after = [view_of(found) for heir in row.successors or () if (found := uow.agencies.find(heir))]
        events = uow.audit.about_agency(code)
        return AgencyHistory(view_of(row, len(uow.users.of_agency(code))), before, after, events)


def _managed(uow: UnitOfWork, actor: Actor, code: str) -> AgencyRow:
    row = uow.agencies.find(code)
    if row is None or not policy.in_scope(actor, row.province) and row.province != NATIONAL:
        raise NotFound(t("no agency %(code)s", code=code))
    policy.check_manages(actor, None if row.province == NATIONAL else row.province, t(DIRECTORY))
    return row


def _heirs(uow: UnitOfWork, row: AgencyRow, successors: Iterable[str], day: date) -> list[str]:
    heirs = list(dict.fromkeys(code.strip() for code in successors if code.strip()))
    for heir in heirs:
        found = uow.agencies.find(heir)
        if found is None or heir == row.code:
            raise Invalid(t("agency '%(agency)s' is not in the agency directory", agency=heir),
                          errors={"successors": [heir]})
        if found.valid_until is not None and found.valid_until <= day:
            raise Invalid(t("%(name)s ceased on %(until)s", name=found.name, until=found.valid_until.isoformat()),
                          errors={"successors": [heir]})
    return heirs


def _today(clock) -> date:
    return clock.now().astimezone(LOCAL_TZ).date()
