"""The web pages: server-rendered Jinja templates over the same services as the JSON API.

Vietnamese by default, English through the switch in the header; every
change is a form posted with the session's CSRF token; what people typed is
escaped by Jinja's autoescaping, never marked safe.
"""
from __future__ import annotations

import hmac
import re
from datetime import datetime
from pathlib import Path

from flask import (
    Blueprint,
    current_app,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)

import forms
from api import clock, unit_of_work, web_forms
from api.i18n import (
    LANGUAGES,
    localized,
    localized_diagram,
    request_locale,
    status_label,
)
from engine.errors import Invalid, NotFound, PlanflowError, TooManyAttempts
from engine.files.evidence import EvidenceStore
from engine.i18n import N_
from engine.model.clock import LOCAL_TZ
from engine.model.policy import Forbidden
from engine.model.tasks import WorklistFilter
from engine.services import (
    audit,
    dashboard,
    instances,
    launches,
    plans,
    sign_in,
    task_details,
    tasks,
    templates,
)

blueprint = Blueprint("web", __name__, template_folder="templates")

#: The audit log's actions in words (the code stays beside them in the history and the audit pages).
ACTIONS = {
    "access.refused": N_("a change refused"), "agencies.imported": N_("agency directory imported"),
    "auth.sign_in_failed": N_("failed sign-in"), "auth.signed_in": N_("signed in"),
    "definition.deployed": N_("process deployed"), "evidence.attached": N_("evidence attached"),
    "extension.granted": N_("extension granted"), "extension.refused": N_("extension refused"),
    "extension.requested": N_("extension asked for"), "incident.opened": N_("step failed (incident)"),
    "incident.resolved": N_("incident resolved"), "instance.completed": N_("process completed"),
    "instance.started": N_("process started"), "instance.variables_set": N_("process data corrected"),
    "message.received": N_("message received"), "plan.launched": N_("plan launched"),
    "reminder.before": N_("reminder before the deadline"), "reminder.due_today": N_("due-today notice"),
    "reminder.overdue": N_("overdue: escalated"), "report.requested": N_("ad-hoc report asked for"),
    "task.cancelled": N_("task cancelled"), "task.claimed": N_("task taken"), "task.completed": N_("task completed"),
    "task.created": N_("task created"), "task.handed_over": N_("task handed over"),
    "task.unclaimed": N_("task let go"), "task.waived": N_("contribution waived"),
    "template.registered": N_("template registered"), "timers.fired": N_("timer fired"),
    "token.created": N_("API token created"), "user.added": N_("user added"),
    "event.escalation": N_("escalation raised"), "event.error": N_("error raised"),
}

#: Deadline statuses as the pages colour them.
TONE = {"overdue": "late", "due_soon": "soon", "in_progress": "ok", "not_yet_due": "later", "done_on_time": "done",
        "done_late": "done-late", "completed_on_time": "done", "completed_late": "done-late", "no_deadline": "later"}


@blueprint.app_template_filter("local")
def local_time(value: datetime | None, style: str = "%H:%M %d/%m/%Y") -> str:
    return value.astimezone(LOCAL_TZ).strftime(style) if value else "—"


@blueprint.app_template_filter("words")
def words(value) -> str:
    return localized(value) if value is not None else ""


@blueprint.app_template_filter("action")
def action_words(code: str) -> str:
    return localized(ACTIONS[code]) if code in ACTIONS else code


@blueprint.app_template_filter("status")
def status_words(code: str | None) -> str:
    return status_label(code) or ""


@blueprint.app_context_processor
def page_context() -> dict:
    actor = g.get("actor")
    return {"me": actor, "language": request_locale(), "languages": LANGUAGES, "tone": TONE,
            "csrf_token": session.get("csrf", ""), "agency_names": _agency_names() if actor else {}}


def _agency_names() -> dict[str, str]:
    if "agency_names" not in g:
        with unit_of_work() as uow:
            g.agency_names = uow.agencies.names()
    return g.agency_names


def _actor():
    return g.actor


@blueprint.route("/")
def home():
    return redirect(url_for("web.work"))


@blueprint.route("/language/<code>")
def language(code: str):
    """The language switch: remembered in a cookie for a year; back to the page it was clicked on."""
    if code not in LANGUAGES:
        return _error(404)
    target = request.args.get("next") or "/"
    response = make_response(redirect(target if target.startswith("/") and not target.startswith("//") else "/"))
    response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True,
                        secure=current_app.config.get("SESSION_COOKIE_SECURE", True))
    return response


