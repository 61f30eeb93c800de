"""Many people on the same tasks at once, on the real PostgreSQL server: claiming, letting go, reporting,
approving and returning. Whatever the interleaving, the end is a state a sequential run could produce."""
from __future__ import annotations

import random
import threading
from collections import Counter

from engine.errors import Conflict, Invalid
from engine.model.actors import Actor
from engine.model.policy import Forbidden
from engine.runtime import executions
from engine.services import assignments, audit, definitions, processes, tasks
from engine.store import UnitOfWork

SYSTEM = Actor("system", roles=frozenset({"system"}))
OFFICERS = [Actor(f"canbo{n}", agency="QNG-CA", roles=frozenset({"agency_member"})) for n in range(3)]
APPROVERS = [Actor(f"pheduyet{n}", agency="QNG-BCD138", roles=frozenset({"approver"})) for n in range(3)]
EXPECTED = (Conflict, Invalid, Forbidden)  # 409 someone got there first, 422 a form, 403 the four-eyes rule


def start(uow, clock, n: int):
    return processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": f"tranh chấp {n}"})


def test_the_same_person_claiming_one_task_twice_at_once_holds_it_once(pg_database, pg_uow, clock, monkeypatch):
    """Two clicks of one person: both requests read the task unclaimed, then both claim; the second is told
    it holds the task (not that someone else does), and the claim is recorded once."""
    from engine.store.processes.repositories import Tasks
    definitions.deploy_directory(pg_uow, clock, SYSTEM)
    task_id = start(pg_uow, clock, 0).open_tasks[0].id
    both_read = threading.Barrier(2, timeout=20)
    original = Tasks.claim

    def claim_when_both_read(self, *args):
        both_read.wait()
        return original(self, *args)

    monkeypatch.setattr(Tasks, "claim", claim_when_both_read)
    answers, errors = [], []

    def click():
        try:
            answers.append(assignments.claim_task(UnitOfWork(pg_database.sessions), clock, OFFICERS[0], task_id))
        except Exception as error:  # noqa: BLE001 - any refusal is the failure looked for
            errors.append(error)

    threads = [threading.Thread(target=click) for _ in range(2)]
    [thread.start() for thread in threads]
    [thread.join() for thread in threads]
    assert errors == []
    assert [answer.claimed_by for answer in answers] == ["canbo0", "canbo0"]
    with pg_uow:
        claimed = [event for event in pg_uow.audit.for_instance(answers[0].instance_id) if event.action == "task.claimed"]
    assert len(claimed) == 1


