"""Extensions (gia hạn) on one page: the requests its reader may see, those waiting for a decision first; each
leads to its task's page, where it is decided."""
from __future__ import annotations

from flask import render_template, request

from engine.services import extensions
from frontdoor.context import actor, unit_of_work
from web.blueprint import blueprint

PER_PAGE = 30
SHOWN = ("pending", "granted", "refused")


@blueprint.route("/extensions")
def extension_list():
    status = request.args.get("status", "pending")
    status = status if status in SHOWN else None  # "all"
    page = max(1, request.args.get("page", 1, type=int))
    rows, total = extensions.list_extensions(unit_of_work(), actor(), status, page, PER_PAGE)
    return render_template("extensions.html", rows=rows, total=total, status=status or "all", page=page,
                           pages=max(1, -(-total // PER_PAGE)), shown=SHOWN)
