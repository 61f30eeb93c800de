"""A task's page (what is asked, its form or, for an approval, the report under review, the earlier rounds),
and its evidence files."""
from __future__ import annotations

from flask import redirect, render_template, request, send_file, url_for

import forms
from engine.errors import Invalid, PlanflowError
from engine.i18n import N_
from engine.services import evidence, task_details, tasks
from frontdoor.context import actor, clock, planflow, unit_of_work
from frontdoor.i18n import localized, localized_errors, request_locale
from web import widgets
from web.blueprint import blueprint


@blueprint.route("/tasks/<task_id>", methods=["GET", "POST"])
def task(task_id: str):
    detail = task_details.task_detail(unit_of_work(), actor(), task_id)
    schema = forms.json_schema(detail.task.form_key, request_locale())
    values, errors, message = detail.draft or {}, {}, None
    if request.method == "POST" and detail.task.status == "ready":
        data, problems = widgets.parsed(schema, request.form)
        values = data
        if problems:
            errors, message = problems, localized(N_("Some fields need another look."))
        else:
            try:
                tasks.complete_task(unit_of_work(), clock(), actor(), task_id, data, request_locale())
                return redirect(url_for("web.task", task_id=task_id, done=1))
            except Invalid as error:
                errors = {key.removeprefix("data."): value
                          for key, value in (localized_errors(error.errors) or {}).items()}
                message = localized(error.message)
            except PlanflowError as error:  # refused or taken meanwhile: said above the form, which stays filled
                message = localized(error.message)
    fields = widgets.widgets(schema, values=values)
    labels = widgets.field_labels(request_locale())
    return render_template("task.html", detail=detail, fields=fields, errors=errors, message=message, labels=labels,
                           schema=schema, done=request.args.get("done")), \
        422 if errors else 200


@blueprint.route("/evidence/<evidence_id>")
def evidence_file(evidence_id: str):
    """An evidence file: shown in the page (images and PDFs, under a sandboxing policy) or downloaded."""
    found = evidence.find_evidence(unit_of_work(), actor(), evidence_id)
    stream = planflow().evidence.open(found.sha256)
    inline = request.args.get("inline") == "1" and (found.content_type.startswith("image/")
                                                    or found.content_type == "application/pdf")
    response = send_file(stream, mimetype=found.content_type, as_attachment=not inline,
                         download_name=found.file_name, etag=found.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" \
        + ("" if found.content_type == "application/pdf" else "; sandbox")
    return response
