"""My work: the agency's open tasks (an approver's approvals first), soonest due first; searched, filtered by
status, plan and agency, and paged, every choice carried in the address so that a link or a reload keeps it."""
from __future__ import annotations

from flask import render_template, request

from engine.model import policy
from engine.model.tasks import WorklistFilter
from engine.services import directory, plans, worklists
from frontdoor.context import actor, clock, unit_of_work
from web.blueprint import blueprint

PER_PAGE = 25


@blueprint.route("/work")
def work():
    who = actor()
    by_agency = policy.sees_everything(who)
    chosen = {"q": (request.args.get("q") or "").strip()[:200] or None,
              "status": request.args.get("status") if request.args.get("status") in WorklistFilter.FLAGS else None,
              "plan": request.args.get("plan", type=int),
              "agency": (request.args.get("agency") or None) if by_agency else None}
    number = max(1, min(request.args.get("page", 1, type=int), 100_000))
    wanted = WorklistFilter(plan_id=chosen["plan"], search=chosen["q"], flag=chosen["status"],
                            agency=chosen["agency"])
    page = worklists.worklist(unit_of_work(), clock(), who, wanted, page=number, per_page=PER_PAGE)
    plan_list = plans.list_plans(unit_of_work(), clock(), per_page=200, actor=who).plans
    agencies = directory.agencies_of_province(unit_of_work(), who.province) if by_agency else []
    return render_template("work.html", page=page, plans=plan_list, agencies=agencies, chosen=chosen,
                           filtered=any(chosen.values()), flags=WorklistFilter.FLAGS)
