"""Fixtures that build the world: a clock, a database, deployed processes."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.model import passwords
from engine.model.actors import SYSTEM, Actor
from engine.model.clock import FixedClock, parse_instant
from engine.services import definitions
from engine.store import Database, UnitOfWork

from .databases import URL, Databases

ROOT = Path(__file__).resolve().parents[1]
#: A password's hash records its own scrypt cost, and checking it costs what making it cost. The suite's people
#: are made at the smallest cost scrypt takes here, so that its hundreds of sign-ins do not take a minute of the
#: run; the production cost is the module's own, and tests/unit/test_passwords.py checks it.
passwords.N = 2 ** 10
CORPUS = ROOT.parent / "shared" / "bpmn-corpus"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(parse_instant(NOW))


def pytest_report_header(config):
    return f"databases: {_where()}"


def _where() -> str:
    return f"PostgreSQL at {URL} (PLANFLOW_TEST_DATABASE_URL)" if URL else "SQLite files (set " \
        "PLANFLOW_TEST_DATABASE_URL=postgresql+psycopg://… to run every test on PostgreSQL)"


@pytest.fixture(scope="session")
def databases():
    """The run's databases: SQLite files, or databases on PLANFLOW_TEST_DATABASE_URL's PostgreSQL server."""
    made = Databases()
    if made.unreachable:
        pytest.skip(made.unreachable)
    yield made
    made.close()


@pytest.fixture(scope="session")
def empty_schema(databases, tmp_path_factory) -> str:
    """A database holding planflow's schema and nothing else, made once for the run."""
    url = databases.new(tmp_path_factory.mktemp("schema"), "empty")
    made = Database(url)
    made.create_schema()
    made.dispose()
    return url


#: The instant of the tests' clock (a module may set its own).
NOW = "2022-06-01T08:00+07:00"


@pytest.fixture(scope="session")
def agencies_schema(databases, empty_schema, tmp_path_factory) -> str:
    """The schema with the seed agency directory imported at the tests' clock, made once for the run: what the
    ``agencies`` fixture gives a test, copied rather than imported again for each test."""
    import yaml

    from engine.services import directory
    url = databases.copy(empty_schema, tmp_path_factory.mktemp("agencies"), "agencies")
    made = Database(url)
    directory.import_agencies(UnitOfWork(made.sessions), FixedClock(parse_instant(NOW)), SYSTEM,
                              yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text()))
    made.dispose()
    return url


@pytest.fixture
def database(request, databases, empty_schema, tmp_path) -> Database:
    """A copy of the empty schema; of the schema with the seed agencies for a test that asks for them at the
    tests' own clock (the same import, done once)."""
    source = empty_schema
    if "agencies" in request.fixturenames and request.getfixturevalue("clock").now() == parse_instant(NOW):
        source = request.getfixturevalue("agencies_schema")
    url = databases.copy(source, tmp_path, "planflow")
    db = Database(url)
    yield db
    db.dispose()
    databases.drop(url)


@pytest.fixture(scope="session")
def national_schema(databases, tmp_path_factory) -> str:
    """A database holding the national directory (every province, its bodies and communes) and the seed's
    directory of 2017-2024, made once for the run."""
    import yaml

    from engine.model.clock import FixedClock, parse_instant
    from engine.services import directory
    url = databases.new(tmp_path_factory.mktemp("national"), "national")
    made = Database(url)
    made.create_schema()
    uow, clock = UnitOfWork(made.sessions), FixedClock(parse_instant("2022-05-20T08:00+07:00"))
    directory.load_national(uow, clock, SYSTEM)
    directory.import_agencies(uow, clock, SYSTEM, yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text()))
    made.dispose()
    return url


@pytest.fixture
def national_database(databases, national_schema, tmp_path) -> Database:
    """A copy of the national directory's database for one test."""
    url = databases.copy(national_schema, tmp_path, "planflow")
    db = Database(url)
    yield db
    db.dispose()
    databases.drop(url)


@pytest.fixture
def uow(database) -> UnitOfWork:
    return UnitOfWork(database.sessions)


@pytest.fixture
def standard_processes(uow, clock):
    """The plan-item, continuous-duty and pilot processes of workflows/bpmn, deployed."""
    return {d.key: d for d in definitions.deploy_directory(uow, clock, SYSTEM)}


def member_of(agency: str, name: str | None = None) -> Actor:
    return Actor(name or f"member@{agency}", agency=agency, roles=frozenset({"agency_member"}))


def approver_of(agency: str) -> Actor:
    return Actor(f"approver@{agency}", agency=agency, roles=frozenset({"approver"}))


def tasks_named(view, element_id: str) -> list:
    """The open tasks of an instance view at one BPMN element."""
    return [task for task in view.open_tasks if task.element_id == element_id]


def only_task(view, element_id: str):
    found = tasks_named(view, element_id)
    assert len(found) == 1, f"expected one open '{element_id}', found {[t.element_id for t in view.open_tasks]}"
    return found[0]


TEMPLATES = ROOT / "workflows" / "templates"


@pytest.fixture
def agencies(uow, clock, database):
    """The seed agency directory, imported: already in the database copied for a test at the tests' own clock
    (``database``), imported here at any other clock."""
    import yaml

    from engine.services import directory
    if clock.now() != parse_instant(NOW):
        directory.import_agencies(uow, clock, SYSTEM, yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text()))


@pytest.fixture
def plan_249(uow, clock, agencies, standard_processes):
    """Templates 249/KH-BCD138 and the implementing plan of its item IV.3, registered."""
    from engine.services import templates
    for name in ("qng-249-kh-bcd138.yaml", "qng-ke-hoach-trien-khai.yaml"):
        templates.register_template(uow, clock, SYSTEM, (TEMPLATES / name).read_bytes(), name)
    return "qng-249-kh-bcd138"


def agencies_at(view, element_id: str) -> list[str]:
    """The agencies an instance's open tasks at one element are assigned to, sorted."""
    return sorted(task.assigned_agency for task in tasks_named(view, element_id))


def complete_for(uow, clock, view, element_id: str, agency: str, data: dict):
    """Complete, as a member of ``agency``, its open task at ``element_id``."""
    from engine.services import tasks
    task = next(t for t in tasks_named(view, element_id) if t.assigned_agency == agency)
    return tasks.complete_task(uow, clock, member_of(agency), task.id, data)
