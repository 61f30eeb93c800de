"""Extensions (gia hạn): an agency asks for more time on a task, the standing body grants or refuses."""
from __future__ import annotations

from api.extensions import schemas
from api.routing import Blueprint
from engine.services import extensions
from frontdoor.context import actor, clock, unit_of_work

blueprint = Blueprint("extensions", __name__, url_prefix="/api/v1",
                      description="Extensions of deadlines: asked by agencies, decided by the standing body")


@blueprint.route("/tasks/<task_id>/extension-requests", methods=["POST"])
@blueprint.arguments(schemas.ExtensionRequestSchema)
@blueprint.response(201, schemas.ExtensionSchema)
@blueprint.alt_response(409, description="The task is not open, has no deadline, or a request waits already")
def request_extension(body, task_id: str):
    """Ask, with a reason, to move the deadline of an open task of the caller's agency; the standing body's
    approvers and the plan's coordinators are told."""
    return extensions.request_extension(unit_of_work(), clock(), actor(), task_id, body["until"], body["reason"])


@blueprint.route("/extension-requests", methods=["GET"])
@blueprint.arguments(schemas.ExtensionQuerySchema, location="query")
@blueprint.response(200, schemas.ExtensionPageSchema)
def list_extensions(query):
    """Extension requests, newest first: the caller's agency's, those a standing body decides, or a
    province's (coordinators); ``status=pending`` for those waiting."""
    rows, total = extensions.list_extensions(unit_of_work(), actor(), query.get("status"), query["page"],
                                             query["per_page"])
    return {"extensions": rows, "total": total, "page": query["page"], "per_page": query["per_page"]}


@blueprint.route("/extension-requests/<int:request_id>/decision", methods=["POST"])
@blueprint.arguments(schemas.ExtensionDecisionSchema)
@blueprint.response(200, schemas.ExtensionSchema)
@blueprint.alt_response(409, description="The request was decided already, or its task is no longer open")
def decide(body, request_id: int):
    """Grant (moving the task's deadline and re-arming its timer) or refuse with a reason: the standing
    body's approvers or the plan's coordinators, never the person who asked."""
    return extensions.decide_extension(unit_of_work(), clock(), actor(), request_id, body["grant"],
                                       body.get("reason"), body.get("until"))
