"""A process instance: its diagram with the steps done and the current one marked, and its history."""
from __future__ import annotations

from flask import make_response, render_template

from engine.i18n import N_
from engine.services import instances
from frontdoor.context import actor, unit_of_work
from frontdoor.i18n import localized, request_locale
from web import widgets
from web.blueprint import blueprint


@blueprint.route("/instances/<int:instance_id>")
def instance(instance_id: int):
    detail = instances.describe_instance(unit_of_work(), actor(), instance_id)
    history = instances.instance_history(unit_of_work(), actor(), instance_id)
    names = instances.diagram_of(unit_of_work(), actor(), instance_id, localized).names
    return render_template("instance.html", instance=detail, history=history,
                           labels={**widgets.field_labels(request_locale()), "waived": localized(N_("Waived")),
                                   "reason": localized(N_("Reason"))},
                           names=names, done_names=[names.get(e, e) for e in detail.completed_elements if e in names],
                           active_names=[names.get(e, e) for e in detail.active_elements if e in names])


@blueprint.route("/instances/<int:instance_id>/diagram.bpmn")
def instance_diagram(instance_id: int):
    """The BPMN file of the instance's process, its names in the reader's language, for the diagram viewer."""
    response = make_response(instances.diagram_of(unit_of_work(), actor(), instance_id, localized).xml)
    response.mimetype = "application/xml"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
