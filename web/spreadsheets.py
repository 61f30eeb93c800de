"""A province's people and bodies brought in from a spreadsheet and taken out as one, by its administrators: the
import pages show each refused row with what is wrong with it (nothing is imported then), or what was done and
the one-time links of the people with no e-mail address; the export pages download the file."""
from __future__ import annotations

from urllib.parse import quote

from flask import make_response, render_template, request

from engine.errors import Invalid
from engine.i18n import N_, t
from engine.services import people_files
from frontdoor.context import actor, clock, link_base, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint

#: What each import page brings in: its title, the sheet's columns (field, header) and what it is about.
KINDS = {
    "people": {"title": N_("Import people from a spreadsheet"), "columns": people_files.PEOPLE_COLUMNS,
               "export": "web.export_people", "what": N_("people")},
    "agencies": {"title": N_("Import bodies from a spreadsheet"), "columns": people_files.AGENCY_COLUMNS,
                 "export": "web.export_agencies", "what": N_("the directory")},
}


@blueprint.route("/admin/people/import", methods=["GET", "POST"])
def import_people():
    """The form; posted, everyone of the file invited, or each wrong row shown and no one invited."""
    return _import_page("people", lambda data, name, province: people_files.import_people(
        unit_of_work(), clock(), actor(), data, name, link_base(), province))


@blueprint.route("/admin/agencies/import", methods=["GET", "POST"])
def import_agencies():
    """The form; posted, every body of the file added to the directory, or each wrong row shown and none added."""
    return _import_page("agencies", lambda data, name, province: people_files.import_agencies(
        unit_of_work(), clock(), actor(), data, name, province))


@blueprint.route("/admin/people/export")
def export_people():
    """The people of the province as .xlsx (``?format=csv`` for CSV); a national administrator names it."""
    return _export("people", people_files.export_people)


@blueprint.route("/admin/agencies/export")
def export_agencies():
    """The bodies of the province's directory as .xlsx or CSV, as they are in it."""
    return _export("agencies", people_files.export_agencies)


def _import_page(kind: str, run):
    province = request.values.get("province") or None
    page = {"kind": kind, **KINDS[kind], "province": people_files.importing_into(actor(), province,
                                                                                 t(KINDS[kind]["what"])),
            "done": None, "message": None, "rows": [], "problems": [], "name": None}
    if request.method == "POST":
        upload = request.files.get("file")
        page["name"] = (upload.filename if upload else "") or "—"
        data = upload.stream.read(people_files.MAX_FILE_BYTES + 1) if upload else b""
        try:
            page["done"] = run(data, page["name"], province)
        except Invalid as error:
            page.update(_refusal(error))
            return render_template("admin_import.html", **page), 422
    return render_template("admin_import.html", **page)


def _refusal(error: Invalid) -> dict:
    """The message, each refused row with its cells and problems, and the problems of no row (the header, the
    file), all in the reader's language."""
    rows = [{"number": row.number, "values": row.values,
             "errors": {name: [str(localized(message)) for message in messages]
                        for name, messages in row.errors.items()}}
            for row in error.details.get("rows", ())]
    problems = [] if rows else [(name, str(localized(message))) for name, messages in error.errors.items()
                                for message in (messages if isinstance(messages, list) else [messages])]
    return {"message": localized(error.message), "rows": rows, "problems": problems}


def _export(kind: str, export):
    province, kind_of_file = request.args.get("province") or None, request.args.get("format", "xlsx")
    try:
        made = export(unit_of_work(), actor(), province, kind_of_file)
    except Invalid as error:
        if "province" not in error.errors:
            raise
        page = {"kind": kind, **KINDS[kind], "province": None, "exporting": True, "message": localized(error.message),
                "done": None, "rows": [], "problems": [], "name": None}
        return render_template("admin_import.html", **page), 422
    response = make_response(made.content)
    response.headers["Content-Type"] = made.media_type
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(made.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
