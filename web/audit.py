"""The audit log for auditors: filters, the events, the chain's verification, exports."""
from __future__ import annotations

from flask import render_template, request

from engine.model import policy
from engine.services import audit
from frontdoor.context import actor, planflow, unit_of_work
from web.blueprint import blueprint

FILTERS = ("plan", "instance", "actor", "agency", "action")
PAGE = 100


@blueprint.route("/audit")
def audit_page():
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    where = audit.AuditFilter(plan_id=_int(filters["plan"]), instance_id=_int(filters["instance"]),
                              actor=filters["actor"] or None, agency=filters["agency"] or None,
                              action=filters["action"] or None)
    rows = audit.events(unit_of_work(), actor(), where, request.args.get("after", 0, type=int), PAGE)
    wanted = request.args.get("verify") and policy.may_verify_whole_log(actor())
    verification = audit.verify(unit_of_work(), planflow().evidence, actor()) if wanted else None
    query = "&".join(f"{name}={value}" for name, value in filters.items() if value)
    return render_template("audit.html", rows=rows, filters=filters, verification=verification, query=query,
                           next_after=rows[-1].seq if len(rows) == PAGE else None)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None
