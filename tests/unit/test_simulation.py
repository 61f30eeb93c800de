"""``planflow simulate`` previews a plan's year on a copy, and what it predicts is what the worker then does.

The demo world is seeded once for the module (plan 249/KH-BCD138 played until
1 October 2022: item 4 done, item 5 returned, item 6 overdue); each test copies
the database. The real run below is ``planflow worker --once --now …`` once a day,
exactly as a coordinator's server would run it, with the plan read at each
month's end through ``planflow plans show``.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from cli import main

DEMO_NOW = "2022-10-01T08:00+07:00"


@pytest.fixture(scope="module")
def demo(databases, tmp_path_factory):
    url = databases.new(tmp_path_factory.mktemp("demo"), "demo")
    result = CliRunner().invoke(main, ["--database-url", url, "seed", "--demo", "--as-of", DEMO_NOW])
    assert result.exit_code == 0, result.output
    return url


def runner(url):
    return lambda *args: CliRunner().invoke(main, ["--database-url", url, *args], catch_exceptions=False)


@pytest.fixture
def world(databases, demo, tmp_path):
    url = databases.copy(demo, tmp_path, "planflow")
    yield url, runner(url)
    databases.drop(url)


def counts(url) -> dict[str, int]:
    engine = create_engine(url)
    with engine.connect() as connection:
        found = {table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()  # noqa: S608
                 for table in ("audit_log", "human_tasks", "process_instances", "reminders", "escalations",
                               "notifications", "mail_outbox", "incidents")}
    engine.dispose()
    return found


def overdue_items(shown: str) -> list[str]:
    """The item numbers `planflow plans show` lists as overdue."""
    return sorted(line.split()[0] for line in shown.splitlines()[2:] if line.split()[1:2] == ["overdue"])


def worker_days(run, first: date, last: date) -> dict[str, list[str]]:
    """`planflow worker --once` at 08:00 of each day, as a server would run it; the overdue items read with
    `planflow plans show` on the last day of each month."""
    actual, day = {}, first
    while day <= last:
        moment = f"{day.isoformat()}T08:00+07:00"
        assert run("worker", "--once", "--now", moment).exit_code == 0
        if (day + timedelta(days=1)).month != day.month:
            actual[day.strftime("%Y-%m")] = overdue_items(run("--now", moment, "plans", "show", "1").output)
        day += timedelta(days=1)
    return actual


def simulated_months(output: str) -> dict[str, list[str]]:
    months = output.split("Overdue on the last day of each month, at 08:00:\n", 1)[1]
    found = {}
    for line in months.splitlines():
        month, listed = line.strip().split(": ", 1)
        found[month] = [] if listed == "none" else sorted(part.split(" (")[0] for part in listed.split(", "))
    return found


def test_a_simulated_quarter_changes_nothing_and_predicts_what_the_worker_then_does(world):
    url, run = world
    before = counts(url)
    simulated = run("--now", DEMO_NOW, "simulate", "1", "--until", "2022-12-31")
    assert simulated.exit_code == 0, simulated.output
    assert "nothing real changes and no mail is sent" in simulated.output
    assert counts(url) == before  # the copy took every change

    predicted = simulated_months(simulated.output)
    assert predicted == {"2022-10": ["6"], "2022-11": ["5", "6"], "2022-12": ["5", "6", "7"]}
    assert "escalated to the standing body: item 5: QNG-CA" in simulated.output  # October's item, left returned

    assert worker_days(run, date(2022, 10, 1), date(2022, 12, 31)) == predicted
    assert counts(url)["notifications"] > before["notifications"]  # the real run did notify


def test_plan_249_simulated_for_2022_from_its_launch_matches_the_worker_month_by_month(databases, tmp_path):
    run = runner(databases.new(tmp_path, "fresh"))
    launch = "2022-05-26T08:00+07:00"
    assert run("--now", "2022-05-25T08:00+07:00", "seed").exit_code == 0
    assert run("--now", launch, "plans", "launch", "qng-249-kh-bcd138", "--as", "dieuphoi",
               "--param", "number=249/KH-BCD138",
               "--param", "issued_on=2022-05-25", "--param", "year=2022").exit_code == 0
    simulated = run("--now", launch, "simulate", "1", "--until", "2022-12-31")
    assert simulated.exit_code == 0, simulated.output
    predicted = simulated_months(simulated.output)
    assert list(predicted) == [f"2022-{month:02d}" for month in range(5, 13)]
    assert predicted["2022-07"] == [] and predicted["2022-08"] == ["6"]
    assert predicted["2022-12"] == ["4", "5", "6", "7"]  # nobody reported: every window item is late

    assert worker_days(run, date(2022, 5, 26), date(2022, 12, 31)) == predicted


def test_a_simulated_week_names_what_falls_due_and_the_reminders_of_each_agency(world):
    _, run = world
    simulated = run("--now", "2022-10-20T08:00+07:00", "simulate", "1", "--until", "2022-11-06")
    assert simulated.exit_code == 0, simulated.output
    weeks = simulated.output.split("week of ")
    october_end = next(week for week in weeks if week.startswith("2022-10-31"))
    assert "falls due: item 5: QNG-CA" in simulated.output
    assert "overdue: item 5: QNG-CA" in october_end
    assert "reminders ahead of a deadline: 1 (QNG-CA 1)" in simulated.output


@pytest.mark.parametrize("args, message", [
    (["--until", "31/12/2022"], "'31/12/2022' is not a date such as 2022-12-31"),
    (["--until", "2022-12-31", "--step", "fortnight"], "'fortnight' is not a step such as 1d, 7d or 12h"),
    (["--until", "2022-12-31", "--step", "90d"], "simulate in steps of an hour to a month"),
    (["--until", "2022-09-01"], "simulate until a day after the start (2022-10-01)"),
])
def test_bad_simulation_arguments_are_refused_plainly(world, args, message):
    _, run = world
    result = run("--now", DEMO_NOW, "simulate", "1", *args)
    assert result.exit_code != 0
    assert message in result.output


def test_simulating_a_plan_that_does_not_exist_says_so(world):
    _, run = world
    result = run("--now", DEMO_NOW, "simulate", "99", "--until", "2022-12-31")
    assert result.exit_code == 2  # as every command answers an unknown id
    assert result.output.strip() == "error: no plan 99"


def test_commands_on_an_empty_database_say_to_seed_it_first(databases, tmp_path):
    url = databases.new(tmp_path, "empty")
    result = CliRunner().invoke(main, ["--database-url", url, "plans", "list"])
    assert result.exit_code == 1
    assert "has no planflow tables yet: run 'planflow seed'" in result.output
