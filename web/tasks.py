"""A task's page (what is asked, its form or, for an approval, the report under review, the earlier rounds),
its evidence files, and the everyday actions around it: take it or let it go, hand it to a colleague, ask for
more time and decide on that, remind or waive a coordinating agency. Each action answers by coming back to the
page, saying what was done, or with the refusal above its form."""
from __future__ import annotations

from flask import redirect, render_template, request, send_file, url_for

import forms
from engine.errors import Invalid, PlanflowError
from engine.i18n import N_
from engine.services import assignments, evidence, extensions, task_actions, task_details, tasks
from frontdoor.context import actor, clock, planflow, unit_of_work
from frontdoor.i18n import localized, localized_errors, request_locale
from web import widgets
from web.blueprint import blueprint


#: What each action says when it is done, on the page it comes back to.
DONE = {"claimed": N_("You took the task: colleagues see you work on it."),
        "unclaimed": N_("The task is back in the agency's worklist."),
        "handed": N_("The task was handed over."),
        "asked": N_("Your request for more time was sent to the standing body."),
        "granted": N_("The extension was granted: the deadline moved."),
        "refused": N_("The extension was refused; the agency is told why."),
        "reminded": N_("The agency was reminded; its people got a notice."),
        "waived": N_("The contribution was waived; the item goes on without it.")}


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
    return _page(detail, schema, values, errors, message), 422 if errors else 200


def _page(detail, schema, values, errors, message, refusal=None) -> str:
    """The task's page; ``refusal``: (the action refused, what was said, the fields it named)."""
    actions = task_actions.task_actions(unit_of_work(), actor(), detail.task.id)
    fields = widgets.widgets(schema, values=values)
    labels = widgets.field_labels(request_locale())
    said = request.args.get("said")
    return render_template("task.html", detail=detail, fields=fields, errors=errors, message=message, labels=labels,
                           schema=schema, done=request.args.get("done"), actions=actions, refusal=refusal,
                           said=localized(DONE[said]) if said in DONE else None, today=clock().now())


def _act(task_id: str, action: str, run, back_to: str | None = None):
    """Run one action of the page: back to the page saying it is done, or the page again with the refusal
    (422 for a form to correct, the refusal's own status otherwise)."""
    try:
        run()
    except PlanflowError as error:
        detail = task_details.task_detail(unit_of_work(), actor(), task_id)
        schema = forms.json_schema(detail.task.form_key, request_locale())
        named = {key: value for key, value in (error.errors or {}).items()} if isinstance(error, Invalid) else {}
        page = _page(detail, schema, detail.draft or {}, {}, None,
                     refusal={"action": action, "message": localized(error.message), "fields": named,
                              "form": request.form, "target": (request.view_args or {}).get("contribution_id")})
        return page, 422 if isinstance(error, Invalid) else error.status
    return redirect(url_for("web.task", task_id=back_to or task_id, said=action) + f"#{action}")


@blueprint.route("/tasks/<task_id>/claim", methods=["POST"])
def task_claim(task_id: str):
    return _act(task_id, "claimed", lambda: assignments.claim_task(unit_of_work(), clock(), actor(), task_id))


@blueprint.route("/tasks/<task_id>/unclaim", methods=["POST"])
def task_unclaim(task_id: str):
    return _act(task_id, "unclaimed", lambda: assignments.unclaim_task(unit_of_work(), clock(), actor(), task_id))


@blueprint.route("/tasks/<task_id>/hand-over", methods=["POST"])
def task_hand_over(task_id: str):
    return _act(task_id, "handed", lambda: assignments.hand_over_task(
        unit_of_work(), clock(), actor(), task_id, request.form.get("to", "")))


@blueprint.route("/tasks/<task_id>/extension", methods=["POST"])
def task_extension(task_id: str):
    return _act(task_id, "asked", lambda: extensions.request_extension(
        unit_of_work(), clock(), actor(), task_id, request.form.get("until", ""), request.form.get("reason", "")))


@blueprint.route("/tasks/<task_id>/extension/<int:request_id>", methods=["POST"])
def task_extension_decision(task_id: str, request_id: int):
    grant = request.form.get("decision") == "grant"
    return _act(task_id, "granted" if grant else "refused", lambda: extensions.decide_extension(
        unit_of_work(), clock(), actor(), request_id, grant, request.form.get("reason") or None,
        request.form.get("until") or None))


@blueprint.route("/tasks/<task_id>/contributions/<contribution_id>/remind", methods=["POST"])
def contribution_remind(task_id: str, contribution_id: str):
    """Remind a coordinating agency from the page of the task that shows its contribution (``task_id``)."""
    return _act(task_id, "reminded", lambda: assignments.remind_contribution(
        unit_of_work(), clock(), actor(), contribution_id, request.form.get("reason", "")))


@blueprint.route("/tasks/<task_id>/contributions/<contribution_id>/waive", methods=["POST"])
def contribution_waive(task_id: str, contribution_id: str):
    return _act(task_id, "waived", lambda: assignments.waive_contribution(
        unit_of_work(), clock(), actor(), contribution_id, request.form.get("reason", "")))


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
