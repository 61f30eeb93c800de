"""Every template of workflows/templates validates and launches with its default parameters."""
import pytest

from engine.model.actors import SYSTEM
from engine.services import launches, templates
from engine.store import UnitOfWork
from tests.conftest import TEMPLATES

#: Parameters the documents leave open (the Tiền Giang plan carries no number or date).
REQUIRED = {
    "qng-ke-hoach-trien-khai": {"issuer": ["QNG-STTTT"], "number": "15"},
    "tgg-de-an-1278": {"number": "123/KH-UBND", "issued_on": "2018-03-01", "year": 2018},
}
FILES = sorted(path.name for path in TEMPLATES.glob("*.yaml"))


@pytest.fixture
def uow(national_database) -> UnitOfWork:
    """The national directory with the seed's: the templates of 2017-2024 and of 2026 alike."""
    return UnitOfWork(national_database.sessions)


@pytest.fixture
def registered(uow, clock, standard_processes):
    return {info.key: info for info in templates.register_directory(uow, clock, SYSTEM, TEMPLATES)}


def test_the_seed_templates_include_the_four_documents(registered):
    assert {"qng-249-kh-bcd138", "ndh-22-kh-bcd", "tgg-de-an-1278", "gli-cv-930-ubnd-kgvx"} <= set(registered)


@pytest.mark.parametrize("name", FILES)
def test_each_seed_template_launches_with_an_instance_for_every_item_that_carries_work(uow, clock, registered, name):
    key = next(info.key for info in registered.values()
               if templates.check_template(uow, (TEMPLATES / name).read_bytes(), name).key == info.key)
    view = launches.launch_plan(uow, clock, SYSTEM, key, REQUIRED.get(key, {}))
    working = [item for item in view.items if item.process]
    assert working, "a plan with no item that carries work"
    assert all(item.instances for item in working), [i.number for i in working if not i.instances]
