"""Task completions over HTTP: gunicorn with 2 workers on PostgreSQL, 8 officers at once, a million task rows.

    .venv/bin/python bench/http_completions.py [--server postgresql+psycopg://postgres@127.0.0.1:5432]
                                   [--history 1000000] [--clients 8] [--seconds 30] [--json]

It makes a database ``planflow_bench_http`` on the server (dropping an old one), launches through the
engine, one plan at a time, enough plans for each of 8 agencies to have hundreds of open report tasks,
writes the closed history of 200 agencies until the database holds a million task rows
(bench/worklist.py's history), gives each agency an officer with a personal token, and serves the app
with gunicorn (deploy/gunicorn.conf.py, 2 workers) on the loopback address.

Debian's ``wrk`` (apt-get install wrk) then plays the officers, one connection each, with
bench/http_flow.lua: the agency's worklist, the task's form, the completion with its report, over and
over. Completions per second and their p50/p99 (timed in the script) are printed, with wrk's own CPU
share of the machine. As the baseline in the same run, raw SpiffWorkflow loads each of as many
serialised plan_item workflows, completes the same task and serialises it again, in memory: the ratio
compares the whole HTTP path with that core of it. Goals: at least 0.4 of the baseline, p99 under 100 ms.
The floor printed beside it is a bare Flask app that answers a constant, under the same gunicorn and wrk:
what the web stack alone allows, before any database, sign-in or work.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import quantiles
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from engine.model.actors import SYSTEM  # noqa: E402
from engine.model.clock import FixedClock, SystemClock, parse_instant  # noqa: E402
from engine.services import definitions, directory, launches, templates, users  # noqa: E402
from engine.store import Database, UnitOfWork  # noqa: E402
from engine.store.processes.tables import InstanceRow, TaskRow  # noqa: E402

DATABASE = "planflow_bench_http"
PASSWORD = "mật-khẩu-thử-tải"
TEMPLATE = """
key: bench-http
name: Kế hoạch thử tải hoàn thành việc
document_type: plan
province: BEN
issuer: BEN-UBND
symbol: "{number}/KH-HTTP"
standing_body: BEN-UBND
parameters:
  number: {type: string, default: "1"}
items:
  - number: 1
    title: Mỗi đơn vị tuyên truyền và báo cáo kết quả
    process: plan_item
    performers: {group: clients}
    coordinating: []
    schedule: {text: "trong tháng 9/2099", window: {month: 9, year: "2099"}}
"""


def sibling(name: str):
    """Another benchmark of this folder, as a module (their set-up and baselines are reused)."""
    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def fresh_database(server: str) -> str:
    admin = create_engine(f"{server}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'drop database if exists "{DATABASE}" with (force)'))
        connection.execute(text(f'create database "{DATABASE}"'))
    admin.dispose()
    return f"{server}/{DATABASE}"


def build(url: str, clients: int, per_client: int, history: int, worklist) -> tuple[list[str], list[list[str]]]:
    """The world: plans launched, the history written, an officer and a token per client agency."""
    clock = FixedClock(parse_instant("2022-06-01T08:00+07:00"))
    database = Database(url)
    database.create_schema()
    uow = UnitOfWork(database.sessions)
    book = worklist.directory_of(200)
    for agency in book["agencies"][1:clients + 1]:
        agency["groups"] = [*agency["groups"], "clients"]
    directory.import_agencies(uow, clock, SYSTEM, book)
    definitions.deploy_directory(uow, clock, SYSTEM)
    templates.register_template(uow, clock, SYSTEM, TEMPLATE.encode(), "bench-http.yaml")
    started = perf_counter()
    for number in range(per_client):
        launches.launch_plan(uow, clock, SYSTEM, "bench-http", {"number": str(number + 1)})
    print(f"  {per_client} plans of {clients} instances launched in {perf_counter() - started:.0f} s", flush=True)
    with database.engine.connect() as connection:
        table = InstanceRow.__table__
        pattern = dict(connection.execute(table.select().order_by(table.c.id).limit(1)).mappings().one())
    written = worklist.grow(database, pattern, 200, history, random.Random(249), open_tasks=False)
    print(f"  history written in {written:.0f} s", flush=True)
    tokens, ids = [], []
    for n in range(clients):
        agency = worklist.agency_code(n)
        users.add_user(uow, clock, SYSTEM, f"canbo{n}", PASSWORD, ["agency_member"], agency=agency)
        # gunicorn runs by the real clock: the token must be valid by it.
        tokens.append(users.create_token(uow, SystemClock(), SYSTEM, f"canbo{n}", "bench"))
        with database.engine.connect() as connection:
            ids.append(list(connection.execute(
                select(TaskRow.id).where(TaskRow.assigned_agency == agency, TaskRow.status == "ready",
                                         TaskRow.element_id == "report_result").order_by(TaskRow.created_at))
                .scalars()))
    # Vacuumed now, so that autovacuum does not set about the million new rows while the load runs.
    with database.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.exec_driver_sql("vacuum analyze")
        rows = connection.scalar(select(func.count()).select_from(TaskRow.__table__))
    database.dispose()
    print(f"  {rows:,} task rows", flush=True)
    return tokens, ids


def serve(url: str, workers: int, folder: Path, app: str = "server:create_app()",
          ready: str = "/api/v1/health") -> tuple[subprocess.Popen, int]:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {**os.environ, "PLANFLOW_DATABASE_URL": url, "PLANFLOW_SECRET_KEY": "bench",
                   "PLANFLOW_EVIDENCE_DIR": str(folder / "evidence"), "PLANFLOW_BIND": f"127.0.0.1:{port}",
                   "PLANFLOW_WEB_WORKERS": str(workers), "PYTHONPATH": f"{folder}{os.pathsep}{ROOT}"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"),
                               "--access-logfile", "/dev/null", app], cwd=folder, env=environment,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{ready}", timeout=5)
            return server, port
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise SystemExit("gunicorn did not start") from None
            time.sleep(0.2)


#: The floor of the HTTP figure: a Flask app that answers a constant JSON object, nothing else.
FLOOR_APP = """
from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/")
def constant():
    return jsonify(ok=True)
