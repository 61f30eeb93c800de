"""A plan's reporting: its regime, each period's gates (who has sent the period's report, who is missing, what an
open gate holds back), the ad-hoc reports asked and who has answered, and the form that asks for one."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from engine.errors import Invalid
from engine.model import policy
from engine.services import directory, plans, report_requests, reporting_gates
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized
from web.blueprint import blueprint


@blueprint.route("/plans/<int:plan_id>/reporting", methods=["GET", "POST"])
def plan_reporting(plan_id: int):
    view = reporting_gates.reporting_view(unit_of_work(), clock(), actor(), plan_id)
    plan = plans.get_plan(unit_of_work(), clock(), plan_id, actor())
    may_ask = policy.may_waive(actor(), plan.province)  # those who run the province's plans ask for reports
    form = {"agencies": request.form.getlist("agencies"), "due": request.form.get("due", ""),
            "subject": request.form.get("subject", ""), "content": request.form.get("content", "")}
    errors, message = {}, None
    if request.method == "POST":
        try:
            asked = report_requests.request_report(unit_of_work(), clock(), actor(), plan_id, form["agencies"],
                                                   form["due"], form["subject"], form["content"] or None)
            return redirect(url_for("web.plan_reporting", plan_id=plan_id, asked=asked.number) + "#ad-hoc")
        except Invalid as error:
            errors, message = {key: value for key, value in (error.errors or {}).items()}, localized(error.message)
    choices = directory.agencies_of_province(unit_of_work(), plan.province) if may_ask else []
    return render_template("reporting.html", plan=plan, view=view, may_ask=may_ask, choices=choices, form=form,
                           errors=errors, message=message, asked=request.args.get("asked"), now=clock().now()), \
        422 if message else 200
