"""A database outage: the app and the worker reach PostgreSQL through a relay the test can cut (as a stopped
server or a broken network would), then mend.

While it is cut, every request is answered 503 with Retry-After and a clear message, a completion tried
meanwhile leaves nothing behind, and the worker says it waits and keeps running; once mended, the same
requests go through and the worker fires what came due, each step once.
"""
from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import audit, definitions, processes, users
from engine.store import Database, UnitOfWork
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BPMN = ROOT / "tests" / "unit" / "bpmn" / "timer_then_script.bpmn"


class Relay:
    """A TCP relay to the database server. ``cut()`` drops every connection and refuses new ones, ``mend()``
    lets them through again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open, self.lock, self.pairs = threading.Event(), threading.Lock(), []
        self.open.set()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.open.is_set():
                client.close()  # as a stopped server: the connection is refused at once
                continue
            try:
                server = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self.lock:
                self.pairs.append((client, server))
            threading.Thread(target=self._pump, args=(client, server), daemon=True).start()

    def _pump(self, client: socket.socket, server: socket.socket) -> None:
        with selectors.DefaultSelector() as selector:
            selector.register(client, selectors.EVENT_READ, server)
            selector.register(server, selectors.EVENT_READ, client)
            try:
                while True:
                    for key, _ in selector.select():
                        data = key.fileobj.recv(65536)
                        if not data:
                            return
                        key.data.sendall(data)
            except OSError:
                return
            finally:
                client.close()
                server.close()

    def cut(self) -> None:
        self.open.clear()
        with self.lock:
            pairs, self.pairs = self.pairs, []
        for client, server in pairs:
            for end in (client, server):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def mend(self) -> None:
        self.open.set()

    def close(self) -> None:
        self.cut()
        self.listener.close()


def through(url: str, relay: Relay) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=f"{parts.username or 'postgres'}@127.0.0.1:{relay.port}"))


@pytest.fixture
def world(pg_schema_url, tmp_path):
    from seed.loader import load_seed
    database = Database(pg_schema_url)
    database.create_schema()
    uow, clock = UnitOfWork(database.sessions), FixedClock(parse_instant("2022-06-01T08:00+07:00"))
    load_seed(uow, clock, lambda _: None)
    definitions.deploy(uow, clock, SYSTEM, {"timer.bpmn": BPMN.read_bytes()})
    parts = urlsplit(pg_schema_url)
    relay = Relay(parts.hostname, parts.port or 5432)
    yield {"url": pg_schema_url, "relayed": through(pg_schema_url, relay), "relay": relay, "uow": uow,
           "clock": clock, "database": database}
    relay.close()
    database.dispose()


def test_requests_meet_a_clear_503_while_the_database_is_away_and_nothing_is_half_written(world, tmp_path):
    uow, clock = world["uow"], world["clock"]
    view = processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": "khi mất kết nối"})
    task_id = view.open_tasks[0].id
    token = users.create_token(uow, clock, SYSTEM, "congan", "outage")
    app = create_app({"DATABASE_URL": world["relayed"], "SECRET_KEY": "outage", "CLOCK": clock, "TESTING": True,
                      "EVIDENCE_DIR": str(tmp_path / "evidence")})
    http = app.test_client()
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    assert http.get("/api/v1/tasks", headers=headers, base_url="https://localhost").status_code == 200

    world["relay"].cut()
    for answer in (http.get("/api/v1/tasks", headers=headers, base_url="https://localhost"),
                   http.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"summary": "đã làm"}},
                             headers=headers, base_url="https://localhost")):
        assert answer.status_code == 503
        assert answer.mimetype == "application/problem+json"
        assert answer.headers["Retry-After"]
        assert "database is busy or unreachable" in answer.get_json()["detail"]
    with uow:  # read past the relay: the completion tried during the outage left nothing
        assert uow.tasks.get(task_id).status == "ready"
        assert not [event for event in uow.audit.for_instance(view.id) if event.action == "task.completed"]

    world["relay"].mend()
    done = http.post(f"/api/v1/tasks/{task_id}/complete", json={"data": {"summary": "đã làm"}},
                     headers=headers, base_url="https://localhost")
    assert done.status_code == 200, done.get_json()
    with uow:
        assert uow.tasks.get(task_id).status == "completed"
        assert len([event for event in uow.audit.for_instance(view.id) if event.action == "task.completed"]) == 1
    assert audit.verify(UnitOfWork(world["database"].sessions), None).ok
    app.extensions["planflow"].database.dispose()


def test_the_worker_waits_out_an_outage_and_then_fires_every_due_timer_once(world, tmp_path):
    uow = world["uow"]
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "PLANFLOW_DATABASE_URL": world["relayed"],
           "PLANFLOW_NOW": "2022-06-01T09:00+07:00"}
    worker = subprocess.Popen([str(BIN / "planflow"), "worker", "--interval", "0.2"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
    lines: list[str] = []

    def wait_for(wanted: str) -> str:
        for line in worker.stdout:
            lines.append(line)
            if wanted in line:
                return line
        pytest.fail(f"the worker ended without saying {wanted!r}:\n{''.join(lines)}")

    try:
        world["relay"].cut()
        assert "trying again in" in wait_for("database unavailable")
        wait_for("database unavailable")  # again, later: it keeps trying, it does not stop
        assert worker.poll() is None
        # Meanwhile, past the relay, timers come due: instances started a week before the worker's clock.
        week_before = FixedClock(parse_instant("2022-05-25T08:00+07:00"))
        ids = [processes.start_instance(uow, week_before, SYSTEM, "wait_then_compute", {"total": 8, "parts": 2}).id
               for _ in range(5)]
        world["relay"].mend()
        assert "5 instance(s) advanced" in wait_for("advanced")
        wait_for("database reachable again")
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert worker.returncode == 0  # it stopped when told, not before
    with uow:
        for instance_id in ids:
            actions = [event.action for event in uow.audit.for_instance(instance_id)]
            assert actions.count("timers.fired") == 1
            assert [task.element_id for task in uow.tasks.for_instance(instance_id)] == ["check"]
