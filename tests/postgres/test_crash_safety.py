"""Crash safety: gunicorn and the timer worker killed with SIGKILL in the middle of their work, three times
each, and started again, on PostgreSQL.

Four officers complete 300 report tasks over HTTP while a worker fires 300 due timers. gunicorn (master and
workers: the whole process group) is killed after 60, 150 and 240 acknowledged completions; the worker when
a third and two thirds of the timers have fired, and once more after that. Each is started again at once, on
the same listening socket, as systemd would (Restart=always). Afterwards:

- every completion answered 200 is in the database, by that officer; no task was completed twice (one
  ``task.completed`` event each);
- every timer fired exactly once (one ``timers.fired`` event and one follow-up task per instance);
- the audit chain verifies.

A request cut off by the kill gets no answer; the officer tries again, and is told 409 if it had gone
through. The test waits for what it observes (answers, rows), never for a set time.
"""
from __future__ import annotations

import json
import os
import queue
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import audit, definitions, processes, users
from engine.store import Database, UnitOfWork
from engine.store.audit.tables import AuditRow
from engine.store.processes.tables import TaskRow

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
BPMN = ROOT / "tests" / "unit" / "bpmn" / "timer_then_script.bpmn"
REPORTS = TIMERS = 300
OFFICERS = 4
T0 = parse_instant("2022-06-01T08:00+07:00")


def until(condition, seconds: float, what: str):
    """Wait for ``condition()`` to hold (checked every 20 ms), at most ``seconds``."""
    deadline, pause = time.monotonic() + seconds, threading.Event()
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting for {what}"
        pause.wait(0.02)


