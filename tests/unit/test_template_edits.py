"""A template as a form gives it, and back: what the form does not change stays as it was, another kind of time
chooses its process again, each problem of the template finds its field, and the check's words read in
Vietnamese."""
from __future__ import annotations

import pytest

from engine.errors import Invalid
from engine.i18n import in_language
from engine.templates import validate_template
from engine.templates.edits import field_of, form_of, template_of, template_text
from engine.templates.messages import without_line

TEMPLATE = {
    "key": "qng-91", "name": "Tuyên truyền năm 2022", "document_type": "plan", "province": "QNG",
    "issuer": "QNG-UBND", "symbol": "{number}/KH-UBND", "standing_body": "QNG-CA", "reporting": {"to": "QNG-CA"},
    "parameters": {"number": {"type": "string", "default": "91"}},
    "items": [
        {"number": "1", "title": "Tuyên truyền", "process": "plan_item", "lead": "QNG-STTTT",
         "coordinating": {"groups": ["departments", "districts"]},
         "schedule": {"text": "trong tháng 8/2022", "window": {"month": 8, "year": "2022"}}},
        {"number": "2", "title": "Kiểm tra", "items": [
            {"number": "2.1", "title": "Kiểm tra định kỳ", "process": "continuous_duty",
             "performers": [{"groups": ["departments"]}, "QNG-CA"], "outputs": ["Báo cáo"],
             "schedule": {"text": "thường xuyên", "continuous": {"until": "2022-12-31", "since": "2022-06-01"},
                          "reporting": "quarterly"}}]},
    ],
}


def test_a_form_left_as_it_was_gives_the_template_back():
    assert template_of(TEMPLATE, form_of(TEMPLATE)) == TEMPLATE


def test_another_kind_of_time_chooses_its_process_again_and_the_edits_land_where_they_were_made():
    form = form_of(TEMPLATE)
    form["standing_body"] = "QNG-STP"
    form["items"]["items[1].items[0]"].update(when="deadline", deadline="2022-10-01", lead="QNG-STP",
                                              coordinating=["groups:communes", "QNG-SNV"])
    made = template_of(TEMPLATE, form)
    item = made["items"][1]["items"][0]
    assert (item["process"], item["schedule"]) == ("plan_item", {"text": "thường xuyên", "deadline": "2022-10-01"})
    assert (item["lead"], "performers" in item) == ("QNG-STP", False)
    assert item["coordinating"] == [{"groups": ["communes"]}, "QNG-SNV"]
    assert (made["standing_body"], made["reporting"]["to"]) == ("QNG-STP", "QNG-STP")
    assert made["items"][0] == TEMPLATE["items"][0] and TEMPLATE["items"][1]["items"][0]["process"] == "continuous_duty"


@pytest.mark.parametrize(("path", "field"), [
    ("items[0].performers", "items[0].lead"), ("items[1].items[0].schedule.window.month", "items[1].items[0].schedule"),
    ("items[0].coordinating[1]", "items[0].coordinating"), ("items[0].process", "items[0]"),
    ("parameters.issued_on.default", "issued_on"), ("reporting.to", "standing_body"), ("key", ""),
])
def test_each_problem_of_the_template_finds_the_field_of_the_form_it_is_about(path, field):
    assert field_of(path) == field


def test_the_checks_words_read_in_vietnamese_without_the_line_a_form_does_not_show():
    form = form_of(TEMPLATE)
    form["items"]["items[0]"].update(lead="Sở Thông tin Truyền thông", month="13")
    with pytest.raises(Invalid) as refused:
        validate_template(template_text(template_of(TEMPLATE, form)), None, set())
    errors = {path: [in_language(without_line(message)) for message in messages]
              for path, messages in refused.value.errors.items()}
    assert errors["items[0].lead"][0].startswith("'Sở Thông tin Truyền thông' không phải là mã cơ quan")
    assert errors["items[0].schedule.window.month"] == ["Phải từ 1 đến 12."]
    assert "(line " in refused.value.errors["items[0].lead"][0]  # the file's line, kept for the YAML upload
