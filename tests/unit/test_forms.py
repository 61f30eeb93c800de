"""The forms filled in at each step: what they accept, what they refuse and in which words."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pytest

from engine.errors import Invalid
from forms import FORM_KEYS, evidence_ids, json_schema, validate_form

BPMN = Path(__file__).resolve().parents[2] / "workflows" / "bpmn"
PHOTO = "3f2a9c0e8b7d4e1f9a6b5c4d3e2f1a0b"
MINUTES = "0a1b2c3d4e5f60718293a4b5c6d7e8f9"

GOOD = {
    "coordinating_contribution": {"contribution": {"summary": "Đã cử 2 cán bộ tham gia tuyên truyền.",
                                                   "evidence": [PHOTO], "note": "Xem ảnh kèm theo."}},
    "result_report": {"summary": "Đã tổ chức hội thảo tại Công an tỉnh.", "outputs_done": ["Hội thảo"],
                      "evidence": [PHOTO, MINUTES], "completed_on": "2022-09-28"},
    "approval": {"approved": False, "return_reason": "Thiếu biên bản hội thảo.", "comment": ""},
    "periodic_report": {"summary": "Tuyên truyền tại 12 xã.", "period": "2022-Q3",
                        "figures": {"Số buổi tuyên truyền": 12, "Tỷ lệ xã tham gia": 0.8}, "evidence": [PHOTO]},
    "final_report": {"summary": "Hoàn thành nhiệm vụ năm 2022.", "evidence": [MINUTES]},
    "pilot_report": {"pilot_result": {"summary": "Mô hình điểm tại huyện Ý Yên đã vận hành.", "evidence": [PHOTO]}},
    "rollout_report": {"rollout_result": {"summary": "Đã áp dụng mô hình.", "evidence": []}},
    "review_report": {"summary": "Sơ kết 6 tháng triển khai điểm.", "evidence": [MINUTES]},
    None: {"ghi_chu": "Biểu mẫu của công cụ khác", "so_lieu": [1, 2.5, {"a": None, "b": True}]},
}

# Each form with one required field left out, and the path of that field.
MISSING = {
    "coordinating_contribution": ({"contribution": {"evidence": [PHOTO]}}, "contribution.summary"),
    "result_report": ({"evidence": [PHOTO]}, "summary"),
    "approval": ({"comment": "Chưa quyết."}, "approved"),
    "periodic_report": ({"period": "2022-Q3"}, "summary"),
    "final_report": ({"evidence": []}, "summary"),
    "pilot_report": ({}, "pilot_result"),
    "rollout_report": ({"rollout_result": {}}, "rollout_result.summary"),
    "review_report": ({}, "summary"),
}


def errors_of(form_key: str | None, data: object, locale: str = "vi") -> dict[str, list[str]]:
    with pytest.raises(Invalid) as refused:
        validate_form(form_key, data, locale)
    return refused.value.errors


def test_every_form_key_of_the_standard_processes_has_a_form():
    used = {key for path in BPMN.glob("*.bpmn") for key in re.findall(r'formKey="([^"]+)"', path.read_text())}
    assert used == set(FORM_KEYS)


# Good data comes back cleaned.

@pytest.mark.parametrize("form_key", FORM_KEYS)
def test_each_form_accepts_its_good_example_unchanged(form_key):
    assert validate_form(form_key, GOOD[form_key]) == GOOD[form_key]


@pytest.mark.parametrize("form_key", [*FORM_KEYS, None])
def test_cleaned_data_survives_a_json_round_trip(form_key):
    cleaned = validate_form(form_key, GOOD[form_key])
    assert json.loads(json.dumps(cleaned)) == cleaned


def test_a_contribution_summary_is_stripped_of_surrounding_whitespace():
    cleaned = validate_form("coordinating_contribution", {"contribution": {"summary": "  Đã phối hợp.\n"}})
    assert cleaned["contribution"]["summary"] == "Đã phối hợp."


def test_a_contribution_left_short_comes_back_with_empty_evidence_and_note():
    cleaned = validate_form("coordinating_contribution", {"contribution": {"summary": "Đã phối hợp."}})
    assert cleaned == {"contribution": {"summary": "Đã phối hợp.", "evidence": [], "note": ""}}


def test_a_periodic_report_left_short_replaces_every_field_of_the_last_period():
    cleaned = validate_form("periodic_report", {"summary": "Không phát sinh."})
    assert cleaned == {"summary": "Không phát sinh.", "period": "", "figures": {}, "evidence": []}


def test_a_result_report_without_a_completion_date_stores_none():
    assert validate_form("result_report", {"summary": "Xong."})["completed_on"] is None


def test_approving_stores_an_empty_return_reason():
    assert validate_form("approval", {"approved": True}) == {"approved": True, "return_reason": "", "comment": ""}


def test_a_summary_of_exactly_twenty_thousand_characters_is_accepted():
    assert len(validate_form("final_report", {"summary": "a" * 20_000})["summary"]) == 20_000


# Required fields, types and unknown fields.

def test_a_contribution_without_a_summary_is_refused_in_vietnamese():
    assert errors_of("coordinating_contribution", {"contribution": {}}) == {
        "contribution.summary": ["Trường này là bắt buộc."]}


def test_a_missing_contribution_is_refused_in_english():
    assert errors_of("coordinating_contribution", {}, "en") == {"contribution": ["This field is required."]}


def test_a_blank_summary_is_refused():
    assert errors_of("review_report", {"summary": "   "}) == {"summary": ["Trường này không được để trống."]}


def test_a_summary_that_is_not_text_is_refused():
    assert errors_of("final_report", {"summary": 42}, "en") == {"summary": ["This must be text."]}


def test_approved_given_as_the_string_true_is_refused():
    assert errors_of("approval", {"approved": "true"}) == {
        "approved": ["Giá trị phải là đúng (true) hoặc sai (false)."]}


def test_approved_given_as_the_number_one_is_refused():
    assert errors_of("approval", {"approved": 1}, "en") == {"approved": ["This must be true or false."]}


def test_evidence_given_as_a_single_string_is_refused():
    assert errors_of("final_report", {"summary": "Xong.", "evidence": PHOTO}, "en") == {
        "evidence": ["This must be a list."]}


def test_an_impossible_completion_date_is_refused_in_english():
    assert errors_of("result_report", {"summary": "Xong.", "completed_on": "2022-02-30"}, "en") == {
        "completed_on": ["Not a valid date; write it as YYYY-MM-DD, e.g. 2022-09-30."]}


def test_a_completion_date_written_the_vietnamese_way_is_refused():
    assert list(errors_of("result_report", {"summary": "Xong.", "completed_on": "28/09/2022"})) == ["completed_on"]


def test_a_figure_that_is_not_a_number_is_refused_under_its_name():
    assert errors_of("periodic_report", {"summary": "Q3", "figures": {"Số xã": "12"}}) == {
        "figures.Số xã": ["Giá trị phải là một số."]}


def test_a_figure_given_as_true_is_refused():
    assert list(errors_of("periodic_report", {"summary": "Q3", "figures": {"Có": True}})) == ["figures.Có"]


def test_an_unknown_field_is_refused():
    assert errors_of("approval", {"approved": True, "score": 9}) == {"score": ["Biểu mẫu này không có trường này."]}


def test_an_unknown_field_inside_a_pilot_result_is_refused_in_english():
    data = {"pilot_result": {"summary": "Tốt.", "rating": 5}}
    assert errors_of("pilot_report", data, "en") == {"pilot_result.rating": ["This form has no such field."]}


def test_form_data_that_is_not_an_object_is_refused_for_the_whole_form():
    assert errors_of("final_report", ["Xong."], "en") == {"": ["This must be a JSON object (names and values)."]}


def test_a_nul_character_in_a_summary_is_refused():
    assert list(errors_of("final_report", {"summary": "Xong.\x00"})) == ["summary"]


# Evidence ids.

def test_an_uppercase_evidence_id_is_refused_at_its_index():
    data = {"summary": "Xong.", "evidence": [PHOTO, MINUTES.upper()]}
    assert errors_of("final_report", data) == {"evidence[1]": [
        "Mã minh chứng không hợp lệ: hãy dùng mã 32 ký tự (0–9, a–f) nhận được khi tải tệp lên."]}


def test_an_evidence_id_with_a_trailing_newline_is_refused():
    data = {"rollout_result": {"summary": "Xong.", "evidence": [PHOTO + "\n"]}}
    assert list(errors_of("rollout_report", data)) == ["rollout_result.evidence[0]"]


def test_twenty_one_evidence_files_are_refused():
    data = {"summary": "Xong.", "evidence": [f"{n:032x}" for n in range(21)]}
    assert errors_of("final_report", data, "en") == {"evidence": ["At most 20 evidence files per field."]}


def test_the_same_evidence_listed_twice_is_refused():
    assert list(errors_of("final_report", {"summary": "Xong.", "evidence": [PHOTO, PHOTO]})) == ["evidence"]


def test_the_evidence_of_a_contribution_is_found_inside_it():
    cleaned = validate_form("coordinating_contribution", GOOD["coordinating_contribution"])
    assert evidence_ids("coordinating_contribution", cleaned) == [PHOTO]


def test_the_evidence_of_a_result_report_is_listed_in_order():
    assert evidence_ids("result_report", validate_form("result_report", GOOD["result_report"])) == [PHOTO, MINUTES]


def test_the_permissive_form_refers_to_no_evidence():
    assert evidence_ids(None, {"evidence": [PHOTO]}) == []


# Length.

def test_a_summary_over_twenty_thousand_characters_is_refused_in_vietnamese():
    assert errors_of("final_report", {"summary": "a" * 20_001}) == {"summary": ["Văn bản dài quá 20.000 ký tự."]}


def test_a_note_over_twenty_thousand_characters_is_refused_in_english():
    data = {"contribution": {"summary": "Xong.", "note": "a" * 20_001}}
    assert errors_of("coordinating_contribution", data, "en") == {
        "contribution.note": ["The text is longer than 20,000 characters."]}


# The return-reason rule.

def test_returning_a_result_without_a_reason_is_refused_in_vietnamese():
    assert errors_of("approval", {"approved": False}) == {
        "return_reason": ["Phải nêu lý do trả lại khi không phê duyệt."]}


def test_returning_a_result_without_a_reason_is_refused_in_english():
    assert errors_of("approval", {"approved": False}, "en") == {
        "return_reason": ["Give the reason for returning the result when it is not approved."]}


def test_returning_a_result_with_a_blank_reason_is_refused():
    assert list(errors_of("approval", {"approved": False, "return_reason": "  \n"})) == ["return_reason"]


def test_approving_with_a_return_reason_is_refused():
    assert errors_of("approval", {"approved": True, "return_reason": "Thiếu biên bản."}) == {
        "return_reason": ["Khi đã phê duyệt thì để trống lý do trả lại."]}


# The one-sentence message and the locale.

def test_the_message_names_the_field_by_its_vietnamese_title():
    with pytest.raises(Invalid) as refused:
        validate_form("approval", {"approved": False})
    assert refused.value.message == "Trường “Lý do trả lại” chưa hợp lệ: phải nêu lý do trả lại khi không phê duyệt."


def test_the_message_counts_the_invalid_fields_in_english():
    with pytest.raises(Invalid) as refused:
        validate_form("result_report", {"completed_on": "soon", "extra": 1}, "en")
    assert refused.value.message.startswith("The form has 3 invalid fields; “Summary of the result”: ")


def test_a_regional_english_locale_gets_english():
    assert errors_of("review_report", {}, "en-GB") == {"summary": ["This field is required."]}


def test_an_unsupported_locale_gets_vietnamese():
    assert errors_of("review_report", {}, "fr") == {"summary": ["Trường này là bắt buộc."]}


# The permissive form.

def test_a_task_without_a_form_key_takes_any_small_object():
    assert validate_form(None, GOOD[None]) == GOOD[None]


def test_an_unknown_form_key_takes_any_small_object():
    assert validate_form("camunda_generated_form", {"x": 1}) == {"x": 1}


def test_the_permissive_form_refuses_more_than_a_hundred_keys():
    assert errors_of(None, {f"k{n}": n for n in range(101)}, "en") == {"": ["The form has more than 100 fields."]}


def test_the_permissive_form_refuses_data_over_64_kib():
    assert errors_of(None, {"text": "a" * 65_536}) == {"": ["Dữ liệu biểu mẫu vượt quá 64 KiB."]}


def test_the_permissive_form_refuses_a_value_json_cannot_hold_at_its_path():
    assert errors_of(None, {"rows": [1, {"when": {1, 2}}]}, "en") == {
        "rows[1].when": ["This value cannot be written as JSON."]}


def test_the_permissive_form_refuses_infinity():
    assert list(errors_of(None, {"ratio": float("inf")})) == ["ratio"]


def test_the_permissive_form_refuses_data_nested_deeper_than_twenty_levels():
    deep: object = "đáy"
    for _ in range(25):
        deep = [deep]
    assert errors_of(None, {"deep": deep}, "en")[f"deep{'[0]' * 20}"] == [
        "The data is nested more than 20 levels deep."]


# The JSON Schema the UI renders.

@pytest.mark.parametrize("form_key", [*FORM_KEYS, None])
def test_the_json_schema_of_every_form_is_valid_draft_2020_12(form_key):
    jsonschema.Draft202012Validator.check_schema(json_schema(form_key))


@pytest.mark.parametrize("form_key", [*FORM_KEYS, None])
def test_the_json_schema_accepts_the_good_example(form_key):
    assert jsonschema.Draft202012Validator(json_schema(form_key)).is_valid(GOOD[form_key])


@pytest.mark.parametrize("form_key", FORM_KEYS)
def test_the_json_schema_rejects_a_missing_required_field(form_key):
    data, path = MISSING[form_key]
    (error,) = jsonschema.Draft202012Validator(json_schema(form_key)).iter_errors(data)
    assert (error.validator, error.message) == ("required", f"'{path.split('.')[-1]}' is a required property")


def test_the_json_schema_agrees_with_the_forms_on_each_missing_field():
    for form_key, (data, path) in MISSING.items():
        assert path in errors_of(form_key, data), form_key


def test_the_json_schema_requires_a_return_reason_when_not_approved():
    assert not jsonschema.Draft202012Validator(json_schema("approval")).is_valid({"approved": False})


def test_the_json_schema_refuses_an_uppercase_evidence_id():
    validator = jsonschema.Draft202012Validator(json_schema("final_report"))
    assert not validator.is_valid({"summary": "Xong.", "evidence": [PHOTO.upper()]})


def test_the_json_schema_refuses_an_unknown_field():
    assert not jsonschema.Draft202012Validator(json_schema("review_report")).is_valid({"summary": "x", "y": 1})


def test_the_completion_date_is_a_date_in_the_json_schema():
    assert json_schema("result_report")["properties"]["completed_on"]["format"] == "date"


def test_the_json_schema_limits_the_summary_to_twenty_thousand_characters():
    assert json_schema("review_report")["properties"]["summary"]["maxLength"] == 20_000


def test_the_json_schema_titles_the_summary_in_vietnamese_by_default():
    assert json_schema("result_report")["properties"]["summary"]["title"] == "Tóm tắt kết quả"


def test_the_json_schema_titles_the_summary_in_english_when_asked():
    assert json_schema("result_report", "en")["properties"]["summary"]["title"] == "Summary of the result"


def test_the_json_schema_of_the_permissive_form_allows_any_field():
    assert json_schema(None)["additionalProperties"] is True
