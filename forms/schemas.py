"""What each step of the standard processes collects, one schema per form key.

The BPMN user tasks name these with ``camunda:formKey``; the documentation of
workflows/bpmn/*.bpmn says which process variable each form sets. Optional
fields load to an empty default ("" / [] / {} / None) so that a form filled in
again (a second period, a reworked result) replaces every value of the last one.
Titles and descriptions live in each field's ``metadata`` for the JSON Schema.
"""
from __future__ import annotations

import json
import math
from typing import ClassVar

from marshmallow import INCLUDE, RAISE, Schema, ValidationError, validates_schema

from engine.i18n import N_, Message, t
from engine.model import tasks
from forms.fields import (
    MAX_ITEMS,
    MAX_NAME,
    Figures,
    IsoDate,
    Part,
    StrictBoolean,
    Text,
    evidence,
    has_unstorable_character,
    names,
    text,
)

MAX_KEYS = 100
MAX_BYTES = 64 * 1024
MAX_DEPTH = 20


class Form(Schema):
    """A form: a JSON object whose fields are all declared; anything else is refused."""

    class Meta:
        unknown = RAISE

    error_messages = {"type": "not_an_object", "unknown": "unknown_field"}  # noqa: RUF012 (marshmallow's API)
    #: The form's title and what it is for, in English (gettext message ids: ``in_language`` puts them in the
    #: reader's language).
    form_title: ClassVar[str | Message] = ""
    form_description: ClassVar[str | Message] = ""
    #: What the step is in the review loop (``engine.model.tasks``); None for anything else.
    kind: ClassVar[str | None] = None
    # Extra JSON Schema keywords for rules that span fields (see ApprovalForm).
    json_schema_rules: ClassVar[dict] = {}


def summary(title: str) -> Text:
    return text(title, required=True)


class UnitResult(Form):
    """One unit's report inside a multi-instance task (a contribution, a pilot, a roll-out)."""

    summary = summary(N_("Summary of the result"))
    evidence = evidence()


class Contribution(UnitResult):
    summary = summary(N_("What the agency contributed"))
    note = text(N_("Note"), N_("Anything the lead agency should know (optional)."))


class CoordinatingContributionForm(Form):
    form_title: ClassVar[str | Message] = N_("Coordinating contribution")
    kind: ClassVar[str | None] = tasks.CONTRIBUTION
    form_description: ClassVar[str | Message] = N_("A coordinating agency sends its contribution to the lead agency.")
    contribution = Part(Contribution, required=True,
                        metadata={"title": N_("Contribution")})


class ResultReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Result report")
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[str | Message] = N_("The lead agency reports the result of the item.")
    summary = summary(N_("Summary of the result"))
    outputs_done = names(N_("Outputs produced"),
                         N_("Which of the expected outputs were produced."))
    evidence = evidence()
    completed_on = IsoDate(load_default=None,
                           metadata={"title": N_("Completed on")})


class ApprovalForm(Form):
    form_title: ClassVar[str | Message] = N_("Approval")
    kind: ClassVar[str | None] = tasks.DECISION
    form_description: ClassVar[str | Message] = N_("The standing body approves the result or returns it with a reason.")
    approved = StrictBoolean(required=True, metadata={"title": N_("Approved")})
    return_reason = text(N_("Reason for returning"),
                         N_("Required when not approved; empty when approved."))
    comment = text(N_("Comment"))

    json_schema_rules: ClassVar[dict] = {
        "if": {"properties": {"approved": {"const": False}}, "required": ["approved"]},
        "then": {"required": ["return_reason"], "properties": {"return_reason": {"pattern": "\\S"}}},
        "else": {"properties": {"return_reason": {"pattern": "^\\s*$"}}},
    }

    @validates_schema
    def _reason_matches_decision(self, data: dict, **kwargs) -> None:
        if not data["approved"] and not data["return_reason"]:
            raise ValidationError("return_reason_required", field_name="return_reason")
        if data["approved"] and data["return_reason"]:
            raise ValidationError("return_reason_when_approved", field_name="return_reason")


class PeriodicReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Periodic report")
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[str | Message] = N_(
        "The lead agency reports what it did in the period that has just closed.")
    summary = summary(N_("Summary of the period"))
    period = text(N_("Period"), N_("For example 2022-Q3."), max_length=MAX_NAME)
    figures = Figures(load_default=dict, metadata={
        "title": N_("Figures"),
        "description": t("Name of each figure and its number (at most %(most)s).", most=MAX_ITEMS)})
    evidence = evidence()


class FinalReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Final report")
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[str | Message] = N_("The lead agency reports on the whole duty once it has ended.")
    summary = summary(N_("Summary of the result"))
    evidence = evidence()


class PilotReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Pilot report")
    kind: ClassVar[str | None] = tasks.UNIT_REPORT
    form_description: ClassVar[str | Message] = N_("A pilot unit reports how its pilot went.")
    pilot_result = Part(UnitResult, required=True,
                        metadata={"title": N_("Pilot result")})


class RolloutReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Roll-out report")
    kind: ClassVar[str | None] = tasks.UNIT_REPORT
    form_description: ClassVar[str | Message] = N_("A unit reports how it applied the model.")
    rollout_result = Part(UnitResult, required=True,
                          metadata={"title": N_("Roll-out result")})


class ReviewReportForm(Form):
    form_title: ClassVar[str | Message] = N_("Review report")
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[str | Message] = N_("The lead agency reports the interim or final review.")
    summary = summary(N_("Summary of the review"))
    evidence = evidence()


class PermissiveForm(Form):
    """For tasks with no form key or one we do not know (BPMN from other tools):
    any small JSON object, checked only for what the engine can store."""

    class Meta:
        unknown = INCLUDE

    form_title: ClassVar[str | Message] = N_("Form data")
    form_description: ClassVar[str | Message] = t("A JSON object of at most %(most)s fields and 64 KiB.", most=MAX_KEYS)
    json_schema_rules: ClassVar[dict] = {"maxProperties": MAX_KEYS}

    @validates_schema
    def _storable(self, data: dict, **kwargs) -> None:
        if len(data) > MAX_KEYS:
            raise ValidationError("too_many_keys")
        problem = _json_problem(data, "", depth=0)
        if problem:
            raise ValidationError(problem[1], field_name=problem[0] or "_schema")
        if len(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")) > MAX_BYTES:
            raise ValidationError("too_large")


def _json_problem(value: object, path: str, depth: int) -> tuple[str, str] | None:
    """The first (path, code) that stops ``value`` from being stored as JSON, if any."""
    if depth > MAX_DEPTH:
        return path, "too_deep"
    if value is None or isinstance(value, bool | int):
        return None
    if isinstance(value, float):
        return None if math.isfinite(value) else (path, "not_a_number")
    if isinstance(value, str):
        return (path, "bad_character") if has_unstorable_character(value) else None
    if isinstance(value, list | tuple):
        items = ((f"{path}[{index}]", item) for index, item in enumerate(value))
    elif isinstance(value, dict):
        if any(not isinstance(key, str) or has_unstorable_character(key) for key in value):
            return path, "key_not_text"
        items = ((f"{path}.{key}" if path else key, item) for key, item in value.items())
    else:
        return path, "not_json"
    for item_path, item in items:
        problem = _json_problem(item, item_path, depth + 1)
        if problem:
            return problem
    return None


FORMS: dict[str, type[Form]] = {
    "coordinating_contribution": CoordinatingContributionForm,
    "result_report": ResultReportForm,
    "approval": ApprovalForm,
    "periodic_report": PeriodicReportForm,
    "final_report": FinalReportForm,
    "pilot_report": PilotReportForm,
    "rollout_report": RolloutReportForm,
    "review_report": ReviewReportForm,
}
