"""A plan's progress report written before it is produced: the four narrative sections, the recipients and who
signs, saved per plan; the .docx and PDF downloads print them. For the coordinators of the plan's province and
the people of its standing body; anyone else is refused as on the plan's own page."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from engine.errors import Conflict, Invalid
from engine.model.report_texts import HEADINGS, SECTION_LABELS, SECTION_LIMIT, SECTIONS
from engine.services import report_texts
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint


@blueprint.route("/plans/<int:plan_id>/report", methods=["GET", "POST"])
def plan_report(plan_id: int):
    view = report_texts.report_texts(unit_of_work(), actor(), plan_id, to_write=True)
    errors, message, status = {}, None, 200
    if request.method == "POST":
        form = request.form
        try:
            report_texts.save_report_texts(
                unit_of_work(), clock(), actor(), plan_id, {key: form.get(key, "") for key in SECTIONS},
                form.get("recipients", "").splitlines(), form.get("signer_title"), form.get("signer_name"),
                form.get("version", type=int))
            return redirect(url_for("web.plan_report", plan_id=plan_id, saved=1))
        except (Invalid, Conflict) as error:
            message, status = localized(error.message), error.status
            errors = {name: " ".join(str(localized(text)) for text in texts)
                      for name, texts in (getattr(error, "errors", None) or {}).items()}
        values = {key: form.get(key, "") for key in (*SECTIONS, "recipients", "signer_title", "signer_name")}
    else:
        values = _values(view)
    return render_template("plan_report.html", view=view, values=values, errors=errors, message=message,
                           saved=request.args.get("saved") == "1", sections=SECTIONS, labels=SECTION_LABELS,
                           headings=HEADINGS, limit=SECTION_LIMIT), status


def _values(view: report_texts.ReportTextsView) -> dict[str, str]:
    """What the form shows: what is saved (the signer only when the report names its own)."""
    texts = view.texts
    return {**{key: getattr(texts, key) for key in SECTIONS}, "recipients": "\n".join(texts.recipients),
            "signer_title": texts.signer.title if texts.signer else "",
            "signer_name": (texts.signer.name or "") if texts.signer else ""}
