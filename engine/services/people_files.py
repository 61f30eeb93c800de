"""A province's people and bodies brought in from a spreadsheet (CSV or .xlsx), and taken out again the same way.

An import is all or nothing: every row is checked first — its fields, its body in the province's directory as
of today, its province, its name and address against the other rows and the people already there — and if
one is wrong, none is written and each wrong row is named with what is wrong with it (errors keyed
``row <its number in the sheet>.<field>``, such as ``row 5.email``; the header's problems at
``row <n>.columns``). When every row is right, one unit of work invites every person (their links go to the
outbox, or back to the administrator for those with no address) or adds every body, and one audit event
records the import with its counts and the file's SHA-256. An export writes the same columns, so that it
imports back.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from typing import Callable

from engine.errors import Invalid, NotFound
from engine.files import directory_sheets as columns
from engine.files.directory_sheets import Row
from engine.files.sheets import FORMATS, MAX_FILE_BYTES, MAX_ROWS, MEDIA_TYPES, read_sheet, write_sheet
from engine.i18n import Message, t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.agencies import Agency, AgencyDirectory
from engine.model.clock import LOCAL_TZ
from engine.model.search import folded
from engine.services.agencies import AgencyView, NewAgency, add_agency_in, agency_problems, list_agencies
from engine.services.directory import find_province
from engine.services.invitations import Invitation, Person, check_person, invite_in
from engine.store.uow import UnitOfWork

__all__ = ["AGENCY_COLUMNS", "FORMATS", "MAX_FILE_BYTES", "PEOPLE_COLUMNS", "AgencyImport", "PeopleImport",
           "RefusedRow", "SheetFile", "export_agencies", "export_people", "import_agencies", "import_people",
           "importing_into"]

#: The columns of each sheet, as (field, the header an export writes): what the pages show.
PEOPLE_COLUMNS = [(column.field, column.headers[0]) for column in columns.PEOPLE]
AGENCY_COLUMNS = [(column.field, column.headers[0]) for column in columns.AGENCIES]



@dataclass(frozen=True)
class PeopleImport:
    """What an import of people did: each person invited, and the links to hand over (no e-mail address)."""

    province: str
    filename: str
    sha256: str
    invitations: list[Invitation]

    @property
    def mailed(self) -> int:
        return sum(1 for made in self.invitations if made.mailed)

    @property
    def links(self) -> list[Invitation]:
        return [made for made in self.invitations if not made.mailed]


@dataclass(frozen=True)
class AgencyImport:
    province: str
    filename: str
    sha256: str
    agencies: list[AgencyView]


@dataclass(frozen=True)
class RefusedRow:
    """A row of a refused file, as the page shows it: its number, its cells by field, its problems by field."""

    number: int
    values: dict[str, str]
    errors: dict[str, list[Message]]


@dataclass(frozen=True)
class SheetFile:
    content: bytes
    media_type: str
    filename: str


def importing_into(actor: Actor, province: str | None = None, what: Message | None = None) -> str | None:
    """The province an import of ``actor``'s goes into (None: a national administrator's, whose file or
    ``province`` says which); ``Forbidden`` for whoever may not import (``what``: people, the directory)."""
    target = (province.strip().upper() if province else None) or actor.province
    policy.check_manages(actor, target, what or t("people"))
    return target


# --- people ---------------------------------------------------------------------------------------------------
def import_people(uow: UnitOfWork, clock, actor: Actor, data: bytes, filename: str, base_url: str,
                  province: str | None = None) -> PeopleImport:
    """Invite every person of the sheet, or none (``Invalid`` naming each wrong row)."""
    target = importing_into(actor, province, t("people"))
    rows = columns.rows_of(read_sheet(data, filename, [columns.PEOPLE_SHEET]), columns.PEOPLE, filename)
    with uow:
        code = _province(uow, actor, target, rows, filename, t("people"))
        people = _checked_people(uow, clock, code, rows)
        _refuse_wrong(rows, filename)
        invited = [invite_in(uow, clock, actor, person, base_url) for person in people]
        sha256 = hashlib.sha256(data).hexdigest()
        uow.audit.append(clock.now(), actor.name, "people.imported", data={
            "province": code, "file": filename, "sha256": sha256, "people": len(invited),
            "mailed": sum(1 for made in invited if made.mailed)})
        uow.commit()
    return PeopleImport(code, filename, sha256, invited)


def _checked_people(uow: UnitOfWork, clock, province: str, rows: list[Row]) -> list[Person]:
    """Each row as a person, its problems noted on the row."""
    bodies = _Bodies(uow.agencies.directory([province]), province, _today(clock))
    taken = uow.users.with_emails(row.values["email"] for row in rows if row.values["email"])
    first_by_name: dict[str, int] = {}
    first_by_email: dict[str, int] = {}
    people = []
    for row in rows:
        values = row.values
        roles, wrong = columns.roles_of(values["roles"])
        if wrong:
            row.problem("roles", wrong)
        agency = bodies.code_of(row) if values["agency"] else None
        if not values["agency"]:
            row.problem("agency", t("write the body this person works in: its code (%(example)s) or its name",
                                    example=f"{province}-STP"))
        _check_province_cell(uow, row, province)
        person = Person(values["username"], roles, agency, values["display_name"] or None, values["email"] or None)
        for name, problems in check_person(uow, person).items():
            row.problems.setdefault(name, problems)
        _once(row, "username", values["username"].lower(), first_by_name,
              lambda earlier: t("the user name %(value)s is also on row %(row)s", value=values["username"],
                                row=earlier))
        email = values["email"].lower()
        if email:
            _once(row, "email", email, first_by_email,
                  lambda earlier: t("the address %(value)s is also on row %(row)s", value=values["email"],
                                    row=earlier))
            if email in taken and "email" not in row.problems:
                row.problem("email", t("the address %(value)s is the user %(username)s's already",
                                       value=values["email"], username=taken[email]))
        people.append(person)
    return people


def _once(row: Row, name: str, key: str, first: dict[str, int], said: Callable[[int], Message]) -> None:
    """Note on ``row`` that ``key`` was on an earlier row (``said`` of that row's number), else remember it."""
    if not key:
        return
    if key in first:
        row.problem(name, said(first[key]))
    else:
        first[key] = row.number


class _Bodies:
    """The bodies of the importing province as a row names them: by code, or by a name the directory knows
    (its name, short name or another name, case and diacritics aside), as of today."""

    def __init__(self, directory: AgencyDirectory, province: str, today: date) -> None:
        self.directory, self.province, self.today = directory, province, today
        self.named: dict[str, list[Agency]] = {}
        self.hints: dict[str, str | None] = {}
        for agency in directory.agencies.values():
            if agency.province == province:
                for label in {folded(label) for label in agency.labels()}:
                    self.named.setdefault(label, []).append(agency)

    def code_of(self, row: Row) -> str | None:
        text = row.values["agency"]
        agency = self.directory.get(text.upper()) or (self.directory.look_up(text.upper())
                                                       if self.directory.look_up else None)
        if agency is None:
            agency = self._by_name(row, text)
        if agency is None:
            return None
        if agency.province != self.province:
            row.problem("agency", t("%(code)s (%(name)s) is a body of %(other)s; this file is for %(province)s",
                                    code=agency.code, name=agency.name, other=agency.province,
                                    province=self.province))
        elif not agency.exists_on(self.today):
            row.problem("agency", self._not_today(agency))
        return agency.code

    def _by_name(self, row: Row, text: str) -> Agency | None:
        found = self.named.get(folded(text), [])
        today = [agency for agency in found if agency.exists_on(self.today)]
        if len(today) > 1:
            row.problem("agency", t("'%(value)s' names several bodies of %(province)s (%(codes)s); write the code",
                                    value=text, province=self.province,
                                    codes=", ".join(agency.code for agency in today)))
            return None
        if today or found:
            return (today or found)[0]
        hint = self._suggest(text)
        row.problem("agency", t("no body of %(province)s is named or coded '%(value)s'; did you mean %(hint)s?",
                                province=self.province, value=text, hint=f"{hint} ({self.directory.get(hint).name})")
                    if hint else t("no body of %(province)s is named or coded '%(value)s'", province=self.province,
                                   value=text))
        return None

    def _suggest(self, text: str) -> str | None:
        """The code most like ``text`` among today's bodies, once a text (a file may misspell one name often)."""
        if text not in self.hints:
            self.hints[text] = self.directory.as_of(self.today).suggest(text, self.province)
        return self.hints[text]

    def _not_today(self, agency: Agency) -> Message:
        if agency.valid_until is not None and agency.valid_until < self.today:
            return t("%(name)s ceased on %(until)s; people belong to the body that took over its duties "
                     "(%(after)s)", name=agency.name, until=agency.valid_until.isoformat(),
                     after=", ".join(agency.successors) or "—")
        return t("%(name)s is set up on %(since)s; its people are added from then", name=agency.name,
                 since=agency.valid_from.isoformat())


def export_people(uow: UnitOfWork, actor: Actor, province: str | None = None, kind: str = "xlsx") -> SheetFile:
    """The active people of ``province`` (an administrator's own, unless national), in the columns an import
    reads."""
    code = _exported(uow, actor, province, kind, t("people"))
    with uow:
        found = uow.users.of_provinces([code], limit=100 * MAX_ROWS)
    lines = [[user.username, user.display_name, user.email or "", user.agency or "", columns.role_names(user.roles),
              code] for user, _ in found if user.active]
    return SheetFile(write_sheet(columns.header(columns.PEOPLE), lines, kind, columns.PEOPLE_SHEET),
                     MEDIA_TYPES[kind], f"nguoi-dung-{code}.{kind}")


# --- bodies ---------------------------------------------------------------------------------------------------
def import_agencies(uow: UnitOfWork, clock, actor: Actor, data: bytes, filename: str,
                    province: str | None = None) -> AgencyImport:
    """Add every body of the sheet to the province's directory, or none (``Invalid`` naming each wrong row). A
    body with no first day existed before any day the directory covers, as an export writes it."""
    target = importing_into(actor, province, t("the directory"))
    rows = columns.rows_of(read_sheet(data, filename, [columns.AGENCY_SHEET]), columns.AGENCIES, filename)
    with uow:
        code = _province(uow, actor, target, rows, filename, t("the directory"))
        bodies = _checked_bodies(uow, code, rows)
        _refuse_wrong(rows, filename)
        added = [add_agency_in(uow, clock, actor, new, undated_from_today=False) for new in _parents_first(bodies)]
        sha256 = hashlib.sha256(data).hexdigest()
        uow.audit.append(clock.now(), actor.name, "agencies.imported", data={
            "province": code, "file": filename, "sha256": sha256, "count": len(added)})
        uow.commit()
    return AgencyImport(code, filename, sha256, added)


def _checked_bodies(uow: UnitOfWork, province: str, rows: list[Row]) -> list[NewAgency]:
    existing = uow.agencies.codes()
    in_file = {row.values["code"].strip().upper() for row in rows}
    first_by_code: dict[str, int] = {}
    bodies = []
    for row in rows:
        values = row.values
        since, wrong_since = columns.day_of(values["valid_from"])
        until, wrong_until = columns.day_of(values["valid_until"])
        new = NewAgency(code=values["code"].strip().upper(), name=values["name"], province=province,
                        kind=values["kind"] or "department", level=values["level"] or "department",
                        short_name=values["short_name"] or None, parent=values["parent"].strip().upper() or None,
                        groups=columns.items_of(values["groups"], groups=True),
                        aliases=columns.items_of(values["aliases"]), valid_from=since, valid_until=until)
        for name, message in (("valid_from", wrong_since), ("valid_until", wrong_until)):
            if message:
                row.problem(name, message)
        _check_province_cell(uow, row, province)
        for name, problems in agency_problems(new).items():
            row.problems.setdefault(name, problems)
        if "code" not in row.problems and new.code in existing:
            row.problem("code", t("agency code %(code)s is taken", code=new.code))
        _once(row, "code", new.code, first_by_code,
              lambda earlier: t("the code %(value)s is also on row %(row)s", value=new.code, row=earlier))
        if new.parent and new.parent not in existing | in_file:
            row.problem("parent", t("agency '%(agency)s' is not in the agency directory", agency=new.parent))
        bodies.append(new)
    return bodies


def _parents_first(bodies: list[NewAgency]) -> list[NewAgency]:
    """The bodies in an order where each comes after the body of the file it belongs to."""
    placed: set[str] = set()
    ordered: list[NewAgency] = []
    codes = {body.code for body in bodies}
    waiting = list(bodies)
    while waiting:
        ready = [body for body in waiting if body.parent not in codes or body.parent in placed]
        if not ready:  # a circle of parents: the rest as they come
            ready = waiting
        ordered.extend(ready)
        placed.update(body.code for body in ready)
        waiting = [body for body in waiting if body.code not in placed]
    return ordered


def export_agencies(uow: UnitOfWork, actor: Actor, province: str | None = None, kind: str = "xlsx",
                    on: date | None = None) -> SheetFile:
    """The bodies of ``province`` (those that existed on ``on``, when given), in the columns an import reads."""
    code = _exported(uow, actor, province, kind, t("the directory"))
    found = [view for view in list_agencies(uow, actor, code, on=on) if view.province == code]
    lines = [[view.code, view.name, view.short_name, view.province, view.level, view.kind, view.parent or "",
              "; ".join(view.groups), "; ".join(view.aliases), _day(view.valid_from), _day(view.valid_until)]
             for view in found]
    return SheetFile(write_sheet(columns.header(columns.AGENCIES), lines, kind, columns.AGENCY_SHEET),
                     MEDIA_TYPES[kind], f"co-quan-{code}.{kind}")


# --- shared -----------------------------------------------------------------------------------------------------
def _province(uow: UnitOfWork, actor: Actor, target: str | None, rows: list[Row], filename: str,
              what: Message) -> str:
    """The province the rows go into: the administrator's (or the one given), else the first a row names."""
    if not rows:
        raise Invalid(t("%(name)s has no rows below its header", name=filename), errors={"file": [t("empty")]})
    if target is None:
        named = next((row.values["province"] for row in rows if row.values.get("province")), None)
        if named is None:
            raise Invalid(t("say which province %(name)s is for: choose the province, or give the file a column "
                            "Tỉnh", name=filename), errors={"province": [t("missing")]})
        try:
            target = find_province(uow, named).code
        except NotFound as error:
            raise Invalid(error.message, errors={"province": [error.message]}) from None
        policy.check_manages(actor, target, what)
    if uow.provinces.find(target) is None:
        raise Invalid(t("province '%(province)s' is not in the directory", province=target),
                      errors={"province": [t("unknown")]})
    return target


def _check_province_cell(uow: UnitOfWork, row: Row, province: str) -> None:
    text = row.values.get("province", "")
    if not text:
        return
    try:
        named = find_province(uow, text)
    except NotFound as error:
        row.problem("province", error.message)
        return
    if province not in (named.code, named.successor):  # a unit merged into it in 2025 is its own history
        row.problem("province", t("this row is for %(other)s; the file goes into %(province)s", other=named.code,
                                  province=province))


def _refuse_wrong(rows: list[Row], filename: str) -> None:
    wrong = [row for row in rows if row.problems]
    if not wrong:
        return
    errors = {f"row {row.number}.{name}": messages for row in wrong for name, messages in row.problems.items()}
    raise Invalid(t("%(count)s of the %(total)s rows of %(name)s are wrong, so nothing was imported; correct them "
                    "and import the file again", count=len(wrong), total=len(rows), name=filename), errors=errors,
                  rows=[RefusedRow(row.number, dict(row.values), dict(row.problems)) for row in wrong])


def _exported(uow: UnitOfWork, actor: Actor, province: str | None, kind: str, what: Message) -> str:
    if kind not in FORMATS:
        raise Invalid(t("a format of %(formats)s", formats=", ".join(FORMATS)), errors={"format": [kind]})
    code = importing_into(actor, province, what)
    if code is None:
        raise Invalid(t("say which province to export"), errors={"province": [t("missing")]})
    with uow:
        if uow.provinces.find(code) is None:
            raise NotFound(t("no province %(code)s", code=code))
    return code


def _today(clock) -> date:
    return clock.now().astimezone(LOCAL_TZ).date()


def _day(day: date | None) -> str:
    return day.isoformat() if day else ""
