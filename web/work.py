"""My work: the agency's open tasks, soonest due first, filterable by plan."""
from __future__ import annotations

from flask import render_template, request

from engine.model.tasks import WorklistFilter
from engine.services import plans, worklists
from frontdoor.context import actor, clock, unit_of_work
from web.blueprint import blueprint


@blueprint.route("/work")
def work():
    plan_id = request.args.get("plan", type=int)
    page = worklists.worklist(unit_of_work(), clock(), actor(), WorklistFilter(plan_id=plan_id), per_page=200)
    plan_list = plans.list_plans(unit_of_work(), clock(), per_page=200, actor=actor()).plans
    return render_template("work.html", page=page, plans=plan_list, plan_id=plan_id)
