"""The layout of docs/deploy.md, started on this machine: each systemd unit's command (deploy/systemd/),
with the settings of deploy/planflow.env, run as a process against PostgreSQL (systemd and containers do
not run here), and plan 249/KH-BCD138's story walked over HTTP against it.

The migration unit creates the schema; ``planflow seed`` loads agencies, templates and the demo users (the
first-time step of the guide); gunicorn starts with deploy/gunicorn.conf.py and two workers with their
unit's command. Production runs on the real clock (it refuses ``PLANFLOW_NOW``), so the 2022 plan is past
every deadline when it starts: the workers must notice item 4 overdue while people work it.
"""
from __future__ import annotations

import json
import os
import selectors
import shlex
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import SystemClock
from engine.services import users
from engine.store import Database, UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
BIN = Path(sys.executable).parent
PASSWORD = "planflow-deploy-test"
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


def service(unit: str) -> dict[str, str]:
    """The [Service] settings of a unit file."""
    settings, section = {}, None
    for line in (DEPLOY / "systemd" / unit).read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            settings[key] = value
    return settings


def command(unit: str) -> list[str]:
    """The unit's ExecStart, with this checkout and this virtual environment where /opt/planflow stands."""
    words = shlex.split(service(unit)["ExecStart"])
    return [str(BIN / word.removeprefix("/opt/planflow/venv/bin/")) if word.startswith("/opt/planflow/venv/bin/")
            else word.replace("/opt/planflow/", f"{ROOT}/") for word in words]


def environment(**overrides: str) -> dict[str, str]:
    """deploy/planflow.env as systemd reads it (EnvironmentFile=), with this machine's values put in."""
    settings = {}
    for line in (DEPLOY / "planflow.env").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            settings[key.strip()] = value.strip()
    return {"PATH": os.environ["PATH"], "PYTHONPATH": str(ROOT), **settings, **overrides}


class Http:
    def __init__(self, port: int, token: str) -> None:
        self.base, self.token = f"http://127.0.0.1:{port}", token

    def call(self, method: str, path: str, body=None, files=None):
        headers = {"Authorization": f"Bearer {self.token}", "Accept-Language": "en"}
        data = None
        if files:
            boundary = uuid.uuid4().hex
            name, content, kind = files
            data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                    f"Content-Type: {kind}\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
            headers["Content-Type"] = f"multipart/form-data; boundary={boundary}"
        elif body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        request = urllib.request.Request(self.base + path, method=method, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read() or b"null")
        except urllib.error.HTTPError as error:
            return error.code, json.loads(error.read() or b"null")

    def get(self, path):
        return self.call("GET", path)

    def post(self, path, body=None, files=None):
        return self.call("POST", path, body, files)


def run(unit_or_command, env, cwd) -> str:
    words = command(unit_or_command) if isinstance(unit_or_command, str) else unit_or_command
    done = subprocess.run(words, env=env, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def wait_for_line(processes: list[subprocess.Popen], wanted, seconds: float) -> str:
    """The first line one of the processes prints that satisfies ``wanted`` (waiting at most ``seconds``)."""
    pending, seen, until = {p.stdout.fileno(): b"" for p in processes}, [], time.monotonic() + seconds
    with selectors.DefaultSelector() as selector:
        for process in processes:
            selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < until:
            for key, _ in selector.select(timeout=until - time.monotonic()):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    selector.unregister(key.fileobj)
                    continue
                *lines, pending[key.fd] = (pending[key.fd] + chunk).split(b"\n")
                for line in (line.decode() for line in lines):
                    seen.append(line)
                    if wanted(line):
                        return line
            if not selector.get_map():
                break
    pytest.fail("no process printed the line awaited; they printed:\n" + "\n".join(seen))


@pytest.fixture
def layout(pg_schema_url, tmp_path):
    """The migration, the seed, gunicorn and two workers, as the guide starts them."""
    home = tmp_path / "var-lib-planflow"  # the units' WorkingDirectory
    home.mkdir()
    env = environment(PLANFLOW_DATABASE_URL=pg_schema_url, PLANFLOW_SECRET_KEY=uuid.uuid4().hex,
                      PLANFLOW_EVIDENCE_DIR=str(home / "evidence"), PLANFLOW_DEMO_PASSWORD=PASSWORD)
    migrated = run("planflow-migrate.service", env, home)
    assert "created" in migrated, migrated
    run([str(BIN / "planflow"), "seed"], env, home)
    tokens = {"dieuphoi": run([str(BIN / "planflow"), "tokens", "create", "dieuphoi"], env, home).strip()}
    database = Database(pg_schema_url)  # the others' tokens made directly: each command costs a start-up
    clock = SystemClock()  # the processes' clock: the audit chain's times run forward
    tokens.update({name: users.create_token(UnitOfWork(database.sessions), clock, SYSTEM, name, "deploy")
                   for name in ("congan", "stttt", "pheduyet", "kiemtra")})
    database.dispose()

    # gunicorn takes a socket that already listens (PLANFLOW_BIND=fd://N): its first request waits in the
    # backlog until a worker is up, so nothing polls.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    web = subprocess.Popen(command("planflow-web.service"), env={**env, "PLANFLOW_BIND": f"fd://{listener.fileno()}"},
                           cwd=home, pass_fds=(listener.fileno(),), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           text=True)
    listener.close()
    worker_command = command("planflow-worker@.service")
    worker_command[worker_command.index("--interval") + 1] = "1"  # the unit waits 10 s between rounds
    workers = [subprocess.Popen(worker_command, env=env, cwd=home, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT) for _ in range(2)]
    yield {"port": port, "tokens": tokens, "web": web, "workers": workers, "env": env, "home": home}
    for process in (web, *workers):
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)


