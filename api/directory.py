"""The agency directory and the plan templates."""
from __future__ import annotations


from engine.services import directory, templates

from . import schemas, unit_of_work
from .routing import Blueprint

blueprint = Blueprint("directory", __name__, url_prefix="/api/v1", description="Agencies and plan templates")


@blueprint.route("/agencies", methods=["GET"])
@blueprint.arguments(schemas.AgencyQuerySchema, location="query")
@blueprint.response(200, schemas.AgencySchema(many=True))
def list_agencies(query):
    """The agency directory, optionally one province's or one group's."""
    found = directory.load_directory(unit_of_work()).agencies.values()
    return [agency for agency in found
            if query.get("province") in (None, agency.province) and
            (query.get("group") is None or query["group"] in agency.groups)]


@blueprint.route("/templates", methods=["GET"])
@blueprint.response(200, schemas.TemplateSummarySchema(many=True))
def list_templates():
    """The newest version of every registered plan template."""
    return templates.list_templates(unit_of_work())


@blueprint.route("/templates/<key>", methods=["GET"])
@blueprint.response(200, schemas.TemplateSchema)
def get_template(key: str):
    """A template with its items, parameters and reporting regime."""
    return templates.get_template(unit_of_work(), key)
