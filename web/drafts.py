"""Reviewing a template drafted from a plan document: the document on one side with what was read from it
marked, on the other a form of the template (its header, each item's lead, coordinating agencies, time and
outputs) with each flag and problem at its field; saved whatever it holds, registered once it holds no
problem, and then launched. The YAML stays at hand for an expert."""
from __future__ import annotations

from urllib.parse import quote

from flask import Response, current_app, redirect, render_template, request, url_for

from engine.errors import Invalid, PlanflowError
from engine.i18n import N_
from engine.model import policy
from engine.services import directory, drafts
from frontdoor.context import actor, clock, unit_of_work
from frontdoor.i18n import localized, request_locale
from web.blueprint import blueprint
from web.plan_templates import template_problems

HEADER = ("name", "issuer", "standing_body", "number", "issued_on", "symbol")
ITEM = ("number", "title", "lead", "when", "words", "deadline", "month", "year", "until")
#: The groups a plan names as a whole, as the form offers them.
GROUPS = {"departments": N_("the departments, boards and sectors"),
          "districts": N_("the People's Committees of the districts, towns and cities"),
          "communes": N_("the People's Committees of the communes and wards"),
          "mass_organisations": N_("the mass organisations")}
#: The fields of the form by name, as a list of problems names them.
FIELD_WORDS = {"name": N_("Name"), "issuer": N_("Issued by"), "standing_body": N_("Standing body"),
               "number": N_("Plan number"), "item_number": N_("Item number"), "issued_on": N_("Issued on"),
               "symbol": N_("Symbol"), "title": N_("Content"), "lead": N_("Lead agency"),
               "coordinating": N_("Coordinating agencies"), "schedule": N_("Time"), "outputs": N_("Outputs")}
#: Where in the document each field of the form was read from: the draft's names of its spans, in order.
HEADER_SPANS = {"name": ("name",), "issuer": ("issuer",), "standing_body": ("standing_body",),
                "number": ("number",), "issued_on": ("issued_on",), "symbol": ("number",)}
ITEM_SPANS = {"number": ("title",), "title": ("title",), "lead": ("lead", "performers", "agency", "assignment"),
              "coordinating": ("coordinating", "assignment"), "schedule": ("schedule", "time", "assignment"),
              "outputs": ("outputs",)}


@blueprint.route("/templates/drafts/<int:draft_id>", methods=["GET", "POST"])
def template_draft_review(draft_id: int):
    """The draft's review: saving keeps the form whatever it holds and shows each problem at its field;
    registering makes it a template, then offers to launch it."""
    review = drafts.review_draft(unit_of_work(), actor(), draft_id)
    if request.method == "GET":
        return _page(review, done=request.args.get("done"))
    action, expert, message = request.form.get("action"), {}, None
    try:
        if action == "register_yaml":
            review = drafts.register_draft_text(unit_of_work(), clock(), actor(), draft_id,
                                                request.form.get("yaml", ""))
        else:
            use = drafts.register_draft if action == "register" else drafts.save_edits
            review = use(unit_of_work(), clock(), actor(), draft_id, _posted(review))
    except Invalid as error:
        if action != "register_yaml":
            raise
        expert = {"problems": template_problems(error), "text": request.form.get("yaml", "")}  # each at its line
    except PlanflowError as error:  # not the actor's to register (another province's template), changed meanwhile
        if error.status == 404:
            raise
        message = localized(error.message)
    if review.problems or expert or message:
        return _page(review, expert=expert, message=message), 422
    done = "registered" if action in ("register", "register_yaml") else "saved"
    return redirect(url_for("web.template_draft_review", draft_id=draft_id, done=done))


@blueprint.route("/templates/drafts/<int:draft_id>/template.yaml")
def template_draft_yaml(draft_id: int):
    """The template the form makes, as YAML with the document's sentences in comments: to download."""
    review = drafts.review_draft(unit_of_work(), actor(), draft_id)
    name = review.file_name.rsplit(".", 1)[0] + ".yaml"
    return Response(drafts.draft_yaml(review, request_locale()), mimetype="application/x-yaml",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name, safe='')}"})


