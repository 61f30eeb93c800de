"""Worklists, task forms, claiming, completing, and evidence files."""
from __future__ import annotations

from flask import send_file

import forms
from api import common
from api.routing import Blueprint
from api.tasks import schemas
from engine.errors import Invalid
from engine.i18n import t
from engine.model.tasks import WorklistFilter
from engine.services import assignments, evidence, task_details, tasks, worklists
from frontdoor.context import actor, clock, planflow, unit_of_work
from frontdoor.i18n import request_locale as locale

blueprint = Blueprint("tasks", __name__, url_prefix="/api/v1", description="Tasks, forms and evidence")


@blueprint.route("/tasks", methods=["GET"])
@blueprint.arguments(schemas.TaskQuerySchema, location="query")
@blueprint.response(200, schemas.TaskPageSchema)
@blueprint.alt_response(403, description="Another agency's tasks, asked for by an agency's officer")
def worklist(query):
    """The caller's worklist: its agency's tasks (every agency's, or one's, for coordinators, auditors, admins),
    each with its plan, item, lead agency, deadline status and mark; soonest due first, or by plan; an approver's
    approvals first."""
    wanted = WorklistFilter(agency=query.get("agency"), status=None if query["status"] == "any" else query["status"],
                            plan_id=query.get("plan"), due_after=query.get("due_after"),
                            due_before=query.get("due_before"), search=query.get("q"), sort=query["sort"],
                            flag=query.get("flag"))
    return worklists.worklist(unit_of_work(), clock(), actor(), wanted, query["page"], query["per_page"])


@blueprint.route("/tasks/<task_id>", methods=["GET"])
@blueprint.response(200, schemas.TaskDetailSchema)
def get_task(task_id: str):
    """A task with its form's JSON Schema, the plan item it serves and its files; for an approval, the report
    under review with its outputs and files, every coordinating contribution, and each earlier round (who
    submitted, who returned it, when, why, and what changed); for a report asked for again, the return and
    the last version as a draft."""
    detail = task_details.task_detail(unit_of_work(), actor(), task_id)
    return {**detail.task.__dict__, **{name: value for name, value in detail.__dict__.items() if name != "task"},
            "form": forms.json_schema(detail.task.form_key, locale())}


@blueprint.route("/tasks/<task_id>/claim", methods=["POST"])
@blueprint.response(200, common.TaskSchema)
def claim(task_id: str):
    """Take the task, so colleagues see someone works on it."""
    return assignments.claim_task(unit_of_work(), clock(), actor(), task_id)


@blueprint.route("/tasks/<task_id>/unclaim", methods=["POST"])
@blueprint.response(200, common.TaskSchema)
def unclaim(task_id: str):
    """Let the task go back to the agency's worklist (only whoever holds it)."""
    return assignments.unclaim_task(unit_of_work(), clock(), actor(), task_id)


@blueprint.route("/tasks/<task_id>/hand-over", methods=["POST"])
@blueprint.arguments(schemas.HandOverSchema)
@blueprint.response(200, common.TaskSchema)
def hand_over(body, task_id: str):
    """Give the task to a colleague of the same agency who may work it; it is claimed for them."""
    return assignments.hand_over_task(unit_of_work(), clock(), actor(), task_id, body["to"])


@blueprint.route("/tasks/<task_id>/waive", methods=["POST"])
@blueprint.arguments(schemas.WaiveSchema)
@blueprint.response(200, common.StepSchema)
def waive(body, task_id: str):
    """End a coordinating agency's contribution without it, with the reason (coordinators); the item goes on."""
    return assignments.waive_contribution(unit_of_work(), clock(), actor(), task_id, body["reason"])


@blueprint.route("/tasks/<task_id>/remind", methods=["POST"])
@blueprint.arguments(schemas.RemindSchema)
@blueprint.response(200, schemas.RemindedSchema)
@blueprint.alt_response(409, description="Not an open contribution, or reminded today already")
def remind(body, task_id: str):
    """Remind a coordinating agency of its contribution, with the reason (the item's lead agency or the plan's
    coordinators): its people are told, the history keeps the reason."""
    return assignments.remind_contribution(unit_of_work(), clock(), actor(), task_id, body["reason"])


@blueprint.route("/tasks/<task_id>/complete", methods=["POST"])
@blueprint.arguments(schemas.CompleteSchema)
@blueprint.response(200, common.StepSchema)
@blueprint.alt_response(409, description="The task was completed or claimed by someone else meanwhile")
@blueprint.alt_response(422, description="The form data is not valid; `errors` names each field")
def complete(body, task_id: str):
    """Complete the task with its form's data; answers where the process stands after the step
    (the full instance, with its diagram, is at ``GET /instances/{id}``)."""
    return tasks.complete_task(unit_of_work(), clock(), actor(), task_id, body["data"], locale())


@blueprint.route("/tasks/<task_id>/evidence", methods=["POST"])
@blueprint.arguments(common.UploadSchema, location="files")
@blueprint.response(201, schemas.EvidenceSchema)
def upload(files, task_id: str):
    """Attach a file (multipart field ``file``) as evidence of an open task."""
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise Invalid(t("send the file in the multipart field 'file'"), errors={"file": [t("missing")]})
    return evidence.attach_evidence(unit_of_work(), clock(), actor(), planflow().evidence, task_id, upload.stream,
                                    upload.filename, upload.mimetype)


@blueprint.route("/evidence/<evidence_id>", methods=["GET"])
@blueprint.response(200, description="The file, as an attachment")
def download(evidence_id: str):
    """Download an evidence file, for those who may see its task."""
    found = evidence.find_evidence(unit_of_work(), actor(), evidence_id)
    mimetype = found.content_type + ("; charset=utf-8" if found.content_type.startswith("text/") else "")
    response = send_file(planflow().evidence.open(found.sha256), mimetype=mimetype, as_attachment=True,
                         download_name=found.file_name, etag=found.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

