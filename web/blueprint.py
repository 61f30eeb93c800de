"""The one blueprint every page is declared on (its endpoints are ``web.…``)."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint

HERE = Path(__file__).resolve().parent
#: The pages' own scripts and styles, and the vendored ones ``make assets`` copies in (served as /static/…).
STATIC = HERE / "static"

blueprint = Blueprint("web", __name__, template_folder="templates")