@blueprint.route("/login", methods=["GET", "POST"])
def login():
    from api.auth import start_session
    error, username, status = None, "", 401
    if request.method == "POST":
        username = request.form.get("username", "")
        sent, expected = request.form.get("csrf_token", ""), session.get("login_csrf", "")
        if not expected or not hmac.compare_digest(sent, expected):
            error = N_("The sign-in form expired; please try again.")
        else:
            try:
                result = sign_in.sign_in(unit_of_work(), clock(), username, request.form.get("password", ""),
                                         request.remote_addr)
            except TooManyAttempts as refused:
                said = localized(refused.message)  # a sentence on the page: capital first, full stop
                result, error, status = None, f"{said[:1].upper()}{said[1:]}.", 429
            else:
                error = None if result else N_("Wrong username or password.")
            if result is not None:
                start_session(*result)
                target = request.args.get("next") or url_for("web.work")
                return redirect(target if target.startswith("/") and not target.startswith("//") else "/")
    import secrets
    session["login_csrf"] = secrets.token_urlsafe(24)
    return render_template("login.html", error=error, username=username, login_csrf=session["login_csrf"]), \
        (status if error else 200)


@blueprint.route("/logout", methods=["POST"])
def logout():
    from api.auth import end_session
    end_session()
    return redirect(url_for("web.login"))


@blueprint.route("/work")
def work():
    """My work: the agency's open tasks, soonest due first, filterable by plan."""
    plan_id = request.args.get("plan", type=int)
    page = tasks.worklist(unit_of_work(), clock(), _actor(), WorklistFilter(plan_id=plan_id), per_page=200)
    plan_list = plans.list_plans(unit_of_work(), clock(), per_page=200, actor=_actor()).plans
    return render_template("work.html", page=page, plans=plan_list, plan_id=plan_id)


@blueprint.route("/tasks/<task_id>", methods=["GET", "POST"])
def task(task_id: str):
    """A task: what is asked, its form (or, for an approval, the report under review), the earlier rounds."""
    actor = _actor()
    try:
        detail = task_details.task_detail(unit_of_work(), actor, task_id)
    except NotFound:
        return _error(404)
    schema = forms.json_schema(detail.task.form_key, request_locale())
    values, errors, message = detail.draft or {}, {}, None
    if request.method == "POST" and detail.task.status == "ready":
        data, problems = web_forms.parsed(schema, request.form)
        values = data
        if problems:
            errors, message = problems, localized(N_("Some fields need another look."))
        else:
            try:
                tasks.complete_task(unit_of_work(), clock(), actor, task_id, data, request_locale())
                return redirect(url_for("web.task", task_id=task_id, done=1))
            except Invalid as error:
                errors = {key.removeprefix("data."): value for key, value in (error.errors or {}).items()}
                message = localized(error.message)
            except (Forbidden, PlanflowError) as error:
                message = localized(error.message)
    fields = web_forms.widgets(schema, values=values)
    labels = web_forms.field_labels(request_locale())
    return render_template("task.html", detail=detail, fields=fields, errors=errors, message=message, labels=labels,
                           schema=schema, done=request.args.get("done")), \
        422 if errors else 200


@blueprint.route("/evidence/<evidence_id>")
def evidence_file(evidence_id: str):
    """An evidence file: shown in the page (images and PDFs, under a sandboxing policy) or downloaded."""
    from flask import send_file

    from engine.services import evidence
    try:
        found = evidence.find_evidence(unit_of_work(), _actor(), evidence_id)
        store = EvidenceStore(Path(current_app.config["EVIDENCE_DIR"]))
        stream = store.open(found.sha256)
    except NotFound:
        return _error(404)
    inline = request.args.get("inline") == "1" and (found.content_type.startswith("image/")
                                                    or found.content_type == "application/pdf")
    response = send_file(stream, mimetype=found.content_type, as_attachment=not inline,
                         download_name=found.file_name, etag=found.sha256, max_age=0)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'" \
        + ("" if found.content_type == "application/pdf" else "; sandbox")
    return response


@blueprint.route("/plans")
def plan_list():
    page = plans.list_plans(unit_of_work(), clock(), per_page=200, actor=_actor())
    return render_template("plans.html", plans=page.plans)


