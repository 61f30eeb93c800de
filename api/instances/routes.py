"""Process instances: where one stands (with its diagram) and its full history."""
from __future__ import annotations

from api.instances import schemas
from api.routing import Blueprint
from engine.services import instances
from frontdoor.context import actor, unit_of_work

blueprint = Blueprint("instances", __name__, url_prefix="/api/v1", description="Process instances")


@blueprint.route("/instances/<int:instance_id>", methods=["GET"])
@blueprint.response(200, schemas.InstanceSchema)
def get_instance(instance_id: int):
    """State, waiting tasks, the BPMN XML and the ids of active and completed elements, for drawing."""
    return instances.describe_instance(unit_of_work(), actor(), instance_id)


@blueprint.route("/instances/<int:instance_id>/history", methods=["GET"])
@blueprint.response(200, schemas.HistorySchema(many=True))
def history(instance_id: int):
    """Every recorded step of the instance, oldest first."""
    return instances.instance_history(unit_of_work(), actor(), instance_id)
