"""The planflow command drives the same services: init-db, start, worker --once --now."""
import pytest
from click.testing import CliRunner

from cli import main


@pytest.fixture
def run(databases, tmp_path):
    url = databases.new(tmp_path, "cli")

    def invoke(*args):
        result = CliRunner().invoke(main, ["--database-url", url, *args], catch_exceptions=False)
        return result
    yield invoke
    databases.drop(url)


def test_init_db_creates_the_database_and_deploys_the_standard_processes(run):
    result = run("init-db")
    assert result.exit_code == 0
    assert "process plan_item v1 (new)" in result.output
    assert "process continuous_duty v1 (new)" in result.output


def an_administrator(run) -> str:
    """An administrator to act as (``--as``): the engine itself acts only for timers and the worker."""
    assert run("users", "add", "quantri", "--role", "admin", "--password", "mật-khẩu-quản-trị").exit_code == 0
    return "quantri"


def test_the_worker_fires_at_the_instant_it_is_given(run):
    run("init-db")
    started = run("start", "--as", an_administrator(run), "plan_item", "--var", "title=Item", "--var", "lead_agency=CONG_AN_TINH",
                  "--var", 'coordinating_agencies=[]', "--var", "standing_body=BCD138",
                  "--var", "deadline=2099-09-30T23:59:59+07:00")
    assert started.exit_code == 0, started.output
    assert "next timer at 2099-09-30T23:59:59+07:00" in started.output  # in Vietnam's time, as every time shown
    early = run("worker", "--once", "--now", "2099-09-30T08:00+07:00")
    assert "0 instance(s) advanced" in early.output
    due = run("worker", "--once", "--now", "2099-10-01T08:00+07:00")
    assert "1 instance(s) advanced" in due.output


def test_a_bad_instant_is_refused_with_an_example(run):
    run("init-db", "--no-deploy")
    result = CliRunner().invoke(main, ["worker", "--once", "--now", "tomorrow"])
    assert result.exit_code != 0
    assert "ISO 8601" in str(result.exception) or "ISO 8601" in result.output


def test_starting_an_unknown_process_says_so(run):
    run("init-db", "--no-deploy")
    result = run("start", "--as", an_administrator(run), "no_such_process")
    assert result.exit_code == 2
    assert "no process 'no_such_process' has been deployed" in result.output


def test_completing_with_data_that_is_not_json_is_refused(run):
    run("init-db", "--no-deploy")
    result = run("complete", "abc", "--as", an_administrator(run), "--data", "{not json")
    assert result.exit_code == 2
    assert "not JSON" in result.output


def test_an_incident_is_fixed_and_retried_from_the_command_line(run):
    from pathlib import Path
    run("init-db", "--no-deploy")
    bpmn = Path(__file__).parent / "bpmn" / "timer_then_script.bpmn"
    assert run("deploy", str(bpmn)).exit_code == 0
    admin = an_administrator(run)
    started = run("start", "--as", admin, "wait_then_compute", "--var", "total=10", "--var", "parts=0")
    instance = started.output.split(":")[0].split()[-1]
    assert "1 failed" in run("worker", "--once", "--now", "2099-01-01T08:00+07:00").output
    assert "ZeroDivisionError" in run("incidents").output
    assert run("set-variables", instance, "--as", admin, "--var", "parts=5").exit_code == 0
    retried = run("retry", "1", "--as", admin)
    assert retried.exit_code == 0 and "Check the share" in retried.output
    assert run("incidents").output.strip() == "no open incidents"


def test_validating_a_template_on_a_fresh_install_checks_its_structure_and_says_what_was_not(run):
    from pathlib import Path
    template = Path(__file__).resolve().parents[2] / "workflows" / "templates" / "qng-249-kh-bcd138.yaml"
    result = run("templates", "validate", str(template))
    assert result.exit_code == 0, result.output
    assert "is well-formed" in result.output and "run 'planflow seed' first" in result.output


def test_validating_a_yaml_alias_bomb_is_refused_plainly(run, tmp_path):
    from tests.unit.test_templates import alias_bomb
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    result = run("templates", "validate", str(bomb))
    assert result.exit_code == 2
    assert "expands through its aliases to more than 100,000 values" in result.output


def test_a_plan_launched_as_of_2022_is_on_time(run):
    assert run("--now", "2022-05-25T08:00+07:00", "seed").exit_code == 0  # the history begins before the launch
    launched = run("--now", "2022-06-01T08:00+07:00", "plans", "launch", "qng-249-kh-bcd138", "--as", "dieuphoi",
                   "--param", "relevant_units=QNG-STTTT")
    assert launched.exit_code == 0, launched.output
    assert "overdue" not in launched.output
    assert launched.output.count("in_progress") == 4 and launched.output.count("not_yet_due") == 4  # 4–7 later
    today = run("plans", "show", "1")
    assert "overdue" in today.output  # read today, the 2022 plan is late


