"""The caller's inbox: reminders, due-day notices and escalations, read in the caller's language."""
from __future__ import annotations

from api.notifications import schemas
from api.routing import Blueprint
from engine.services import notices
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.sign_in import personal

blueprint = Blueprint("notifications", __name__, url_prefix="/api/v1", description="The caller's inbox")


@blueprint.route("/notifications", methods=["GET"])
@blueprint.arguments(schemas.InboxQuerySchema, location="query")
@blueprint.response(200, schemas.InboxPageSchema)
def inbox(query):
    """The caller's notices, newest first (``unread=true``: only those not yet read)."""
    return notices.inbox(unit_of_work(), actor(), query["unread"], query["page"], query["per_page"])


@blueprint.route("/notifications/<int:notification_id>/read", methods=["POST"])
@blueprint.response(200, schemas.NotificationSchema)
@personal
def mark_read(notification_id: int):
    """Mark one of the caller's notices read."""
    return notices.mark_read(unit_of_work(), clock(), actor(), notification_id)
