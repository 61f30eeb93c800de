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

from engine.model import tasks
from forms.fields import (
    MAX_ITEMS,
    MAX_NAME,
    Figures,
    IsoDate,
    Part,
    StrictBoolean,
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
    form_title: ClassVar[dict[str, str]] = {}
    form_description: ClassVar[dict[str, str]] = {}
    #: What the step is in the review loop (``engine.model.tasks``); None for anything else.
    kind: ClassVar[str | None] = None
    # Extra JSON Schema keywords for rules that span fields (see ApprovalForm).
    json_schema_rules: ClassVar[dict] = {}


def summary(vi: str, en: str) -> object:
    return text({"vi": vi, "en": en}, required=True)


class UnitResult(Form):
    """One unit's report inside a multi-instance task (a contribution, a pilot, a roll-out)."""

    summary = summary("Tóm tắt kết quả", "Summary of the result")
    evidence = evidence()


class Contribution(UnitResult):
    summary = summary("Nội dung phối hợp", "What the agency contributed")
    note = text({"vi": "Ghi chú", "en": "Note"},
                {"vi": "Điều cơ quan chủ trì cần lưu ý (không bắt buộc).",
                 "en": "Anything the lead agency should know (optional)."})


class CoordinatingContributionForm(Form):
    form_title: ClassVar[dict] = {"vi": "Ý kiến phối hợp", "en": "Coordinating contribution"}
    kind: ClassVar[str | None] = tasks.CONTRIBUTION
    form_description: ClassVar[dict] = {"vi": "Cơ quan phối hợp gửi phần đóng góp của mình cho cơ quan chủ trì.",
                        "en": "A coordinating agency sends its contribution to the lead agency."}
    contribution = Part(Contribution, required=True,
                        metadata={"title": {"vi": "Phần đóng góp", "en": "Contribution"}})


class ResultReportForm(Form):
    form_title: ClassVar[dict] = {"vi": "Báo cáo kết quả thực hiện", "en": "Result report"}
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[dict] = {"vi": "Cơ quan chủ trì báo cáo kết quả thực hiện nội dung.",
                        "en": "The lead agency reports the result of the item."}
    summary = summary("Tóm tắt kết quả", "Summary of the result")
    outputs_done = names({"vi": "Sản phẩm đã hoàn thành", "en": "Outputs produced"},
                         {"vi": "Những sản phẩm dự kiến nào đã làm xong.",
                          "en": "Which of the expected outputs were produced."})
    evidence = evidence()
    completed_on = IsoDate(load_default=None,
                           metadata={"title": {"vi": "Ngày hoàn thành", "en": "Completed on"}})


class ApprovalForm(Form):
    form_title: ClassVar[dict] = {"vi": "Phê duyệt kết quả", "en": "Approval"}
    kind: ClassVar[str | None] = tasks.DECISION
    form_description: ClassVar[dict] = {"vi": "Cơ quan thường trực phê duyệt hoặc trả lại kết quả kèm lý do.",
                        "en": "The standing body approves the result or returns it with a reason."}
    approved = StrictBoolean(required=True, metadata={"title": {"vi": "Phê duyệt", "en": "Approved"}})
    return_reason = text({"vi": "Lý do trả lại", "en": "Reason for returning"},
                         {"vi": "Bắt buộc khi không phê duyệt; để trống khi phê duyệt.",
                          "en": "Required when not approved; empty when approved."})
    comment = text({"vi": "Ý kiến", "en": "Comment"})

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
    form_title: ClassVar[dict] = {"vi": "Báo cáo định kỳ", "en": "Periodic report"}
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[dict] = {"vi": "Cơ quan chủ trì báo cáo việc đã làm trong kỳ vừa chốt số liệu.",
                        "en": "The lead agency reports what it did in the period that has just closed."}
    summary = summary("Tóm tắt kết quả trong kỳ", "Summary of the period")
    period = text({"vi": "Kỳ báo cáo", "en": "Period"}, {"vi": "Ví dụ: 2022-Q3.", "en": "For example 2022-Q3."},
                  max_length=MAX_NAME)
    figures = Figures(load_default=dict, metadata={
        "title": {"vi": "Số liệu", "en": "Figures"},
        "description": {"vi": f"Tên chỉ tiêu và con số (tối đa {MAX_ITEMS} chỉ tiêu).",
                        "en": f"Name of each figure and its number (at most {MAX_ITEMS})."}})
    evidence = evidence()


class FinalReportForm(Form):
    form_title: ClassVar[dict] = {"vi": "Báo cáo kết thúc nhiệm vụ", "en": "Final report"}
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[dict] = {"vi": "Cơ quan chủ trì báo cáo toàn bộ nhiệm vụ khi đã hết thời hạn.",
                        "en": "The lead agency reports on the whole duty once it has ended."}
    summary = summary("Tóm tắt kết quả", "Summary of the result")
    evidence = evidence()


class PilotReportForm(Form):
    form_title: ClassVar[dict] = {"vi": "Báo cáo triển khai điểm", "en": "Pilot report"}
    kind: ClassVar[str | None] = tasks.UNIT_REPORT
    form_description: ClassVar[dict] = {"vi": "Đơn vị làm điểm báo cáo kết quả xây dựng mô hình.",
                        "en": "A pilot unit reports how its pilot went."}
    pilot_result = Part(UnitResult, required=True,
                        metadata={"title": {"vi": "Kết quả làm điểm", "en": "Pilot result"}})


class RolloutReportForm(Form):
    form_title: ClassVar[dict] = {"vi": "Báo cáo nhân rộng", "en": "Roll-out report"}
    kind: ClassVar[str | None] = tasks.UNIT_REPORT
    form_description: ClassVar[dict] = {"vi": "Đơn vị báo cáo kết quả áp dụng mô hình.",
                        "en": "A unit reports how it applied the model."}
    rollout_result = Part(UnitResult, required=True,
                          metadata={"title": {"vi": "Kết quả nhân rộng", "en": "Roll-out result"}})


class ReviewReportForm(Form):
    form_title: ClassVar[dict] = {"vi": "Báo cáo sơ kết, tổng kết", "en": "Review report"}
    kind: ClassVar[str | None] = tasks.REPORT
    form_description: ClassVar[dict] = {"vi": "Cơ quan chủ trì báo cáo sơ kết hoặc tổng kết.",
                        "en": "The lead agency reports the interim or final review."}
    summary = summary("Tóm tắt kết quả", "Summary of the review")
    evidence = evidence()


class PermissiveForm(Form):
    """For tasks with no form key or one we do not know (BPMN from other tools):
    any small JSON object, checked only for what the engine can store."""

    class Meta:
        unknown = INCLUDE

    form_title: ClassVar[dict] = {"vi": "Dữ liệu biểu mẫu", "en": "Form data"}
    form_description: ClassVar[dict] = {"vi": f"Một đối tượng JSON, tối đa {MAX_KEYS} trường và 64 KiB.",
                        "en": f"A JSON object of at most {MAX_KEYS} fields and 64 KiB."}
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
