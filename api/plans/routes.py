"""Launching plans and watching them move."""
from __future__ import annotations

from urllib.parse import quote

from flask import make_response
from flask.views import MethodView

from api import common
from api.plans import schemas
from api.routing import Blueprint
from engine.services import (
    dashboard,
    launches,
    plans,
    progress_reports,
    report_requests,
    report_texts,
    reporting_gates,
)
from frontdoor.context import actor, clock, unit_of_work

blueprint = Blueprint("plans", __name__, url_prefix="/api/v1", description="Plans launched from templates")


@blueprint.route("/plans", methods=["POST"])
@blueprint.arguments(schemas.LaunchSchema)
@blueprint.response(201, schemas.PlanSchema)
@blueprint.alt_response(200, schema=schemas.PlanSchema,
                        description="A retry with an idempotency key already used: the plan that launch made")
def launch(body):
    """Launch a plan from a template (coordinators, for their own province). A retry with the same
    idempotency key returns the plan the first call created, with status 200."""
    view = launches.launch_plan(unit_of_work(), clock(), actor(), body["template"], body["parameters"],
                                body.get("idempotency_key"), body["allow_duplicate_symbol"])
    return (view, 200) if view.replayed else view


@blueprint.route("/plans", methods=["GET"])
@blueprint.arguments(common.PageQuerySchema, location="query")
@blueprint.response(200, schemas.PlanPageSchema)
def list_plans(query):
    """The plans of the caller's province (every province for auditors and admins), newest first."""
    return plans.list_plans(unit_of_work(), clock(), query["page"], query["per_page"], actor())


@blueprint.route("/plans/<int:plan_id>", methods=["GET"])
@blueprint.response(200, schemas.PlanSchema)
def get_plan(plan_id: int):
    """A plan's items with lead, coordinating agencies, schedule, status and progress."""
    return plans.get_plan(unit_of_work(), clock(), plan_id, actor())


@blueprint.route("/plans/<int:plan_id>/report", methods=["GET"])
@blueprint.arguments(schemas.ReportQuerySchema, location="query")
@blueprint.response(200, description="The report, as a file to download (.docx, .json or .csv)")
def progress_report(query, plan_id: int):
    """The plan's official progress report as of the end of a period (2022, 2022-H1, 2022-Q3, 2022-09) or now:
    each item with its lead agency, status and results, the overdue items, the recipients."""
    content, media_type, file_name = progress_reports.progress_document(unit_of_work(), clock(), actor(), plan_id,
                                                               query.get("period"), query["format"])
    response = make_response(content)
    response.mimetype = media_type
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.route("/plans/<int:plan_id>/report/sections")
class ReportSections(MethodView):
    """One rule for both methods, so that an id no plan can have is 404 for each (werkzeug answers 405 for a
    method of one rule when another rule of the same path refuses the id)."""

    @blueprint.response(200, schemas.ReportSectionsSchema)
    def get(self, plan_id: int):
        """What is written into the plan's progress report: its four narrative sections, its recipients and
        who signs it (the report's own, else the standing body's), for whoever sees the plan."""
        return report_texts.report_texts(unit_of_work(), actor(), plan_id)

    @blueprint.arguments(schemas.ReportSectionsInSchema)
    @blueprint.response(200, schemas.ReportSectionsSchema)
    def put(self, body, plan_id: int):
        """Write the report's sections, recipients and signer (the coordinators of the plan's province and the
        people of its standing body); the .docx and PDF of the report print them."""
        sections = {key: body[key] for key in ("assessment", "shortcomings", "next_tasks", "recommendations")}
        return report_texts.save_report_texts(unit_of_work(), clock(), actor(), plan_id, sections,
                                              body["recipients"], body["signer_title"], body["signer_name"],
                                              body.get("version"))


@blueprint.route("/plans/<int:plan_id>/dashboard", methods=["GET"])
@blueprint.response(200, schemas.PlanDashboardSchema)
def plan_dashboard(plan_id: int):
    """The plan's counts (done on time / done late / in progress / overdue), per agency, the overdue work
    first, and completion week by week since the launch."""
    return dashboard.plan_dashboard(unit_of_work(), clock(), actor(), plan_id)


@blueprint.route("/dashboard", methods=["GET"])
@blueprint.response(200, schemas.ProvinceDashboardSchema)
def province_dashboard():
    """Every plan the caller sees with its counts, the agencies across them, the overdue work first."""
    return dashboard.province_dashboard(unit_of_work(), clock(), actor())


@blueprint.route("/plans/<int:plan_id>/reporting", methods=["GET"])
@blueprint.response(200, schemas.ReportingSchema)
def reporting(plan_id: int):
    """The plan's reporting regime and its gates: for each reporting period (data cut-off of Nghị định
    09/2019 and due date), each duty's reports submitted, waived or missing, and what an open gate holds back."""
    return reporting_gates.reporting_view(unit_of_work(), clock(), actor(), plan_id)


@blueprint.route("/plans/<int:plan_id>/report-requests", methods=["POST"])
@blueprint.arguments(schemas.ReportRequestSchema)
@blueprint.response(201, schemas.AdHocRequestSchema)
def request_report(body, plan_id: int):
    """Ask chosen agencies for an ad-hoc report (báo cáo đột xuất) by a deadline (the plan's coordinators).
    The request becomes item ĐX.n of the plan: each agency reports, the standing body approves or returns."""
    asked = report_requests.request_report(unit_of_work(), clock(), actor(), plan_id, body["agencies"], body["due"],
                                           body["subject"], body.get("content"))
    view = reporting_gates.reporting_view(unit_of_work(), clock(), actor(), plan_id)
    return next(request for request in view.ad_hoc if request.item_number == asked.number)


@blueprint.route("/plans/items/<int:item_id>/sub-plans", methods=["POST"])
@blueprint.arguments(schemas.SubPlanSchema)
@blueprint.response(201, schemas.PlanSchema)
def launch_sub_plan(body, item_id: int):
    """An agency's own implementing plan for an item that asks for one (the caller's agency's, if none is
    named); its year and dates are the parent plan's unless given."""
    return launches.launch_sub_plan(unit_of_work(), clock(), actor(), item_id, body.get("agency"),
                                    body.get("template"), body["parameters"], body.get("idempotency_key"))
