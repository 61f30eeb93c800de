"""A province's people and bodies, imported from a spreadsheet and exported as one (its administrators; national
ones name the province). An import is all or nothing: a refused one answers 422 with each wrong row's problems
under ``errors``, keyed ``row <its number in the sheet>.<field>``."""
from __future__ import annotations

from urllib.parse import quote

from flask import make_response

from api import common
from api.routing import Blueprint
from api.spreadsheets import schemas
from engine.errors import Invalid
from engine.i18n import t
from engine.services import people_files
from frontdoor.context import actor, clock, link_base, unit_of_work

blueprint = Blueprint("spreadsheets", __name__, url_prefix="/api/v1",
                      description="People and the directory, in and out of spreadsheets")
REFUSED = "A row (or the file) is wrong: nothing was imported; errors by 'row N.field'"


@blueprint.route("/people/import", methods=["POST"])
@blueprint.arguments(schemas.ImportQuerySchema, location="query")
@blueprint.arguments(common.UploadSchema, location="files")
@blueprint.response(201, schemas.PeopleImportSchema)
@blueprint.alt_response(422, description=REFUSED)
def import_people(query, files):
    """Invite everyone of a spreadsheet (multipart ``file``: .xlsx, or CSV in UTF-8) with the columns Tên đăng
    nhập, Họ và tên, Thư điện tử, Cơ quan (a code, or a name of the province's directory), Vai trò and Tỉnh;
    their links are mailed, and those of people with no e-mail address are in the answer, this once."""
    data, name = _upload(files)
    return people_files.import_people(unit_of_work(), clock(), actor(), data, name, link_base(),
                                      query.get("province"))


@blueprint.route("/agencies/import", methods=["POST"])
@blueprint.arguments(schemas.ImportQuerySchema, location="query")
@blueprint.arguments(common.UploadSchema, location="files")
@blueprint.response(201, schemas.AgencyImportSchema)
@blueprint.alt_response(422, description=REFUSED)
def import_agencies(query, files):
    """Add every body of a spreadsheet to the province's directory (columns Mã, Tên, Tên ngắn, Tỉnh, Cấp, Loại,
    Cơ quan cấp trên, Nhóm, Tên khác, Từ ngày, Đến ngày: what the export writes)."""
    data, name = _upload(files)
    return people_files.import_agencies(unit_of_work(), clock(), actor(), data, name, query.get("province"))


@blueprint.route("/people/export", methods=["GET"])
@blueprint.arguments(schemas.ExportQuerySchema, location="query")
@blueprint.response(200, description="The people, as a file to download (.xlsx or .csv) that imports back")
def export_people(query):
    """The active people of a province, in the columns an import reads."""
    return _download(people_files.export_people(unit_of_work(), actor(), query.get("province"), query["format"]))


@blueprint.route("/agencies/export", methods=["GET"])
@blueprint.arguments(schemas.AgencyExportQuerySchema, location="query")
@blueprint.response(200, description="The bodies, as a file to download (.xlsx or .csv) that imports back")
def export_agencies(query):
    """The bodies of a province's directory (of one day, with ``on``), in the columns an import reads."""
    return _download(people_files.export_agencies(unit_of_work(), actor(), query.get("province"), query["format"],
                                                  query.get("on")))


def _upload(files) -> tuple[bytes, str]:
    upload = files["file"]
    if not getattr(upload, "filename", None):
        raise Invalid(t("send the file in the multipart field 'file'"), errors={"file": [t("missing")]})
    data = upload.stream.read(people_files.MAX_FILE_BYTES + 1)
    return data, upload.filename


def _download(made: people_files.SheetFile):
    response = make_response(made.content)
    response.mimetype = made.media_type.split(";")[0]
    response.headers["Content-Type"] = made.media_type
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(made.filename)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
