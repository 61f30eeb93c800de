"""The API's documentation page: Swagger UI from the assets installed with the project, never a CDN."""
from __future__ import annotations

from flask import render_template

from frontdoor.sign_in import open_to_all
from web.blueprint import blueprint


@blueprint.route("/api/docs")
@open_to_all
def api_docs():
    return render_template("api_docs.html")
