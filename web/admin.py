"""The administrators' pages: the provinces (bringing one on board), a province's directory of bodies as of a
day (adding, renaming, merging, retiring them) and its people (inviting, correcting, disabling, password
links). Every page asks the use cases, which ask the policy: another province's things are not there (404),
and someone who is not an administrator is refused (403)."""
from __future__ import annotations

from datetime import date

from flask import current_app, redirect, render_template, request, url_for

from engine.errors import PlanflowError
from engine.i18n import N_, t
from engine.model import policy
from engine.model.actors import ROLES
from engine.model.agencies import KINDS, LEVELS
from engine.model.clock import LOCAL_TZ
from engine.services import agencies, directory, invitations, people, provinces
from frontdoor.context import actor, clock, link_base, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint

#: Bodies shown on one page of a directory (a province has up to some 200, most of them communes).
PAGE = 50
DIRECTORY = N_("the directory")
#: The directory's codes in words: groups, kinds and levels of bodies (the code stays beside them in the data).
CODE_WORDS = {
    "departments": N_("departments"), "districts": N_("districts"), "communes": N_("communes"),
    "mass_organisations": N_("mass organisations"), "press": N_("press"),
    "steering_committee": N_("steering committee"), "people_committee": N_("People's Committee"),
    "office": N_("office"), "police": N_("police"), "military": N_("military"), "department": N_("department"),
    "broadcaster": N_("broadcaster"), "mass_organisation": N_("mass organisation"), "court": N_("court"),
    "procuracy": N_("procuracy"), "tax": N_("tax"), "insurance": N_("social insurance"), "school": N_("school"),
    "ministry": N_("ministry"), "other": N_("other"),
}
LEVEL_WORDS = {"national": N_("national level"), "province": N_("province level"),
               "department": N_("department level"), "district": N_("district level"),
               "commune": N_("commune level"), "unit": N_("unit level")}
#: The import and export pages, linked to when they are there.
TRANSFERS = ("web.import_people", "web.export_people", "web.import_agencies", "web.export_agencies")


def _administrator(what: str = N_("people")) -> None:
    """Only administrators (of a province, or national ones) open these pages."""
    who = actor()
    policy.check_manages(who, who.province, t(what))


def _today() -> date:
    return clock().now().astimezone(LOCAL_TZ).date()


def _refusal(error: PlanflowError) -> dict:
    """What a refused form shows: the message and each field's, in the reader's language. A thing that is not
    there, or not the actor's to change, is the error page's to say (404, 403), as for any page."""
    if error.status in (403, 404):
        raise error
    fields = getattr(error, "errors", None) or {}
    return {"message": localized(error.message), "status": error.status,
            "fields": {name: " ".join(str(localized(m)) for m in messages) if isinstance(messages, list)
                       else str(localized(messages)) for name, messages in fields.items()}}


def _page(template: str, refused: dict | None = None, **context):
    """An administration page, with the links to the import and export pages; a refused form's status."""
    return render_template(template, refused=refused, transfers=_transfers(), **context), \
        refused["status"] if refused else 200


def _transfers() -> dict[str, str]:
    """The other engineer's import and export pages, by endpoint, when they exist."""
    return {name: url_for(name) for name in TRANSFERS if name in current_app.view_functions}


@blueprint.app_template_filter("code_words")
def code_words(code: str) -> str:
    """A group or kind of body in the reader's language."""
    return localized(CODE_WORDS.get(code, code))


@blueprint.app_template_filter("level_words")
def level_words(code: str) -> str:
    return localized(LEVEL_WORDS.get(code, code))


@blueprint.route("/admin")
def admin_home():
    _administrator()
    return redirect(url_for("web.admin_provinces"))


