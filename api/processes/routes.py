"""Health, and the deployed process definitions."""
from __future__ import annotations

from api.processes import schemas
from api.routing import Blueprint
from engine.services import definitions
from frontdoor.context import unit_of_work
from frontdoor.sign_in import open_to_all

blueprint = Blueprint("processes", __name__, url_prefix="/api/v1", description="Health and process definitions")


@blueprint.route("/health", methods=["GET"], endpoint="health")
@blueprint.response(200)
@blueprint.doc(security=[])
@open_to_all
def health():
    """Answers when the service runs (no sign-in needed)."""
    return {"status": "ok"}


@blueprint.route("/processes", methods=["GET"])
@blueprint.response(200, schemas.ProcessSchema(many=True))
def list_processes():
    """The newest version of every deployed process."""
    return definitions.list_definitions(unit_of_work())
