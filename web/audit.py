"""The audit log for auditors: filters by names (a plan by its number, an action in words, an agency by its name),
the events, the chain's verification, exports."""
from __future__ import annotations

from flask import render_template, request

from engine.model import policy
from engine.services import agencies, audit, plans
from frontdoor.context import actor, clock, planflow, unit_of_work
from web.blueprint import blueprint
from web.filters import ACTIONS

FILTERS = ("plan", "instance", "actor", "agency", "action")
PAGE = 100
CHOICES = 20  # the agencies offered when a name matches several


@blueprint.route("/audit")
def audit_page():
    filters = {name: request.args.get(name, "").strip() for name in FILTERS}
    agency, matching = _agency(filters["agency"])
    where = audit.AuditFilter(plan_id=_int(filters["plan"]), instance_id=_int(filters["instance"]),
                              actor=filters["actor"] or None, agency=agency,
                              action=filters["action"] or None)
    unresolved = bool(filters["agency"]) and agency is None
    rows = [] if unresolved else audit.events(unit_of_work(), actor(), where, request.args.get("after", 0, type=int),
                                               PAGE)
    wanted = request.args.get("verify") and policy.may_verify_whole_log(actor())
    verification = audit.verify(unit_of_work(), planflow().evidence, actor()) if wanted else None
    query = "&".join(f"{name}={value}" for name, value in filters.items() if value)
    seen = plans.list_plans(unit_of_work(), clock(), per_page=500, actor=actor()).plans
    return render_template("audit.html", rows=rows, filters=filters, verification=verification, query=query,
                           next_after=rows[-1].seq if len(rows) == PAGE else None, plans=seen,
                           symbols={plan.id: plan.symbol for plan in seen}, actions=ACTIONS,
                           agency=agency, matching=matching, unresolved=unresolved)


def _agency(text: str) -> tuple[str | None, list]:
    """The agency a filter names, by its code or the words of its name; with the candidates (the plainest
    names first, the first ``CHOICES``) and how many there are when it names several."""
    if not text:
        return None, []
    found = agencies.list_agencies(unit_of_work(), actor(), search=text)
    exact = [view for view in found if view.code.casefold() == text.casefold()]
    if exact or len(found) == 1:
        return (exact or found)[0].code, []
    return None, sorted(found, key=lambda view: (len(view.name), view.name))[:CHOICES]  # the plainest first


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None