# --- provinces -----------------------------------------------------------------------------------------------
@blueprint.route("/admin/provinces", methods=["GET", "POST"])
def admin_provinces():
    """Today's provinces with their bodies and people; a national administrator brings one on board and sees,
    once, the links of the first people who have no e-mail address."""
    _administrator(DIRECTORY)
    done, refused = None, None
    if request.method == "POST":
        form = request.form
        try:
            done = provinces.onboard_province(
                unit_of_work(), clock(), actor(), form.get("province", ""), link_base(),
                admin=_given(email=form.get("admin_email")), coordinator=_given(email=form.get("coordinator_email")))
        except PlanflowError as error:
            refused = _refusal(error)
    listed = provinces.list_provinces(unit_of_work(), actor())
    waiting = [view for view in listed if view.onboarded_at is None]
    return _page("admin_provinces.html", refused, provinces=listed, waiting=waiting, done=done,
                 form=request.form if refused else {})


def _given(**fields: str | None) -> dict:
    return {name: value.strip() for name, value in fields.items() if value and value.strip()}


@blueprint.route("/admin/provinces/<province>")
def admin_province(province: str):
    view = provinces.get_province(unit_of_work(), actor(), province.upper())
    _administrator(DIRECTORY)
    return _page("admin_province.html", province=view)


# --- the directory -------------------------------------------------------------------------------------------
@blueprint.route("/admin/agencies", methods=["GET", "POST"])
def admin_agencies():
    """A province's bodies as of a day (today unless asked), filtered by group and words, a page at a time; an
    administrator adds one here (and renames, merges or retires one from its own page)."""
    _administrator(DIRECTORY)
    who = actor()
    province = (request.values.get("province") or who.province or "").strip().upper() or None
    added, refused = None, None
    if request.method == "POST":
        try:
            added = agencies.add_agency(unit_of_work(), clock(), who, _new_agency(request.form, province))
        except PlanflowError as error:
            refused = _refusal(error)
    day = _day(request.args.get("on")) or _today()
    query, group = request.args.get("q", "").strip(), request.args.get("group", "").strip()
    listed = agencies.list_agencies(unit_of_work(), who, province, query or None, day) if province else []
    own = [view for view in listed if view.province == province]
    groups = sorted({name for view in own for name in view.groups})
    shown = [view for view in own if not group or group in view.groups]
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    return _page("admin_agencies.html", refused, province=province, named=_named(province), day=day, query=query,
                 group=group, groups=groups, agencies=shown[(page - 1) * PAGE:page * PAGE], total=len(shown),
                 page=page, pages=max((len(shown) + PAGE - 1) // PAGE, 1), choices=_provinces_to_choose(), added=added,
                 form=request.form if refused else {}, kinds=KINDS, levels=LEVELS)


def _named(province: str | None) -> str | None:
    """The province's name, for a heading (NotFound, as the page, for one outside the actor's reach)."""
    return provinces.get_province(unit_of_work(), actor(), province).name if province else None


def _provinces_to_choose() -> list:
    """The provinces a national administrator picks one from (a provincial one has theirs)."""
    return provinces.list_provinces(unit_of_work(), actor()) if policy.scope(actor()) is None else []


def _new_agency(form, province: str | None) -> agencies.NewAgency:
    words = [word.strip() for word in form.get("groups", "").split(",") if word.strip()]
    return agencies.NewAgency(code=form.get("code", "").strip().upper(), name=form.get("name", ""),
                              province=(form.get("province") or province or "").strip().upper(),
                              kind=form.get("kind", "department"), level=form.get("level", "department"),
                              short_name=form.get("short_name", "").strip() or None, groups=tuple(words),
                              valid_from=_day(form.get("valid_from")))


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text.strip()) if text and text.strip() else None
    except ValueError:
        return None


@blueprint.route("/admin/agencies/<code>", methods=["GET", "POST"])
def admin_agency(code: str):
    """A body: where its duties came from and went, its changes, and the forms to set who signs its reports,
    rename it, merge others into it or retire it."""
    found = agencies.agency_history(unit_of_work(), actor(), code)
    _administrator(DIRECTORY)
    refused = None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            _change_agency(code, action, request.form)
            return redirect(url_for("web.admin_agency", code=code, done=action))
        except PlanflowError as error:
            refused = _refusal(error)
    names = directory.agencies_of_province(unit_of_work(), found.agency.province, _today())
    return _page("admin_agency.html", refused, found=found, done=request.args.get("done"),
                 form=request.form if refused else {}, names=names, actions=AGENCY_ACTIONS)


