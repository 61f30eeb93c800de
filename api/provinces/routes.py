"""Provinces and cities, and bringing one on board (national administrators)."""
from __future__ import annotations

from api.provinces import schemas
from api.routing import Blueprint
from engine.services import provinces
from frontdoor.context import actor, clock, link_base, unit_of_work

blueprint = Blueprint("provinces", __name__, url_prefix="/api/v1",
                      description="Provinces: today's 34, those merged into them, bringing one on board")


@blueprint.route("/provinces", methods=["GET"])
@blueprint.arguments(schemas.ProvinceQuerySchema, location="query")
@blueprint.response(200, schemas.ProvinceSchema(many=True))
def list_provinces(query):
    """Today's provinces and cities (``all``: also those merged into them on 1 July 2025), each with its
    bodies and people counted; a province's people see their own."""
    return provinces.list_provinces(unit_of_work(), actor(), query["all"])


@blueprint.route("/provinces/<province>", methods=["GET"])
@blueprint.response(200, schemas.ProvinceSchema)
def get_province(province: str):
    """A province with the units merged into it."""
    return provinces.get_province(unit_of_work(), actor(), province.upper())


@blueprint.route("/provinces", methods=["POST"])
@blueprint.arguments(schemas.OnboardSchema)
@blueprint.response(201, schemas.OnboardingSchema)
def onboard(body):
    """Bring a province on board (national administrators): its directory from the national data, its first
    administrator and coordinator invited by a one-time link (in the answer only for whom has no e-mail)."""
    return provinces.onboard_province(unit_of_work(), clock(), actor(), body["name"], link_base(),
                                      admin=_given(body["admin"]), coordinator=_given(body["coordinator"]))


def _given(person: dict) -> dict:
    return {name: value.strip() for name, value in person.items() if value and value.strip()}