class Service:
    """A process started again each time it is killed, in a process group of its own."""

    def __init__(self, words, env, cwd, pass_fds=()) -> None:
        self.words, self.env, self.cwd, self.pass_fds = words, env, cwd, pass_fds
        self.kills = 0
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(self.words, env=self.env, cwd=self.cwd, pass_fds=self.pass_fds,
                                        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def kill_and_restart(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        self.kills += 1
        self.start()

    def stop(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=30)


def complete(port: int, token: str, task_id: str) -> int | None:
    """The status of one completion, or None when the connection broke before an answer."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/tasks/{task_id}/complete", method="POST",
        data=json.dumps({"data": {"summary": "Đã hoàn thành, có biên bản kèm theo"}}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (ConnectionError, urllib.error.URLError, TimeoutError, OSError):
        return None


def build_world(url: str) -> tuple[Database, list[int], list[str], str]:
    """The seed, TIMERS instances waiting on a timer, REPORTS plan items waiting on their report, a token."""
    from seed.loader import load_seed
    database = Database(url)
    database.create_schema()
    uow, clock = UnitOfWork(database.sessions), FixedClock(T0)
    load_seed(uow, clock, lambda _: None)
    definitions.deploy(uow, clock, SYSTEM, {"timer.bpmn": BPMN.read_bytes()})
    timer_ids = [processes.start_instance(uow, clock, SYSTEM, "wait_then_compute", {"total": 8, "parts": 2}).id
                 for _ in range(TIMERS)]
    report_ids = [processes.start_instance(uow, clock, SYSTEM, "plan_item", {
        "lead_agency": "QNG-CA", "coordinating_agencies": [], "standing_body": "QNG-BCD138",
        "deadline": "2099-09-30T17:00:00+07:00", "title": f"báo cáo {n}"}).open_tasks[0].id for n in range(REPORTS)]
    return database, timer_ids, report_ids, users.create_token(uow, clock, SYSTEM, "congan", "crash test")


class Officers:
    """OFFICERS threads completing the reports over HTTP; a request cut off by a kill is sent again."""

    def __init__(self, port: int, token: str, task_ids: list[str]) -> None:
        self.port, self.token = port, token
        self.work: queue.Queue = queue.Queue()
        for task_id in task_ids:
            self.work.put(task_id)
        self.acknowledged: list[str] = []
        self.answers: Counter = Counter()
        self.lock, self.stopping = threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self.officer, daemon=True) for _ in range(OFFICERS)]
        for thread in self.threads:
            thread.start()

    def officer(self) -> None:
        while not self.stopping.is_set():
            try:
                task_id = self.work.get_nowait()
            except queue.Empty:
                return
            status = complete(self.port, self.token, task_id)
            with self.lock:
                self.answers[status] += 1
                if status == 200:
                    self.acknowledged.append(task_id)
            if status is None or status >= 500:
                self.work.put(task_id)  # no answer: try again (409 then says it had gone through)
            else:
                assert status in (200, 409), status

    def working(self) -> bool:
        return any(thread.is_alive() for thread in self.threads)


def test_killing_gunicorn_and_the_worker_mid_stream_loses_and_doubles_nothing(pg_schema_url, tmp_path):
    database, timer_ids, report_ids, token = build_world(pg_schema_url)
    home = tmp_path / "home"
    home.mkdir()
    env = {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), "PLANFLOW_DATABASE_URL": pg_schema_url,
           "PLANFLOW_SECRET_KEY": "crash-test-secret", "PLANFLOW_EVIDENCE_DIR": str(home / "evidence")}
    listener = socket.socket()  # kept open by the test: requests wait in its backlog while gunicorn restarts
    listener.bind(("127.0.0.1", 0))
    listener.listen(128)
    web = Service([str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "server:create_app()"],
                  {**env, "PLANFLOW_BIND": f"fd://{listener.fileno()}", "PLANFLOW_WEB_WORKERS": "2",
                   "PLANFLOW_NOW": "2022-06-10T08:00+07:00"}, home, pass_fds=(listener.fileno(),))
    # The worker's clock stands past every timer's due time; small batches keep it busy for a while. The web's
    # is the same, so that the audit chain's times run forward whichever of the two writes next.
    worker = Service([str(BIN / "planflow"), "worker", "--interval", "0.2", "--batch", "5"],
                     {**env, "PLANFLOW_NOW": "2022-06-10T08:00+07:00"}, home)

    def fired() -> int:
        with database.engine.connect() as connection:
            return connection.scalar(select(func.count()).select_from(AuditRow.__table__)
                                     .where(AuditRow.action == "timers.fired"))

    killed_at: list[int] = []  # how many timers had fired when the worker was killed

    def kill_the_worker_mid_stream() -> None:
        for share in (TIMERS // 3, 2 * TIMERS // 3):
            until(lambda: fired() >= share, 300, f"{share} timers fired")
            killed_at.append(fired())
            worker.kill_and_restart()
        worker.kill_and_restart()  # and once more, wherever it is

    officers = Officers(listener.getsockname()[1], token, report_ids)
    try:
        killer = threading.Thread(target=kill_the_worker_mid_stream, daemon=True)
        killer.start()
        for after in (60, 150, 240):
            until(lambda: len(officers.acknowledged) >= after or not officers.working(), 300,
                  f"{after} acknowledged completions")
            web.kill_and_restart()
        killer.join(timeout=600)
        [thread.join(timeout=600) for thread in officers.threads]
        until(lambda: fired() >= TIMERS, 300, "every timer fired")
    finally:
        officers.stopping.set()
        web.stop()
        worker.stop()
        listener.close()

    assert web.kills == 3 and worker.kills == 3
    assert [count for count in killed_at if count < TIMERS], f"the worker had finished before each kill: {killed_at}"
    assert officers.answers[200] == len(officers.acknowledged) and len(officers.acknowledged) > 0
    assert officers.answers[None] > 0, "no request was cut off by a kill: the kills missed the stream"
    assert_nothing_lost_or_doubled(database, officers.acknowledged, report_ids, timer_ids)


def assert_nothing_lost_or_doubled(database: Database, acknowledged: list[str], report_ids: list[str],
                                   timer_ids: list[int]) -> None:
    """Every acknowledged completion is there, every task completed once, every timer fired once, and the
    audit chain verifies."""
    with UnitOfWork(database.sessions) as uow:
        rows = {row.id: row for row in uow.session.scalars(select(TaskRow).where(TaskRow.id.in_(report_ids)))}
        for task_id in acknowledged:  # every completion that got a 2xx is there
            assert (rows[task_id].status, rows[task_id].completed_by) == ("completed", "congan")
        assert all(row.status == "completed" for row in rows.values())  # the retries finished the rest
        completed_events = Counter(task for task, in uow.session.execute(
            select(AuditRow.task_id).where(AuditRow.action == "task.completed")))
        assert set(completed_events) == set(report_ids) and set(completed_events.values()) == {1}
        fired_events = Counter(instance for instance, in uow.session.execute(
            select(AuditRow.instance_id).where(AuditRow.action == "timers.fired")))
        assert set(fired_events) == set(timer_ids) and set(fired_events.values()) == {1}
        checks = Counter(instance for instance, in uow.session.execute(
            select(TaskRow.instance_id).where(TaskRow.element_id == "check")))
        assert set(checks) == set(timer_ids) and set(checks.values()) == {1}
    verification = audit.verify(UnitOfWork(database.sessions), None)
    assert verification.ok, verification.first_break
    database.dispose()
