"""The people of a province, for its administrators (national ones: of every province)."""
from __future__ import annotations

from api.people import schemas
from api.routing import Blueprint
from engine.services import invitations, people
from frontdoor.context import actor, clock, link_base, unit_of_work

blueprint = Blueprint("people", __name__, url_prefix="/api/v1",
                      description="People: invited by a one-time link, corrected, disabled")


@blueprint.route("/people", methods=["GET"])
@blueprint.arguments(schemas.PeopleQuerySchema, location="query")
@blueprint.response(200, schemas.PeoplePageSchema)
def list_people(query):
    """The people of your province (a national administrator's: everyone, or ``province``'s), with their roles,
    agency, e-mail and whether they are active, still invited or disabled."""
    return people.list_people(unit_of_work(), actor(), query.get("province"), query.get("search"), query["page"],
                              query["per_page"])


@blueprint.route("/people", methods=["POST"])
@blueprint.arguments(schemas.InviteSchema)
@blueprint.response(201, schemas.InvitationSchema)
def invite(body):
    """Invite a person: they are added without a password and sent a one-time link to set one (mailed; the link
    is in the answer only when they have no e-mail address, to hand over)."""
    person = invitations.Person(body["username"].strip(), tuple(dict.fromkeys(body["roles"])),
                                _given(body.get("agency")), _given(body.get("display_name")),
                                _given(body.get("email")))
    return invitations.invite(unit_of_work(), clock(), actor(), person, link_base())


@blueprint.route("/people/<username>", methods=["PATCH"])
@blueprint.arguments(schemas.PersonChangeSchema)
@blueprint.response(200, schemas.PersonSchema)
def update_person(body, username: str):
    """Correct a person's name, e-mail, roles or agency (an agency of today's directory, of your province)."""
    return people.update_person(unit_of_work(), clock(), actor(), username, body.get("display_name"),
                                _cleared(body, "email"), body.get("roles"), _cleared(body, "agency"))


@blueprint.route("/people/<username>/disable", methods=["POST"])
@blueprint.response(200, schemas.PersonSchema)
def disable(username: str):
    """Disable a person: they sign in no more, and their sessions, tokens and links stop working."""
    return people.set_active(unit_of_work(), clock(), actor(), username, False)


@blueprint.route("/people/<username>/enable", methods=["POST"])
@blueprint.response(200, schemas.PersonSchema)
def enable(username: str):
    """Let a disabled person sign in again."""
    return people.set_active(unit_of_work(), clock(), actor(), username, True)


@blueprint.route("/people/<username>/reset-password", methods=["POST"])
@blueprint.response(201, schemas.InvitationSchema)
def reset_password(username: str):
    """Send a person a new one-time link to set their password; any link sent before stops working."""
    return people.send_password_link(unit_of_work(), clock(), actor(), username, link_base())


def _given(value: str | None) -> str | None:
    return (value.strip() or None) if value is not None else None


def _cleared(body: dict, name: str) -> str | None:
    """A field sent as null or empty clears it ("" to the use case); one left out stays (None)."""
    if name not in body:
        return None
    return body[name] or ""
