"""Launching plans and watching them move."""
from __future__ import annotations


from engine import policy
from engine.services import plans

from . import clock, schemas, unit_of_work
from .auth import actor
from .routing import Blueprint

blueprint = Blueprint("plans", __name__, url_prefix="/api/v1", description="Plans launched from templates")


@blueprint.route("/plans", methods=["POST"])
@blueprint.arguments(schemas.LaunchSchema)
@blueprint.response(201, schemas.PlanSchema)
def launch(body):
    """Launch a plan from a template (coordinators). A retry with the same idempotency key returns
    the plan the first call created, with status 200."""
    policy.check_launches_plans(actor())
    key = body.get("idempotency_key")
    replay = key is not None and plans.plan_for_key(unit_of_work(), key) is not None
    view = plans.launch_plan(unit_of_work(), clock(), actor(), body["template"], body["parameters"], key)
    return (view, 200) if replay else view


@blueprint.route("/plans", methods=["GET"])
@blueprint.arguments(schemas.PageQuerySchema, location="query")
@blueprint.response(200, schemas.PlanPageSchema)
def list_plans(query):
    """Plans, newest first."""
    return plans.list_plans(unit_of_work(), clock(), query["page"], query["per_page"])


@blueprint.route("/plans/<int:plan_id>", methods=["GET"])
@blueprint.response(200, schemas.PlanSchema)
def get_plan(plan_id: int):
    """A plan's items with lead, coordinating agencies, schedule, status and progress."""
    return plans.get_plan(unit_of_work(), clock(), plan_id)


@blueprint.route("/plans/items/<int:item_id>/sub-plans", methods=["POST"])
@blueprint.arguments(schemas.SubPlanSchema)
@blueprint.response(201, schemas.PlanSchema)
def launch_sub_plan(body, item_id: int):
    """An agency's own implementing plan for an item that asks for one."""
    who = actor()
    policy.check_launches_sub_plan(who, body["agency"])
    return plans.launch_sub_plan(unit_of_work(), clock(), who, item_id, body["agency"], body.get("template"),
                                 body["parameters"], body.get("idempotency_key"))