@blueprint.route("/plans/new", methods=["GET", "POST"])
def launch():
    """Launch a plan from a template: the template, its parameters (agencies ticked from the directory),
    a preview of the items as they would be launched, then the launch."""
    actor = _actor()
    available = templates.list_templates(unit_of_work())
    key = request.values.get("template") or (available[0].key if available else None)
    try:
        template = templates.get_template(unit_of_work(), key) if key else None
    except NotFound:
        return _error(404)
    declared = (template or {}).get("parameters", {})
    values = {name: (request.form.getlist(name) if spec.get("type") == "agencies" else request.form.get(name, ""))
              for name, spec in declared.items()}
    errors, message, preview = {}, None, None
    if request.method == "POST":
        parameters = {name: value for name, value in values.items() if value and (not isinstance(value, str)
                                                                                  or value.strip())}
        try:
            if request.form.get("action") == "launch":
                view = launches.launch_plan(unit_of_work(), clock(), actor, key, parameters)
                return redirect(url_for("web.plan", plan_id=view.id))
            symbol, planned = launches.preview_plan(unit_of_work(), clock(), actor, key, parameters)
            preview = {"symbol": symbol, "items": planned}
        except Invalid as error:
            errors = {name.removeprefix("parameters."): value for name, value in (error.errors or {}).items()}
            message = localized(error.message)
        except PlanflowError as error:
            message = localized(error.message)
    province = (template or {}).get("province")
    with unit_of_work() as uow:
        choices = [(row.code, row.name) for row in uow.agencies.all() if row.province == province]
    return render_template("launch.html", available=available, key=key, template=template, values=values,
                           errors=errors, message=message, preview=preview, choices=choices), \
        422 if message else 200


@blueprint.route("/plans/<int:plan_id>")
def plan(plan_id: int):
    """A plan's dashboard: the counts, each item, the agencies × items matrix, completion week by week."""
    actor = _actor()
    try:
        view = plans.get_plan(unit_of_work(), clock(), plan_id, actor)
        board = dashboard.plan_dashboard(unit_of_work(), clock(), actor, plan_id)
    except NotFound:
        return _error(404)
    matrix_agencies = [entry.agency for entry in board.by_agency][:60]  # the most overdue first
    return render_template("plan.html", plan=view, board=board, matrix_agencies=matrix_agencies,
                           statuses=board.cells, chart=_chart(board.weeks))


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


@blueprint.route("/instances/<int:instance_id>")
def instance(instance_id: int):
    """A process instance: its diagram with the steps done and the current one marked, and its history."""
    actor = _actor()
    try:
        detail = instances.describe_instance(unit_of_work(), actor, instance_id)
        history = instances.instance_history(unit_of_work(), actor, instance_id)
    except NotFound:
        return _error(404)
    names = _element_names(detail)
    return render_template("instance.html", instance=detail, history=history,
                           labels=web_forms.field_labels(request_locale()),
                           names=names, done_names=[names.get(e, e) for e in detail.completed_elements if e in names],
                           active_names=[names.get(e, e) for e in detail.active_elements if e in names])


def _element_names(detail) -> dict[str, str]:
    """The diagram's element ids with their names, in the reader's language (unnamed elements left out)."""
    from lxml import etree
    names = {}
    for text in detail.bpmn.values():
        try:
            tree = etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue
        for node in tree.iter():
            if isinstance(node.tag, str) and node.get("id") and node.get("name"):
                names.setdefault(node.get("id"), localized(node.get("name")))
    return names


@blueprint.route("/instances/<int:instance_id>/diagram.bpmn")
def instance_diagram(instance_id: int):
    """The BPMN file of the instance's process, for the diagram viewer."""
    try:
        detail = instances.describe_instance(unit_of_work(), _actor(), instance_id)
    except NotFound:
        return _error(404)
    marker = f'id="{detail.key}"'
    xml = next((text for text in detail.bpmn.values() if marker in text), next(iter(detail.bpmn.values()), ""))
    response = make_response(localized_diagram(xml) if xml else xml)
    response.mimetype = "application/xml"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@blueprint.route("/audit")
