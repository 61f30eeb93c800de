"""Two launches of one plan with the same idempotency key at the same moment make one plan."""
import threading

from engine.model.actors import SYSTEM
from engine.services import launches, plans, templates
from engine.store import UnitOfWork
from tests.conftest import TEMPLATES


def test_a_double_clicked_launch_makes_one_plan(pg_database, pg_uow, clock):
    from seed.loader import load_seed
    load_seed(pg_uow, clock, lambda _: None)
    templates.register_template(pg_uow, clock, SYSTEM, (TEMPLATES / "qng-249-kh-bcd138.yaml").read_bytes())
    start = threading.Barrier(2, timeout=30)
    results, errors = [], []

    def launch():
        try:
            start.wait()
            results.append(launches.launch_plan(UnitOfWork(pg_database.sessions), clock, SYSTEM, "qng-249-kh-bcd138",
                                             {}, idempotency_key="double-click-2022").id)
        except Exception as error:  # noqa: BLE001 - any failure of either click is the finding
            errors.append(error)

    threads = [threading.Thread(target=launch) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert errors == []
    assert len(results) == 2 and results[0] == results[1]
    assert [view.id for view in plans.list_plans(pg_uow, clock).plans] == [results[0]]
