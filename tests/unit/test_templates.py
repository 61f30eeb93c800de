"""A template is checked before it is stored: each problem named by field path and line."""
import time

import pytest

from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.services import launches, plans, templates
from tests.conftest import TEMPLATES

SOURCE = (TEMPLATES / "qng-249-kh-bcd138.yaml").read_text(encoding="utf-8")


def refused(uow, text):
    with pytest.raises(Invalid) as caught:
        templates.check_template(uow, text, "broken.yaml")
    return caught.value


def line_of(text, fragment):
    return text[:text.index(fragment)].count("\n") + 1


def test_the_seed_template_of_plan_249_is_valid(uow, agencies, standard_processes):
    valid = templates.check_template(uow, SOURCE, "qng-249-kh-bcd138.yaml")
    assert valid.key == "qng-249-kh-bcd138"


def test_an_item_without_lead_or_performers_is_refused_at_its_line(uow, agencies, standard_processes):
    text = SOURCE.replace("    lead: QNG-STTTT\n", "")
    error = refused(uow, text)
    assert "items[2].lead" in error.errors
    assert "name either a lead agency" in error.errors["items[2].lead"][0]
    assert "(line" in error.errors["items[2].lead"][0]


def test_an_unknown_process_is_refused_naming_the_known_ones(uow, agencies, standard_processes):
    text = SOURCE.replace("process: plan_item\n    lead: QNG-CA\n    coordinating: [{param: relevant_units}]   #"
                          " \"phối hợp các đơn vị, địa phương có liên quan\"",
                          "process: plan_itme\n    lead: QNG-CA\n    coordinating: [{param: relevant_units}]", 1)
    error = refused(uow, text)
    assert error.errors["items[3].process"] == [
        f"process 'plan_itme' is not deployed (known: continuous_duty, pilot_rollout, plan_item) "
        f"(line {line_of(text, 'plan_itme')})"]


def test_a_bad_date_is_refused_at_its_line(uow, agencies, standard_processes):
    text = SOURCE.replace("default: 2022-05-25", "default: 2022-13-45")
    error = refused(uow, text)
    assert "'2022-13-45' is not valid: month must be in 1..12" in error.message
    assert f"(line {line_of(text, '2022-13-45')})" in error.message


def test_a_deadline_that_is_no_date_is_refused(uow, agencies, standard_processes):
    text = SOURCE.replace('window: {month: 10, year: "{year}"}', 'deadline: "31/10/2022"')
    error = refused(uow, text)
    assert error.errors["items[4].schedule.deadline"][0].startswith("'31/10/2022' is not a date such as 2022-09-30")


def test_a_window_month_out_of_range_is_refused(uow, agencies, standard_processes):
    error = refused(uow, SOURCE.replace("window: {month: 9,", "window: {month: 13,"))
    assert "items[3].schedule.window.month" in error.errors


def test_an_unknown_agency_is_refused_with_the_code_it_probably_meant(uow, agencies, standard_processes):
    error = refused(uow, SOURCE.replace("lead: QNG-STTTT", "lead: QNG-STTT"))
    assert error.errors["items[2].lead"][0].startswith(
        "agency 'QNG-STTTT'"[:0] + "agency 'QNG-STTT' is not in the agency directory; did you mean 'QNG-STTTT'")


def test_an_unknown_group_is_refused(uow, agencies, standard_processes):
    error = refused(uow, SOURCE.replace("[departments, mass_organisations, districts]}\n    schedule:\n      text: "
                                        "\"thường xuyên từ nay", "[departments, wards]}\n    schedule:\n      text: "
                                        "\"thường xuyên từ nay", 1))
    assert "group 'wards' is neither a group of the agency directory" in error.errors["items[0].performers"][0]


def test_yaml_that_does_not_parse_is_refused_with_its_line(uow, agencies, standard_processes):
    error = refused(uow, "key: x\nitems: [\n")
    assert "not valid YAML" in error.message and "(line" in error.message


def test_a_field_the_format_does_not_know_is_refused(uow, agencies, standard_processes):
    error = refused(uow, SOURCE.replace("document_type: plan", "document_type: plan\ncolour: red"))
    assert error.errors["colour"] == [f"Unknown field. (line {line_of(SOURCE, 'document_type') + 1})"]


def test_editing_a_template_makes_a_new_version_and_leaves_launched_plans_on_theirs(uow, clock, plan_249):
    first = launches.launch_plan(uow, clock, SYSTEM, plan_249, {})
    edited = SOURCE.replace("trong tháng 9/{year}", "trong tháng 9/{year} (sửa)")
    info = templates.register_template(uow, clock, SYSTEM, edited, "qng-249-kh-bcd138.yaml")
    assert (info.version, info.new) == (2, True)
    second = launches.launch_plan(uow, clock, SYSTEM, plan_249, {}, allow_duplicate_symbol=True)
    assert (first.template_version, second.template_version) == (1, 2)
    assert plans.get_plan(uow, clock, first.id).items[3].schedule["text"] == "trong tháng 9/2022"
    assert plans.get_plan(uow, clock, second.id).items[3].schedule["text"] == "trong tháng 9/2022 (sửa)"


def alias_bomb(levels: int = 9) -> str:
    """Under 1 KiB of YAML whose aliases stand for 9**9 (about 4 * 10**8) values."""
    lines = ['key: bomb', 'name: x', 'l0: &l0 ["ha","ha","ha","ha","ha","ha","ha","ha","ha"]']
    for level in range(1, levels):
        lines.append(f"l{level}: &l{level} [" + ",".join([f"*l{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_a_yaml_alias_bomb_is_refused_before_it_is_built(uow):
    bomb = alias_bomb()
    assert len(bomb.encode()) < 1024
    started = time.monotonic()
    error = refused(uow, bomb)
    assert time.monotonic() - started < 5, "the refusal must not expand the aliases first"
    assert "expands through its aliases to more than 100,000 values" in str(error)
    assert "(line 1" in str(error) or "(line" in str(error)


def test_a_few_aliases_are_still_allowed(uow, agencies, standard_processes):
    text = SOURCE.replace("    coordinating: [{param: relevant_units}]   # \"phối hợp các đơn vị, địa phương có liên quan\"",
                          "    coordinating: &relevant [{param: relevant_units}]", 1)
    text = text.replace("    coordinating: [{param: relevant_units}]   # \"phối hợp các đơn vị liên quan\"",
                        "    coordinating: *relevant", 1)
    assert "*relevant" in text and "&relevant" in text
    assert templates.check_template(uow, text, "with-alias.yaml").key == "qng-249-kh-bcd138"


def test_an_alias_that_contains_itself_is_refused(uow):
    assert "contains it" in str(refused(uow, "key: k\nloop: &loop [1, *loop]\n"))


@pytest.mark.parametrize("text", [
    "key: k\nitems: " + "[" * 3000 + "]" * 3000 + "\n",
    "key: k\nitems:\n" + "".join("  " * level + "- \n" for level in range(1, 400)),
    "key: k\n" + "".join(f"a{n}: &a{n} [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{'*a' + str(n - 1) if n else 1}"
                         "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n" for n in range(5)),
], ids=["flow lists", "block lists", "through aliases"])
def test_a_template_nested_thousands_deep_is_refused_plainly(uow, text):
    error = refused(uow, text)
    assert "nests deeper than 50 levels" in str(error)
