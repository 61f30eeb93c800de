"""The app under gunicorn with several workers against PostgreSQL: one plan, worked over HTTP."""
import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from engine.model.actors import SYSTEM
from engine.model.clock import SystemClock
from engine.services import users
from engine.store import UnitOfWork

ROOT = Path(__file__).resolve().parents[2]


def call(port, method, path, token, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", method=method,
                                     data=json.dumps(body).encode() if body is not None else None,
                                     headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"null")


@pytest.fixture
def served(pg_database, clock, tmp_path):
    from seed.loader import load_seed
    load_seed(UnitOfWork(pg_database.sessions), clock, lambda _: None)
    # The server runs by the real clock, so its tokens are made by it (a token expires).
    tokens = {name: users.create_token(UnitOfWork(pg_database.sessions), SystemClock(), SYSTEM, name)
              for name in ("dieuphoi", "congan", "pheduyet")}
    # The socket listens before gunicorn starts (it takes it as fd://): the first request waits in the
    # backlog until a worker is up, so nothing polls or sleeps.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = {**os.environ, "PLANFLOW_DATABASE_URL": pg_database.url, "PLANFLOW_SECRET_KEY": "gunicorn-test",
           "PLANFLOW_EVIDENCE_DIR": str(tmp_path / "evidence")}
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "3", "--bind", f"fd://{listener.fileno()}", "--timeout", "60",
         "server:create_app()"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)}, pass_fds=(listener.fileno(),),
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    listener.close()  # gunicorn holds its own copy
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=60)
    except OSError:
        server.kill()
        pytest.fail(server.stdout.read().decode())
    yield port, tokens
    server.terminate()
    server.wait(timeout=20)


def test_a_plan_is_launched_and_its_item_worked_across_gunicorn_workers(served):
    port, tokens = served
    status, plan = call(port, "POST", "/api/v1/plans", tokens["dieuphoi"],
                        {"template": "qng-249-kh-bcd138", "idempotency_key": "gunicorn-launch-1"})
    assert status == 201, plan
    instance = plan["items"][4]["instances"][0]["id"]  # item 5: Công an tỉnh, no coordinating agency chosen
    status, page = call(port, "GET", f"/api/v1/tasks?plan={plan['id']}&per_page=200", tokens["congan"])
    task = next(t for t in page["tasks"] if t["instance_id"] == instance)
    status, _ = call(port, "POST", f"/api/v1/tasks/{task['id']}/complete", tokens["congan"],
                     {"data": {"summary": "Đã tập huấn 120 cán bộ"}})
    assert status == 200
    status, page = call(port, "GET", f"/api/v1/tasks?plan={plan['id']}&per_page=200", tokens["pheduyet"])
    review = next(t for t in page["tasks"] if t["instance_id"] == instance and t["lane"] == "standing_body")
    status, done = call(port, "POST", f"/api/v1/tasks/{review['id']}/complete", tokens["pheduyet"],
                        {"data": {"approved": True}})
    assert (status, done["status"]) == (200, "completed")
    status, again = call(port, "POST", f"/api/v1/tasks/{review['id']}/complete", tokens["pheduyet"],
                         {"data": {"approved": True}})
    assert status == 409