"""


def floor_requests_per_second(workers: int, clients: int, seconds: int) -> float:
    """Requests per second a bare Flask app serves under the same gunicorn settings and load generator: no
    database, no sign-in, no work. Each completion of the flow takes three requests, so a third of this
    bounds the completions any Flask app could serve here."""
    with tempfile.TemporaryDirectory(prefix="planflow-bench-floor-") as name:
        folder = Path(name)
        (folder / "floor_app.py").write_text(FLOOR_APP)
        server, port = serve("sqlite://", workers, folder, app="floor_app:app", ready="/")
        try:
            output = subprocess.run(["wrk", f"-t{clients}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
                                     f"http://127.0.0.1:{port}/"], capture_output=True, text=True, check=True).stdout
        finally:
            server.terminate()
            server.wait(timeout=60)
    line = next((line for line in output.splitlines() if line.startswith("Requests/sec:")), None)
    if line is None:
        raise SystemExit(f"wrk gave no rate:\n{output}")
    return float(line.split(":")[1])


def machine_busy() -> tuple[float, float]:
    """Seconds of CPU the whole machine has spent busy, and in all, since boot."""
    fields = [float(value) for value in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]
    ticks = os.sysconf("SC_CLK_TCK")
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def load(port: int, folder: Path, clients: int, seconds: int) -> dict:
    busy_before, all_before = machine_busy()
    generator = subprocess.Popen(["wrk", f"-t{clients}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s",
                                  "-s", str(HERE / "http_flow.lua"), f"http://127.0.0.1:{port}"],
                                 env={**os.environ, "BENCH_DIR": str(folder)}, stdout=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(generator.pid, 0)
    output = generator.stdout.read()
    busy_after, all_after = machine_busy()
    line = next((line for line in output.splitlines() if line.startswith("BENCH ")), None)
    if status != 0 or line is None:
        raise SystemExit(f"wrk failed:\n{output}")
    result = json.loads(line[6:])
    result["generator_cpu_seconds"] = usage.ru_utime + usage.ru_stime
    result["machine_busy_seconds"] = busy_after - busy_before
    result["machine_seconds"] = all_after - all_before
    return result


def raw_load_complete_save(engine_bench, count: int) -> float:
    """Raw SpiffWorkflow: restore a serialised plan_item workflow, complete its report, serialise it."""
    engine_bench.START_VARIABLES = {**engine_bench.START_VARIABLES, "coordinating_agencies": []}
    specs = engine_bench.parse_raw()
    serializer = BpmnWorkflowSerializer()
    saved = [serializer.serialize_json(engine_bench.start_raw(specs)) for _ in range(count)]
    started = perf_counter()
    for state in saved:
        workflow = serializer.deserialize_json(state)
        task = workflow.get_tasks(state=TaskState.READY, manual=True)[0]
        task.data.update({"summary": "Đã tổ chức tuyên truyền tại 3 xã, phường"})
        task.run()
        workflow.do_engine_steps()
        serializer.serialize_json(workflow)
    return count / (perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--server", default="postgresql+psycopg://postgres@127.0.0.1:5432",
                        help="A PostgreSQL server URL without a database (it makes and drops its own)")
    parser.add_argument("--history", type=int, default=1_000_000, help="task rows in the database in all")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--per-client", type=int, default=400, help="open tasks each officer may complete")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("bench/http_completions.py needs Debian's wrk: apt-get install wrk")
    worklist, engine_bench = sibling("worklist"), sibling("engine")
    print("building the database", flush=True)
    url = fresh_database(args.server)
    tokens, ids = build(url, args.clients, args.per_client, args.history, worklist)
    with tempfile.TemporaryDirectory(prefix="planflow-bench-http-") as name:
        folder = Path(name)
        (folder / "tokens.txt").write_text("\n".join(tokens) + "\n")
        for n, agency_ids in enumerate(ids, start=1):
            (folder / f"ids-{n}.txt").write_text("\n".join(agency_ids) + "\n")
        server, port = serve(url, args.workers, folder)
        try:
            print(f"gunicorn with {args.workers} workers on port {port}; wrk, {args.clients} connections, "
                  f"{args.seconds} s", flush=True)
            result = load(port, folder, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=60)
    baseline = raw_load_complete_save(engine_bench, 500)
    floor = floor_requests_per_second(args.workers, args.clients, min(args.seconds, 10))
    latencies = [float(value) for value in result.pop("completion_ms")] or [0.0]
    cuts = quantiles(latencies, n=100) if len(latencies) > 1 else [latencies[0]] * 99
    rate = result["completed"] / result["seconds"]
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, PostgreSQL",
        "task_rows": args.history, "clients": args.clients, "gunicorn_workers": args.workers,
        "completions": result["completed"], "refused": result["refused"], "errors": result["errors"],
        "completions_per_second": round(rate, 1),
        "completion_p50_ms": round(cuts[49], 1), "completion_p99_ms": round(cuts[98], 1),
        "requests_per_second": round(result["requests"] / result["seconds"], 1),
        "request_p50_ms": round(result["request_p50_ms"], 1), "request_p99_ms": round(result["request_p99_ms"], 1),
        "generator_cpu_share_of_machine": round(result["generator_cpu_seconds"] / result["machine_seconds"], 3),
        "machine_busy_share": round(result["machine_busy_seconds"] / result["machine_seconds"], 3),
        "raw_spiff_load_complete_save_per_second": round(baseline, 1),
        "http_over_raw": round(rate / baseline, 3),
        "bare_flask_requests_per_second": round(floor, 1),
        "bare_flask_over_raw": round(floor / 3 / baseline, 3),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"task completion over HTTP, {figures['machine']}")
    print(f"  {figures['completions']} completions in {result['seconds']:.0f} s: {rate:.1f}/s, "
          f"p50 {figures['completion_p50_ms']} ms, p99 {figures['completion_p99_ms']} ms "
          f"({figures['refused']} refused, {figures['errors']} errors)")
    print(f"  every request of the flow (worklist, form, complete): {figures['requests_per_second']}/s, "
          f"p50 {figures['request_p50_ms']} ms, p99 {figures['request_p99_ms']} ms")
    print(f"  wrk used {figures['generator_cpu_share_of_machine']:.1%} of the machine's CPU; the machine was "
          f"{figures['machine_busy_share']:.0%} busy")
    print(f"  raw SpiffWorkflow load-complete-save in memory (baseline): {baseline:.0f}/s")
    print(f"  HTTP / raw: {figures['http_over_raw']:.3f}  (goal: 0.4, with p99 under 100 ms)")
    print(f"  floor: a bare Flask app answering a constant under the same gunicorn and wrk: {floor:.0f} requests/s; "
          f"a third of it, as three requests make a completion, is {figures['bare_flask_over_raw']:.3f} of raw")


if __name__ == "__main__":
    main()