def _posted(review: drafts.DraftReview) -> dict:
    """The form's values as sent: the header's, and each item's under its path."""
    form = request.form
    values: dict = {name: form.get(name, "").strip() for name in HEADER}
    values["items"] = {}
    for item in review.items:
        here = {name: form.get(f"{item.path}.{name}", "").strip() for name in ITEM}
        if item.heading:
            here = {"number": here["number"], "title": here["title"]}
        else:
            here["coordinating"] = [value for value in form.getlist(f"{item.path}.coordinating") if value]
            here["outputs"] = [line.strip() for line in form.get(f"{item.path}.outputs", "").splitlines()
                               if line.strip()]
        values["items"][item.path] = here
    return values


def _page(review: drafts.DraftReview, **extra):
    province = review.draft.template.get("province") or review.province
    choices = directory.agencies_of_province(unit_of_work(), province, review.day)
    known = {code for code, _ in choices}
    parameters = {name: spec.get("label") or name for name, spec in
                  (review.draft.template.get("parameters") or {}).items() if spec.get("type") == "agencies"}
    return render_template(
        "draft_review.html", review=review, form=review.form, choices=choices, known=known,
        groups={f"groups:{name}": localized(words) for name, words in GROUPS.items()},
        parameters={f"param:{name}": label for name, label in parameters.items()},
        field_words={name: localized(words) for name, words in FIELD_WORDS.items()}, sources=_sources(review),
        doubtful=_doubtful(review), marks=_marks(review.draft),
        add_agency=_add_agency(province), yaml_text=drafts.draft_yaml(review, request_locale()),
        **extra)


def _sources(review: drafts.DraftReview) -> dict:
    """The span of the document each field of the form was read from, by the field's name."""
    found = {field: span for field, names in HEADER_SPANS.items()
             if (span := next((review.draft.spans[n] for n in names if review.draft.spans.get(n)), None))}
    for item in review.items:
        for field, names in ITEM_SPANS.items():
            span = next((item.spans[name] for name in names if item.spans.get(name)), None)
            if span is not None:
                found[f"{item.path}.{field}"] = span
    return found


def _doubtful(review: drafts.DraftReview) -> set[str]:
    """The fields the draft inferred rather than read from an explicit phrase: to look at again."""
    return {f"{item.path}.{field}" for item in review.items for field, names in ITEM_SPANS.items()
            if any(item.confidence.get(name, 1.0) < 1.0 for name in names)}


@blueprint.app_template_filter("draft_who")
def who_words(value: str, groups: dict, parameters: dict, names: dict) -> str:
    """Who a form's value of a lead or performers names, in words: the groups, parameters and agencies."""
    parts = value.removeprefix("each:").split("|") if value.startswith("each:") else [value]
    words: list[str] = []
    for part in parts:
        if part.startswith("groups:"):
            words += [groups.get(f"groups:{group}", group) for group in part.removeprefix("groups:").split(",")]
        else:
            words.append(parameters.get(part) or names.get(part, part))
    return "; ".join(words)


def _marks(draft) -> dict[int, str]:
    """Each paragraph something was read from: "flagged" where a flag points at it, else "read"."""
    read = [span for item in draft.items for span in item.spans.values()] + list(draft.spans.values())
    marks = {span.paragraph: "read" for span in read if span is not None}
    marks.update({flag.span.paragraph: "flagged" for flag in draft.flags if flag.span is not None})
    return marks


def _add_agency(province: str | None) -> str | None:
    """The administrators' page that adds a body to the directory, where there is one and the reader may."""
    if "web.admin_agencies" not in current_app.view_functions or not policy.may_manage_people(actor()):
        return None
    return url_for("web.admin_agencies", province=province, _anchor="add-title")
