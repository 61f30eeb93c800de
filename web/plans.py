"""Plans: the list, launching one from a template, and a plan's dashboard."""
from __future__ import annotations

from flask import redirect, render_template, request, url_for

from engine.errors import Invalid, NotFound, PlanflowError
from engine.i18n import t
from engine.model import policy
from engine.services import dashboard, directory, launches, plans, templates
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized, localized_errors
from web.blueprint import blueprint


@blueprint.route("/plans")
def plan_list():
    page = plans.list_plans(unit_of_work(), clock(), per_page=200, actor=actor())
    return render_template("plans.html", plans=page.plans)


@blueprint.route("/plans/new", methods=["GET", "POST"])
def launch():
    """Launch a plan from a template of one's own province: its parameters (agencies ticked from the directory;
    the template's examples only as placeholders, never as values), a preview of the items as they would be
    launched, then the launch, announced on the plan's page."""
    available = templates.list_templates(unit_of_work(), launchable_by=actor())
    key = request.values.get("template") or (available[0].key if available else None)
    if key is not None and key not in {info.key for info in available}:
        raise NotFound(t("no template %(key)s", key=key))  # another province's: not there for this person
    template = templates.get_template(unit_of_work(), key) if key else None
    declared = (template or {}).get("parameters", {})
    values = {name: (request.form.getlist(name) if spec.get("type") == "agencies" else request.form.get(name, ""))
              for name, spec in declared.items()}
    errors, message, preview, duplicate = {}, None, None, None
    if request.method == "POST":
        parameters = {name: value for name, value in values.items() if value and (not isinstance(value, str)
                                                                                  or value.strip())}
        try:
            if request.form.get("action") == "launch":
                view = launches.launch_plan(unit_of_work(), clock(), actor(), key, parameters, examples=False,
                                            allow_duplicate_symbol=request.form.get("allow_duplicate_symbol") == "1")
                return redirect(url_for("web.plan", plan_id=view.id, launched=1))
            preview = _preview(key, parameters)
        except Invalid as error:
            errors = {name.removeprefix("parameters."): value
                      for name, value in (localized_errors(error.errors) or {}).items()}
            message = localized(error.message)
        except PlanflowError as error:
            message = localized(error.message)
            duplicate = error.details.get("duplicate_symbol")
            if duplicate:  # the plan exists already: the preview again, and a box to confirm a second one
                preview = _preview(key, parameters)
    choices = directory.agencies_of_province(unit_of_work(), (template or {}).get("province"))
    return render_template("launch.html", available=[(info, launches.shown(info.name)) for info in available],
                           key=key, values=values, errors=errors,
                           template=launches.outline(template, values) if template else None,
                           needed=launches.needed_parameters(template) if template else set(),
                           message=message, preview=preview, choices=choices, duplicate=duplicate), \
        422 if message else 200


def _preview(key: str, parameters: dict) -> dict:
    symbol, planned = launches.preview_plan(unit_of_work(), clock(), actor(), key, parameters, examples=False)
    return {"symbol": symbol, "items": planned}


@blueprint.route("/plans/<int:plan_id>")
def plan(plan_id: int):
    """A plan's dashboard: the counts, each item, the agencies × items matrix, completion week by week."""
    view = plans.get_plan(unit_of_work(), clock(), plan_id, actor())
    board = dashboard.plan_dashboard(unit_of_work(), clock(), actor(), plan_id)
    matrix_agencies = board.matrix_agencies[:60]  # the most overdue first, then those only coordinating
    return render_template("plan.html", plan=view, board=board, matrix_agencies=matrix_agencies,
                           statuses=board.cells, chart=_chart(board.weeks),
                           may_write_report=policy.may_write_report(actor(), view.province, view.standing_body),
                           launched=request.args.get("launched") == "1" and policy.may_launch_plans(actor()))


def _chart(weeks) -> dict:
    """The completion chart's points, drawn as SVG in the page (no script)."""
    if not weeks:
        return {"points": "", "width": 0, "height": 0, "total": 0}
    total = max(weeks[-1].total, 1)
    width, height = 640, 160
    step = width / max(len(weeks) - 1, 1)
    points = " ".join(f"{index * step:.1f},{height - week.completed / total * height:.1f}"
                      for index, week in enumerate(weeks))
    on_time = " ".join(f"{index * step:.1f},{height - week.completed_on_time / total * height:.1f}"
                       for index, week in enumerate(weeks))
    return {"points": points, "on_time": on_time, "width": width, "height": height, "total": total,
            "first": weeks[0].start, "last": weeks[-1].start, "done": weeks[-1].completed}
