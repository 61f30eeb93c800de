"""The audit log for auditors: filtered and paged, exported with its chain hashes, verified."""
from __future__ import annotations

from flask import Response, stream_with_context

from api.audit import schemas
from api.routing import Blueprint
from engine.services import audit
from frontdoor.context import actor, planflow, unit_of_work

blueprint = Blueprint("audit", __name__, url_prefix="/api/v1",
                      description="The hash-chained audit log (auditors and administrators)")


def _where(query) -> audit.AuditFilter:
    return audit.AuditFilter(plan_id=query.get("plan"), item_id=query.get("item"),
                             instance_id=query.get("instance"), task_id=query.get("task"), agency=query.get("agency"),
                             actor=query.get("actor"), action=query.get("action"), since=query.get("since"),
                             until=query.get("until"))


@blueprint.route("/audit", methods=["GET"])
@blueprint.arguments(schemas.AuditQuerySchema, location="query")
@blueprint.response(200, schemas.AuditPageSchema)
def events(query):
    """Events in sequence order, filtered by plan, item, instance, task, the actor's agency, actor, action
    and time; a page ends with ``next_after``, the ``after`` of the next page."""
    rows = audit.events(unit_of_work(), actor(), _where(query), query["after"], query["limit"])
    return {"events": rows, "next_after": rows[-1].seq if len(rows) == query["limit"] else None}


@blueprint.route("/audit/export", methods=["GET"])
@blueprint.arguments(schemas.AuditExportQuerySchema, location="query")
@blueprint.response(200, description="The events as JSON lines or CSV, with prev_hash and hash of each")
def export(query):
    """The filtered log as a file, each event with the fields its hash is taken over (see the README) and its
    hash, so that it can be checked outside planflow. JSON lines carry every field exactly as hashed. In CSV a
    cell that begins with ``=``, ``+``, ``-``, ``@``, a tab, a carriage return or ``'`` has one ``'`` put before
    it, so that a spreadsheet shows it as text and never runs it as a formula: remove one leading ``'`` from
    each cell that has one before re-hashing."""
    kind = query["format"]
    lines = audit.export(unit_of_work(), actor(), _where(query), kind)
    response = Response(stream_with_context(lines),
                        mimetype="application/x-ndjson" if kind == "jsonl" else "text/csv")
    response.headers["Content-Disposition"] = f"attachment; filename=planflow-audit.{kind}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.route("/audit/verify", methods=["GET"])
@blueprint.response(200, schemas.VerificationSchema)
def verify():
    """Re-compute the whole chain and check every evidence file against its recorded SHA-256."""
    return audit.verify(unit_of_work(), planflow().evidence, actor())
