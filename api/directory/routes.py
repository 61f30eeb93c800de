"""The agency directory and the plan templates."""
from __future__ import annotations

from api import common
from api.directory import schemas
from api.routing import Blueprint
from engine.errors import Invalid
from engine.i18n import t
from engine.services import directory, templates
from frontdoor.context import actor, clock, unit_of_work

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


@blueprint.route("/templates/<template_key:key>", methods=["GET"])
@blueprint.response(200, schemas.TemplateSchema)
def get_template(key: str):
    """A template with its items, parameters and reporting regime."""
    return templates.get_template(unit_of_work(), key)


@blueprint.route("/templates/drafts", methods=["POST"])
@blueprint.arguments(common.UploadSchema, location="files")
@blueprint.response(200, schemas.DraftSchema)
@blueprint.alt_response(422, description="Not a plan (no plan structure found), or a file refused before reading")
def draft(files):
    """A draft template read from a plan document (multipart ``file``: .docx, PDF with text, or UTF-8 text),
    each field with the span of the document it came from and what it leaves open flagged. Nothing is
    stored: register the draft, once checked, as any template (coordinators and administrators)."""
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise Invalid(t("send the file in the multipart field 'file'"), errors={"file": ["missing"]})
    found = templates.draft_from_document(unit_of_work(), actor(), upload.read(), upload.filename, clock())
    return {"summary": found.summary, "template": found.template,
            "yaml": templates.draft_as_yaml(found, upload.filename),
            "spans": found.spans, "items": found.items, "flags": found.flags,
            "paragraphs": [paragraph.text for paragraph in found.paragraphs]}