def test_the_deployed_layout_runs_plan_249_from_launch_to_a_verified_history(layout):
    as_user = {name: Http(layout["port"], token) for name, token in layout["tokens"].items()}
    assert as_user["kiemtra"].get("/api/v1/health")[0] == 200

    status, plan = as_user["dieuphoi"].post("/api/v1/plans", {
        "template": "qng-249-kh-bcd138", "parameters": {"relevant_units": ["QNG-STTTT"]},
        "idempotency_key": "qng-249-deployed"})
    assert status == 201, plan
    item_4 = next(item for item in plan["items"] if item["number"] == "4")
    instance = item_4["instances"][0]["id"]

    def task_of(user, lane=None):
        _, page = as_user[user].get(f"/api/v1/tasks?plan={plan['id']}&per_page=200")
        return next(t for t in page["tasks"] if t["instance_id"] == instance and (lane is None or t["lane"] == lane))

    # The workers notice item 4 overdue (its deadline was the day before) while people work on it.
    noticed = wait_for_line(layout["workers"], lambda line: "reminders:" in line and " 0 overdue;" not in line, 120)
    assert "overdue" in noticed

    status, _ = as_user["stttt"].post(f"/api/v1/tasks/{task_of('stttt')['id']}/complete",
                                      {"data": {"contribution": {"summary": "Danh sách trang tin điện tử"}}})
    assert status == 200
    lead_task = task_of("congan")
    status, evidence = as_user["congan"].post(f"/api/v1/tasks/{lead_task['id']}/evidence",
                                              files=("Biên bản tọa đàm.pdf", PDF, "application/pdf"))
    assert status == 201, evidence
    status, _ = as_user["congan"].post(f"/api/v1/tasks/{lead_task['id']}/complete", {
        "data": {"summary": "Đã tổ chức tọa đàm tại 3 đơn vị", "evidence": [evidence["id"]]}})
    assert status == 200
    status, _ = as_user["pheduyet"].post(f"/api/v1/tasks/{task_of('pheduyet', 'standing_body')['id']}/complete",
                                         {"data": {"approved": False, "return_reason": "Thiếu danh sách đơn vị"}})
    assert status == 200
    status, _ = as_user["congan"].post(f"/api/v1/tasks/{task_of('congan')['id']}/complete",
                                       {"data": {"summary": "Bổ sung danh sách 3 đơn vị"}})
    assert status == 200
    status, done = as_user["pheduyet"].post(
        f"/api/v1/tasks/{task_of('pheduyet', 'standing_body')['id']}/complete", {"data": {"approved": True}})
    assert (status, done["status"]) == (200, "completed")

    _, shown = as_user["kiemtra"].get(f"/api/v1/plans/{plan['id']}")
    assert next(item for item in shown["items"] if item["number"] == "4")["status"] == "completed_late"
    _, history = as_user["kiemtra"].get(f"/api/v1/instances/{instance}/history")
    actions = [entry["action"] for entry in history]
    assert actions.count("task.completed") == 5 and "evidence.attached" in actions
    _, overdue = as_user["kiemtra"].get("/api/v1/audit?action=reminder.overdue&limit=500")
    assert any(event["instance_id"] == instance for event in overdue["events"]), overdue
    _, verified = as_user["kiemtra"].get("/api/v1/audit/verify")
    assert verified["ok"] and verified["evidence_files"] == 1, verified

    # Stopped as systemd stops them (SIGTERM), each process ends cleanly.
    for process in (layout["web"], *layout["workers"]):
        process.send_signal(signal.SIGTERM)
    assert layout["web"].wait(timeout=60) == 0
    assert [worker.wait(timeout=60) for worker in layout["workers"]] == [0, 0]
