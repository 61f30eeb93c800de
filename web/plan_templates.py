"""Plan templates: the list, uploading one (each problem shown at its line), one template, and drafting a
template from a plan document."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from engine.errors import Invalid
from engine.services import templates
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
            problems = _template_problems(error)
            source = text.decode("utf-8", "replace").splitlines()
    listed = templates.list_templates(unit_of_work())
    marked = {problem["line"] for problem in problems if problem["line"]}
    return render_template("templates.html", templates=listed, problems=problems, source=source, marked=marked,
                           uploaded=uploaded, name=name), 422 if problems else 200


def _template_problems(error: Invalid) -> list[dict]:
    """Each problem with its field, its message in the reader's language and the line it is at (which the
    template reader gives as data beside the messages)."""
    lines = error.details.get("lines") or {}
    return [{"path": path, "message": str(localized(message)), "line": lines.get(path)}
            for path, messages in (error.errors or {"": [error.message]}).items() for message in messages]


@blueprint.route("/templates/draft", methods=["GET", "POST"])
def template_draft():
    """Draft a template from a plan document: the document on the left with what was read from it marked,
    the draft on the right with its flags; the coordinator fixes the flagged fields and saves it."""
    context = {"draft": None, "paragraphs": [], "marks": {}, "yaml_text": "", "problems": [], "name": None,
               "message": None}
    if request.method == "POST" and request.form.get("action") == "save":
        context["yaml_text"] = request.form.get("yaml", "")
        context["name"] = request.form.get("name") or "draft.yaml"
        try:
            info = templates.register_template(unit_of_work(), clock(), actor(),
                                               context["yaml_text"].encode("utf-8"), context["name"])
            return redirect(url_for("web.template_view", key=info.key))
        except Invalid as error:
            context["problems"] = _template_problems(error)
        return render_template("draft.html", **context), 422
    if request.method == "POST":
        upload = request.files.get("file")
        name = (upload.filename if upload else "") or "document"
        try:
            draft = templates.draft_from_document(unit_of_work(), actor(), upload.read() if upload else b"", name,
                                                   clock())
        except Invalid as error:
            context["message"] = localized(error.message)
            return render_template("draft.html", **context), 422
        context.update(draft=draft, paragraphs=draft.paragraphs, marks=_marks(draft),
                       name=name.rsplit(".", 1)[0] + ".yaml", yaml_text=templates.draft_as_yaml(draft, name))
    return render_template("draft.html", **context)


def _marks(draft) -> dict[int, str]:
    """Each paragraph something was read from: "flagged" where a flag points at it, else "read"."""
    flagged = {flag.span.paragraph for flag in draft.flags if flag.span}
    marks: dict[int, str] = {}
    for item in draft.items:
        for span in item.spans.values():
            marks[span.paragraph] = "flagged" if span.paragraph in flagged else "read"
    for span in draft.spans.values():
        marks.setdefault(span.paragraph, "read")
    return marks


@blueprint.route("/templates/<key>")
def template_view(key: str):
    return render_template("template.html", template=templates.get_template(unit_of_work(), key))
