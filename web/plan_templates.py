"""Plan templates: the list, uploading one (each problem shown at its line), one template, and drafting a
template from a plan document."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from engine.errors import Invalid
from engine.services import drafts, templates
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint


@blueprint.route("/templates", methods=["GET", "POST"])
def template_list():
    """The templates; coordinators upload a new one, or a new version, and see any problem at its line."""
    problems, source, uploaded, name = [], [], None, None
    if request.method == "POST":
        upload = request.files.get("file")
        text = upload.read() if upload else b""
        name = (upload.filename if upload else "") or "template.yaml"
        try:
            uploaded = templates.register_template(unit_of_work(), clock(), actor(), text, name)
        except Invalid as error:
            problems = template_problems(error)
            source = text.decode("utf-8", "replace").splitlines()
    listed = templates.list_templates(unit_of_work())
    marked = {problem["line"] for problem in problems if problem["line"]}
    return render_template("templates.html", templates=listed, problems=problems, source=source, marked=marked,
                           uploaded=uploaded, name=name), 422 if problems else 200


def template_problems(error: Invalid) -> list[dict]:
    """Each problem with its field, its message in the reader's language and the line it is at (which the
    template reader gives as data beside the messages)."""
    lines = error.details.get("lines") or {}
    return [{"path": path, "message": str(localized(message)), "line": lines.get(path)}
            for path, messages in (error.errors or {"": [error.message]}).items() for message in messages]


@blueprint.route("/templates/draft", methods=["GET", "POST"])
def template_draft():
    """Draft a template from a plan document: the document is read and the draft kept for the coordinator to
    review (``web.drafts``); the drafts of the province are listed to go back to."""
    message = None
    if request.method == "POST":
        upload = request.files.get("file")
        name = (upload.filename if upload else "") or "document"
        try:
            draft_id = drafts.store_draft(unit_of_work(), clock(), actor(), upload.read() if upload else b"", name)
            return redirect(url_for("web.template_draft_review", draft_id=draft_id))
        except Invalid as error:
            message = localized(error.message)
    listed = drafts.list_drafts(unit_of_work(), actor())
    return render_template("draft.html", message=message, drafts=listed), 422 if message else 200


@blueprint.route("/templates/<key>")
def template_view(key: str):
    return render_template("template.html", template=templates.get_template(unit_of_work(), key))