def test_a_bad_now_is_refused_with_an_example(run):
    result = run("--now", "yesterday", "tasks")
    assert result.exit_code == 2 and "ISO 8601" in result.output


def test_the_demo_leaves_a_plan_with_a_mix_of_statuses_and_loads_once(run):
    first = run("seed", "--demo", "--as-of", "2022-10-01T08:00+07:00")
    assert first.exit_code == 0, first.output
    assert "1 completed_on_time, 5 in_progress, 1 not_yet_due, 1 overdue" in first.output
    shown = run("--now", "2022-10-01T08:00+07:00", "plans", "show", "1").output
    statuses = {line.split()[0]: line.split()[1] for line in shown.splitlines()[2:]}
    assert (statuses["4"], statuses["5"], statuses["6"]) == ("completed_on_time", "in_progress", "overdue")
    flagged = run("--now", "2022-10-01T08:00+07:00", "tasks", "--agency", "QNG-CA", "--flag", "returned").output
    assert flagged.count("Carry out the item and report the result") == 1  # item 5, returned on 30 September
    late = run("--now", "2022-10-01T08:00+07:00", "tasks", "--agency", "QNG-CA", "--flag", "overdue").output
    assert late.count("Carry out the item and report the result") == 1  # item 6, due 31 July
    assert run("tasks", "--flag", "late").exit_code == 2
    assert "already loaded" in run("seed", "--demo").output
    returned = run("tasks", "--agency", "QNG-CA").output
    assert returned.count("Carry out the item and report the result") == 4  # items 5 (returned), 6, 7, IV.3


def test_a_command_that_acts_on_a_task_names_the_person_or_is_refused(run):
    assert run("seed").exit_code == 0
    run("--now", "2022-06-01T08:00+07:00", "plans", "launch", "qng-249-kh-bcd138", "--as", "dieuphoi",
        "--param", "relevant_units=QNG-STTTT")
    task = next(line.split()[0] for line in run("tasks", "--agency", "QNG-CA").output.splitlines())
    nameless = run("complete", task, "--data", '{"summary": "xong"}')
    assert nameless.exit_code == 2 and "--as" in nameless.output


def test_the_command_line_applies_the_policy_of_the_person_it_acts_as(run):
    assert run("seed").exit_code == 0
    run("--now", "2022-06-01T08:00+07:00", "plans", "launch", "qng-249-kh-bcd138", "--as", "dieuphoi",
        "--param", "relevant_units=QNG-STTTT")
    task = next(line.split()[0] for line in run("tasks", "--agency", "QNG-CA").output.splitlines())
    another_agency = run("complete", task, "--as", "stttt", "--data", '{"summary": "xong"}')
    assert another_agency.exit_code == 2 and f"no task {task}" in another_agency.output
    a_coordinator = run("complete", task, "--as", "dieuphoi", "--data", '{"summary": "xong"}')
    assert a_coordinator.exit_code == 2 and "coordinators, auditors and admins watch them" in a_coordinator.output
    done = run("complete", task, "--as", "pheduyet", "--data", '{"summary": "Đã tổ chức tọa đàm"}')
    assert done.exit_code == 0, done.output
    review = next(line.split()[0] for line in run("tasks", "--agency", "QNG-CA").output.splitlines()
                  if "Approve or return" in line)
    own = run("complete", review, "--as", "pheduyet", "--data", '{"approved": true}')
    assert own.exit_code == 2 and "four-eyes" in own.output  # who reported does not approve, on any interface


def test_nobody_acts_as_the_engine_from_the_command_line(run):
    assert run("seed").exit_code == 0
    refused = run("start", "--as", "system", "plan_item")
    assert refused.exit_code == 2 and "no active user 'system'" in refused.output


def test_a_clock_set_by_hand_never_starts_before_the_history_s_last_event(run):
    """A demonstration started again goes on where it stopped: time runs forward along the audit chain."""
    assert run("--now", "2022-06-01T08:00+07:00", "seed").exit_code == 0
    launched = run("--now", "2022-05-01T08:00+07:00", "plans", "launch", "qng-249-kh-bcd138", "--as", "dieuphoi",
                   "--param", "relevant_units=QNG-STTTT")
    assert launched.exit_code == 0, launched.output
    shown = run("plans", "show", "1", "--json").output
    assert '"launched_at": "2022-06-01' in shown  # not a month before the seed that came first
    assert run("audit", "verify", "--no-evidence").exit_code == 0
