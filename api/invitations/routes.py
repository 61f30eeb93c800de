"""The one-time links to set a password, open without signing in: whoever holds the link is who it was sent to.

The token is the only secret: 256 random bits, so there is nothing to throttle, and no session (hence no CSRF
token) is involved; the answer never says more than the user name and what the link is for."""
from __future__ import annotations

from api.invitations import schemas
from api.routing import Blueprint
from engine.services import invitations
from frontdoor.context import clock, unit_of_work
from frontdoor.sign_in import open_to_all

blueprint = Blueprint("invitations", __name__, url_prefix="/api/v1",
                      description="One-time links to set a password (no sign-in)")


@blueprint.route("/invitations/<token>", methods=["GET"])
@blueprint.response(200, schemas.LinkSchema)
@blueprint.alt_response(404, description="The link was used, expired, replaced by a newer one, or never made")
@blueprint.doc(security=[])
@open_to_all
def open_link(token: str):
    """Whose the link is and what it is for, while it still works."""
    return invitations.open_link(unit_of_work(), clock(), token)


@blueprint.route("/invitations/<token>", methods=["POST"])
@blueprint.arguments(schemas.NewPasswordSchema)
@blueprint.response(200, schemas.PasswordSetSchema)
@blueprint.alt_response(404, description="The link was used, expired, replaced by a newer one, or never made")
@blueprint.doc(security=[])
@open_to_all
def set_password(body, token: str):
    """Set the password (at least 10 characters), once: the link stops working, and the person signs in."""
    return {"username": invitations.set_password(unit_of_work(), clock(), token, body["password"])}