def test_many_people_on_the_same_tasks_end_in_a_state_a_sequential_run_could_reach(pg_database, pg_uow, clock):
    definitions.deploy_directory(pg_uow, clock, SYSTEM)
    ids = [start(pg_uow, clock, n).id for n in range(6)]
    done: list[tuple[str, str]] = []  # (task id, who) of every completion that was answered with success
    unexpected: list[BaseException] = []

    def person(actor: Actor, seed: int) -> None:
        rng, uow, tries = random.Random(seed), UnitOfWork(pg_database.sessions), 0
        for _ in range(300):
            if tries == 40:
                return
            instance_id = rng.choice(ids)
            view = processes.get_instance(uow, instance_id)
            mine = [task for task in view.open_tasks
                    if (task.element_id == "report_result") == (actor in OFFICERS)]
            if not mine:
                continue
            tries += 1
            task = mine[0]
            move = rng.random()
            try:
                if move < 0.2:
                    assignments.claim_task(uow, clock, actor, task.id)
                elif move < 0.3:
                    assignments.unclaim_task(uow, clock, actor, task.id)
                elif task.element_id == "report_result":
                    tasks.complete_task(uow, clock, actor, task.id, {"summary": f"báo cáo của {actor.name}"})
                    done.append((task.id, actor.name))
                else:
                    approve = rng.random() < 0.15
                    tasks.complete_task(uow, clock, actor, task.id, {
                        "approved": approve, **({} if approve else {"return_reason": "bổ sung số liệu"})})
                    done.append((task.id, actor.name))
            except EXPECTED:
                pass
            except BaseException as error:  # a deadlock, a 500: what this test is for
                unexpected.append(error)
                return

    people = [threading.Thread(target=person, args=(actor, seed))
              for seed, actor in enumerate(OFFICERS + APPROVERS)]
    [thread.start() for thread in people]
    [thread.join() for thread in people]
    assert unexpected == []
    assert done, "nobody completed anything: the test exercised nothing"

    # Every completion that was answered as done is in the database, by whoever was told so, and only once.
    assert max(Counter(task_id for task_id, _ in done).values()) == 1
    with pg_uow:
        for task_id, who in done:
            row = pg_uow.tasks.get(task_id)
            assert (row.status, row.completed_by) == ("completed", who)
        for instance_id in ids:
            instance = pg_uow.instances.get(instance_id)
            rows = pg_uow.tasks.for_instance(instance_id)
            open_rows = [row for row in rows if row.status == "ready"]
            history = sorted((row for row in rows if row.status == "completed"), key=lambda row: row.completed_step)
            # A sequential run alternates report and decision; every decision but an approval sends it back.
            assert [row.element_id for row in history] == ["report_result", "review_result"] * (len(history) // 2) \
                + ["report_result"] * (len(history) % 2)
            decisions = [row.result["approved"] for row in history if row.element_id == "review_result"]
            assert all(not approved for approved in decisions[:-1])
            if decisions and decisions[-1]:
                assert instance.status == "completed" and open_rows == []
            else:
                # The task rows are the workflow's: exactly the one task it waits for, and no other.
                assert instance.status == "running"
                waiting = {ready.task_id for ready in executions.check_out(instance, clock).ready_tasks()}
                assert {row.id for row in open_rows} == waiting and len(waiting) == 1
                expected = "review_result" if len(history) % 2 else "report_result"
                assert open_rows[0].element_id == expected
            assert not {row.id for row in open_rows} & {row.id for row in history}
    assert audit.verify(UnitOfWork(pg_database.sessions), None).ok


def test_eight_clients_completing_one_task_over_http_give_one_winner_and_seven_409s(pg_schema_url, tmp_path, clock,
                                                                                    monkeypatch):
    """All eight requests have read the task and run the step before any commits; one commits, the others
    are told 409 and nothing of theirs is written."""
    from engine.bpmn import runtime
    from engine.model.clock import SystemClock
    from engine.services import users
    from engine.store import Database
    from seed.loader import load_seed
    from server import create_app
    database = Database(pg_schema_url)
    database.create_schema()
    load_seed(UnitOfWork(database.sessions), clock, lambda _: None)
    task_id = start(UnitOfWork(database.sessions), clock, 1).open_tasks[0].id
    token = users.create_token(UnitOfWork(database.sessions), SystemClock(), SYSTEM, "congan", "eight")
    app = create_app({"DATABASE_URL": pg_schema_url, "SECRET_KEY": "eight-clients", "CLOCK": clock,
                      "TESTING": True, "EVIDENCE_DIR": str(tmp_path)})
    all_stepped = threading.Barrier(8, timeout=30)
    original = runtime.Execution.complete_task

    def step_then_wait(self, *args, **kwargs):
        outcome = original(self, *args, **kwargs)
        all_stepped.wait()
        return outcome

    monkeypatch.setattr(runtime.Execution, "complete_task", step_then_wait)
    statuses = []

    def client(n: int) -> None:
        answer = app.test_client().post(f"/api/v1/tasks/{task_id}/complete", base_url="https://localhost",
                                        json={"data": {"summary": f"báo cáo {n}"}},
                                        headers={"Authorization": f"Bearer {token}", "Accept-Language": "en"})
        statuses.append(answer.status_code)

    clients = [threading.Thread(target=client, args=(n,)) for n in range(8)]
    [thread.start() for thread in clients]
    [thread.join() for thread in clients]
    assert sorted(statuses) == [200] + [409] * 7
    with UnitOfWork(database.sessions) as uow:
        row = uow.tasks.get(task_id)
        assert row.status == "completed"
        completed = [event for event in uow.audit.for_instance(row.instance_id) if event.action == "task.completed"]
        assert len(completed) == 1 and completed[0].data["data"]["summary"] == row.result["summary"]
    app.extensions["planflow"].database.dispose()
    database.dispose()