def _change_agency(code: str, action: str | None, form) -> None:
    who, codes = actor(), [word.strip().upper() for word in form.get("codes", "").replace(";", ",").split(",")]
    if action == "rename":
        agencies.rename_agency(unit_of_work(), clock(), who, code, form.get("name", ""),
                               form.get("short_name", "").strip() or None)
    elif action == "signer":
        agencies.set_signer(unit_of_work(), clock(), who, code, form.get("signer_title"), form.get("signer_name"))
    elif action == "merge":
        agencies.merge_agencies(unit_of_work(), clock(), who, [word for word in codes if word], code,
                                _day(form.get("last_day")))
    elif action == "retire":
        agencies.retire_agency(unit_of_work(), clock(), who, code, _day(form.get("last_day")),
                               [word for word in codes if word])
    else:
        raise PlanflowError(t("choose what to do"))


#: The directory's events in words, on a body's page.
AGENCY_ACTIONS = {"agency.added": t("added"), "agency.renamed": t("renamed"), "agency.merged": t("merged"),
                  "agency.retired": t("retired"), "agencies.imported": t("imported from a directory file"),
                  "agency.reach_set": t("the provinces it reaches set"),
                  "agency.signer_set": t("signer of its reports set")}


# --- people --------------------------------------------------------------------------------------------------
@blueprint.route("/admin/people", methods=["GET", "POST"])
def admin_people():
    """The people of a province with their roles, agency, e-mail and state; an administrator invites one here
    (the link shown once when they have no e-mail address)."""
    who = actor()
    province = (request.values.get("province") or "").strip().upper() or None
    query, page = request.args.get("q", "").strip(), max(request.args.get("page", 1, type=int) or 1, 1)
    made, refused = None, None
    if request.method == "POST":
        form = request.form
        person = invitations.Person(form.get("username", "").strip(), tuple(form.getlist("roles")),
                                    form.get("agency", "").strip() or None, form.get("display_name", "").strip()
                                    or None, form.get("email", "").strip() or None)
        try:
            made = invitations.invite(unit_of_work(), clock(), who, person, link_base())
        except PlanflowError as error:
            refused = _refusal(error)
    found = people.list_people(unit_of_work(), who, province, query or None, page)
    where = province or who.province
    choices = directory.agencies_of_province(unit_of_work(), where, _today()) if where else []
    return _page("admin_people.html", refused, found=found, province=province, named=_named(where), query=query,
                 made=made, form=request.form if refused else {}, roles=ROLES, choices=choices,
                 provinces=_provinces_to_choose())


@blueprint.route("/admin/people/<username>", methods=["GET", "POST"])
def admin_person(username: str):
    """One person: correct their roles, agency, name and e-mail; disable or enable them; send them a link to
    set a new password (shown once when they have no e-mail address)."""
    person = people.get_person(unit_of_work(), actor(), username)
    refused, made = None, None
    if request.method == "POST":
        action = request.form.get("action")
        try:
            made = _change_person(username, action, request.form)
            if made is None:
                return redirect(url_for("web.admin_person", username=username, done=action))
        except PlanflowError as error:
            refused = _refusal(error)
        person = people.get_person(unit_of_work(), actor(), username)
    province = person.province or actor().province
    choices = directory.agencies_of_province(unit_of_work(), province, _today()) if province else []
    return _page("admin_person.html", refused, person=person, made=made, roles=ROLES, choices=choices,
                 done=request.args.get("done"), form=request.form if refused else {})


def _change_person(username: str, action: str | None, form):
    """Do what the form asked; the link made, for a password reset (to show once)."""
    who = actor()
    if action == "update":
        people.update_person(unit_of_work(), clock(), who, username, form.get("display_name", ""),
                             form.get("email", ""), form.getlist("roles"), form.get("agency", ""))
    elif action in ("disable", "enable"):
        people.set_active(unit_of_work(), clock(), who, username, action == "enable")
    elif action == "reset":
        return people.send_password_link(unit_of_work(), clock(), who, username, link_base())
    else:
        raise PlanflowError(t("choose what to do"))
    return None
