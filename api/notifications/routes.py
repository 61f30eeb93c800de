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


@blueprint.route("/notifications/read", methods=["POST"])
@blueprint.response(200, schemas.MarkedSchema)
@personal
def mark_all_read():
    """Mark every unread notice of the caller read."""
    return {"marked": notices.mark_all_read(unit_of_work(), clock(), actor())}


@blueprint.route("/notifications/mail", methods=["GET"])
@blueprint.response(200, schemas.MailSettingsSchema)
def mail_settings():
    """How each kind of notice reaches the caller by mail: at once, in the daily digest (07:00), or not."""
    return notices.mail_choices(unit_of_work(), actor())


@blueprint.route("/notifications/mail", methods=["PUT"])
@blueprint.arguments(schemas.MailChoicesSchema)
@blueprint.response(200, schemas.MailSettingsSchema)
@personal
def choose_mail(body):
    """Choose how some kinds of notice reach the caller by mail."""
    return notices.choose_mail(unit_of_work(), actor(), body["choices"])