def audit_page():
    """The audit log for auditors: filters, the events, the chain's verification, exports."""
    actor = _actor()
    filters = {name: request.args.get(name, "").strip() for name in ("plan", "instance", "actor", "agency",
                                                                     "action")}
    where = audit.AuditFilter(plan_id=_int(filters["plan"]), instance_id=_int(filters["instance"]),
                              actor=filters["actor"] or None, agency=filters["agency"] or None,
                              action=filters["action"] or None)
    after = request.args.get("after", 0, type=int)
    try:
        rows = audit.events(unit_of_work(), actor, where, after, 100)
    except Forbidden:
        return _error(403)
    verification = None
    if request.args.get("verify"):
        verification = audit.verify(unit_of_work(), EvidenceStore(Path(current_app.config["EVIDENCE_DIR"])), actor)
    query = "&".join(f"{name}={value}" for name, value in filters.items() if value)
    return render_template("audit.html", rows=rows, filters=filters, verification=verification, query=query,
                           next_after=rows[-1].seq if len(rows) == 100 else None)


def _int(text: str) -> int | None:
    return int(text) if text.isdigit() else None


@blueprint.route("/templates", methods=["GET", "POST"])
def template_list():
    """The templates; coordinators upload a new one, or a new version, and see any problem at its line."""
    problems, source, uploaded, name = [], [], None, None
    if request.method == "POST":
        upload = request.files.get("file")
        text = upload.read() if upload else b""
        name = (upload.filename if upload else "") or "template.yaml"
        try:
            uploaded = templates.register_template(unit_of_work(), clock(), _actor(), text, name)
        except Invalid as error:
            problems = _template_problems(error)
            source = text.decode("utf-8", "replace").splitlines()
        except Forbidden as error:
            return render_template("error.html", code=403, message=localized(error.message)), 403
    listed = templates.list_templates(unit_of_work())
    marked = {line for problem in problems if problem["line"] for line in [problem["line"]]}
    return render_template("templates.html", templates=listed, problems=problems, source=source, marked=marked,
                           uploaded=uploaded, name=name), 422 if problems else 200


def _template_problems(error: Invalid) -> list[dict]:
    found = []
    for path, messages in (error.errors or {"": [error.message]}).items():
        for message in messages:
            text = str(localized(message))
            line = re.search(r"\(line (\d+)", text) or re.search(r"line (\d+)", text)
            found.append({"path": path, "message": text, "line": int(line.group(1)) if line else None})
    return found


@blueprint.route("/templates/draft", methods=["GET", "POST"])
def template_draft():
    """Draft a template from a plan document: the document on the left with what was read from it marked,
    the draft on the right with its flags; the coordinator fixes the flagged fields and saves it."""
    from engine.drafting.writing import draft_yaml
    actor = _actor()
    context = {"draft": None, "paragraphs": [], "marks": {}, "yaml_text": "", "problems": [], "name": None,
               "message": None}
    if request.method == "POST" and request.form.get("action") == "save":
        context["yaml_text"] = request.form.get("yaml", "")
        context["name"] = request.form.get("name") or "draft.yaml"
        try:
            info = templates.register_template(unit_of_work(), clock(), actor, context["yaml_text"].encode("utf-8"),
                                               context["name"])
            return redirect(url_for("web.template_view", key=info.key))
        except Invalid as error:
            context["problems"] = _template_problems(error)
        except Forbidden as error:
            return render_template("error.html", code=403, message=localized(error.message)), 403
        return render_template("draft.html", **context), 422
    if request.method == "POST":
        upload = request.files.get("file")
        name = (upload.filename if upload else "") or "document"
        try:
            draft = templates.draft_from_document(unit_of_work(), actor, upload.read() if upload else b"", name)
        except Invalid as error:
            context["message"] = localized(error.message)
            return render_template("draft.html", **context), 422
        except Forbidden as error:
            return render_template("error.html", code=403, message=localized(error.message)), 403
        flagged = {flag.span.paragraph for flag in draft.flags if flag.span}
        marks: dict[int, str] = {}
        for item in draft.items:
            for span in item.spans.values():
                marks[span.paragraph] = "flagged" if span.paragraph in flagged else "read"
        for span in draft.spans.values():
            marks.setdefault(span.paragraph, "read")
        context.update(draft=draft, paragraphs=draft.paragraphs, marks=marks, name=name.rsplit(".", 1)[0] + ".yaml",
                       yaml_text=draft_yaml(draft, name))
    return render_template("draft.html", **context)


@blueprint.route("/templates/<key>")
def template_view(key: str):
    try:
        template = templates.get_template(unit_of_work(), key)
    except NotFound:
        return _error(404)
    return render_template("template.html", template=template)


@blueprint.route("/api/docs")
def api_docs():
    """The API's documentation: Swagger UI from the assets installed with the project, never a CDN."""
    return render_template("api_docs.html")


def _error(code: int):
    return render_template("error.html", code=code), code
