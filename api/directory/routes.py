"""The agency directory and the plan templates."""
from __future__ import annotations

from api import common
from api.directory import schemas
from api.routing import Blueprint
from engine.errors import Invalid
from engine.i18n import t
from engine.services import agencies, templates
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized, request_locale

blueprint = Blueprint("directory", __name__, url_prefix="/api/v1", description="Agencies and plan templates")


@blueprint.route("/agencies", methods=["GET"])
@blueprint.arguments(schemas.AgencyQuerySchema, location="query")
@blueprint.response(200, schemas.AgencySchema(many=True))
def list_agencies(query):
    """The agency directory of your province (with the national bodies; a national reader's: every province's),
    or of ``province``; of one ``group``, as of a day (``on``), or matching ``search``; a page at a time
    (``page``, ``per_page``), the whole count in the ``X-Total-Count`` header."""
    found, total = agencies.page_of_agencies(unit_of_work(), actor(), query.get("province"), query.get("search"),
                                             query.get("on"), query.get("group"), query["page"], query["per_page"])
    return found, 200, {"X-Total-Count": str(total)}


@blueprint.route("/agencies", methods=["POST"])
@blueprint.arguments(schemas.NewAgencySchema)
@blueprint.response(201, schemas.AgencySchema)
def add_agency(body):
    """Add a body the national pattern does not give (administrators of its province)."""
    new = agencies.NewAgency(**{**body, "groups": tuple(body["groups"]), "aliases": tuple(body["aliases"])})
    return agencies.add_agency(unit_of_work(), clock(), actor(), new)


@blueprint.route("/agencies/<code>/rename", methods=["POST"])
@blueprint.arguments(schemas.RenameSchema)
@blueprint.response(200, schemas.AgencySchema)
def rename_agency(body, code: str):
    """A new name for the same body: the old name stays one of its other names, so plans that wrote it find it."""
    return agencies.rename_agency(unit_of_work(), clock(), actor(), code, body["name"], body.get("short_name"))


@blueprint.route("/agencies/<code>/signer", methods=["PUT"])
@blueprint.arguments(schemas.SetSignerSchema)
@blueprint.response(200, schemas.AgencySchema)
def set_signer(body, code: str):
    """Who signs the body's reports, as a standing body: the position and the full name (administrators of
    its province); both empty: nobody, and its reports leave the block for a hand signature."""
    return agencies.set_signer(unit_of_work(), clock(), actor(), code, body["title"], body["name"])


@blueprint.route("/agencies/<code>/merge", methods=["POST"])
@blueprint.arguments(schemas.MergeSchema)
@blueprint.response(200, schemas.AgencySchema)
def merge_agencies(body, code: str):
    """Merge the bodies ``codes`` into this one: they cease after ``last_day`` with it as their successor, and
    their people become its people."""
    return agencies.merge_agencies(unit_of_work(), clock(), actor(), body["codes"], code, body.get("last_day"))


@blueprint.route("/agencies/<code>/retire", methods=["POST"])
@blueprint.arguments(schemas.RetireSchema)
@blueprint.response(200, schemas.AgencySchema)
def retire_agency(body, code: str):
    """The body ceases after ``last_day``; its duties pass to ``successors`` when given."""
    return agencies.retire_agency(unit_of_work(), clock(), actor(), code, body.get("last_day"), body["successors"])


@blueprint.route("/agencies/<code>/history", methods=["GET"])
@blueprint.response(200, schemas.AgencyHistorySchema)
def agency_history(code: str):
    """Where a body's duties came from and went, and every change made to it."""
    return agencies.agency_history(unit_of_work(), actor(), code)


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
        raise Invalid(t("send the file in the multipart field 'file'"), errors={"file": [t("missing")]})
    found = templates.draft_from_document(unit_of_work(), actor(), upload.read(), upload.filename, clock())
    return {"summary": localized(found.summary), "template": found.template,
            "yaml": templates.draft_as_yaml(found, upload.filename, request_locale()),
            "spans": found.spans, "items": found.items, "flags": found.flags,
            "paragraphs": [paragraph.text for paragraph in found.paragraphs]}
