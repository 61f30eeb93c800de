"""How fast an agency's worklist answers on a database holding a million task rows of 200 agencies.

    .venv/bin/python bench/worklist.py [--tasks 1000000] [--agencies 200] [--queries 400]
                                       [--database-url URL] [--json]

A plan is launched for real (one item done by each of the 200 agencies, so
200 plan_item instances with their tasks); then the history of a province
years into its use is written straight into the tables: process instances
of that plan's items, four task rows each, with deadlines spread over five
years: one task row in eight still open, the rest completed or cancelled.

Each query is what the work page and ``GET /api/v1/tasks`` run for an
agency officer: ``worklists.worklist`` with the default filter (open tasks,
soonest due first, 50 a page: the page query joined to instance, item and
plan, and its count), for an agency drawn at random. The same queries are
timed first, in the same run, when the database holds the open tasks alone,
before the closed history is written: the ratio of the two p99s says what
the history costs a worklist (it should cost next to nothing: the query
reads through the ``ix_tasks_worklist`` index).
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from statistics import quantiles
from time import perf_counter
from uuid import uuid4

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from engine.model.actors import SYSTEM, Actor  # noqa: E402
from engine.model.clock import FixedClock, parse_instant  # noqa: E402
from engine.model.tasks import WorklistFilter  # noqa: E402
from engine.services import definitions, directory, launches, templates, worklists  # noqa: E402
from engine.store import Database, UnitOfWork  # noqa: E402
from engine.store.processes.tables import InstanceRow, TaskRow  # noqa: E402

TEMPLATE = """
key: bench-worklist
name: Kế hoạch thử tải danh sách việc
document_type: plan
province: BEN
issuer: BEN-UBND
symbol: "{number}/KH"
standing_body: BEN-UBND
parameters:
  number: {type: string, default: "1"}
items:
  - number: 1
    title: Mỗi đơn vị tuyên truyền, phổ biến và báo cáo kết quả
    process: plan_item
    performers: {group: units}
    coordinating: [BEN-UBND]
    schedule: {text: "trong tháng 9/2099", window: {month: 9, year: "2099"}}
"""
BATCH = 20_000
SINCE = datetime(2022, 1, 1, tzinfo=timezone.utc)


def directory_of(size: int) -> dict:
    units = [{"code": agency_code(n), "name": f"Đơn vị {n}", "short_name": f"Đơn vị {n}", "level": "department",
              "kind": "department", "province": "BEN", "parent": "BEN-UBND", "groups": ["units"]}
             for n in range(size)]
    top = {"code": "BEN-UBND", "name": "UBND tỉnh thử tải", "short_name": "UBND tỉnh", "level": "province",
           "kind": "people_committee", "province": "BEN", "groups": []}
    return {"provinces": [{"code": "BEN", "name": "Tỉnh thử tải"}], "agencies": [top, *units]}


def agency_code(n: int) -> str:
    return f"BEN-S{n:03d}"


def launch(database: Database, agencies: int, clock) -> dict:
    """The plan, launched through the engine; one of its instances as the pattern of the written ones."""
    uow = UnitOfWork(database.sessions)
    directory.import_agencies(uow, clock, SYSTEM, directory_of(agencies))
    definitions.deploy_directory(uow, clock, SYSTEM)
    templates.register_template(uow, clock, SYSTEM, TEMPLATE.encode(), "bench-worklist.yaml")
    launches.launch_plan(uow, clock, SYSTEM, "bench-worklist", {})
    with database.engine.connect() as connection:
        table = InstanceRow.__table__
        return dict(connection.execute(table.select().order_by(table.c.id).limit(1)).mappings().one())


def grow(database: Database, pattern: dict, agencies: int, total_tasks: int, rng: random.Random,
         open_tasks: bool) -> float:
    """Write instances (four task rows each, open or closed) until the database holds ``total_tasks`` rows."""
    started = perf_counter()
    with database.engine.connect() as connection:
        have = connection.scalar(select(func.count()).select_from(TaskRow.__table__))
    instances, task_rows = [], []
    with database.engine.begin() as connection:
        for n in range(have, total_tasks, 4):
            agency = agency_code(rng.randrange(agencies))
            instance_id = pattern["id"] + 1_000_000 + n // 4
            created = SINCE + timedelta(minutes=rng.randrange(5 * 365 * 24 * 60))
            instances.append({**pattern, "id": instance_id, "uid": uuid4().hex, "agency": agency,
                              "started_at": created, "updated_at": created})
            for lane in range(4):
                task_rows.append(task(instance_id, agency, lane, created, rng, open_tasks))
            if len(task_rows) >= BATCH:
                flush(connection, instances, task_rows)
        flush(connection, instances, task_rows)
    return perf_counter() - started


def task(instance_id: int, agency: str, lane: int, created: datetime, rng: random.Random, open_task: bool) -> dict:
    due = created + timedelta(days=rng.randrange(10, 120))
    status = "ready" if open_task else "cancelled" if rng.random() < 0.03 else "completed"
    done = due - timedelta(days=rng.randrange(0, 9)) if status != "ready" else None
    return {"id": str(uuid4()), "instance_id": instance_id, "element_id": ("contribute", "report_result",
            "approve_result", "report_result")[lane], "name": "Báo cáo kết quả thực hiện",
            "lane": "lead", "assigned_agency": agency, "form_key": "report_result", "status": status,
            "due_at": due, "created_at": created, "claimed_by": None, "completed_at": done,
            "completed_by": "canbo" if done else None, "result": {"summary": "Đã thực hiện"} if done else None,
            "created_step": lane + 1, "completed_step": lane + 2 if done else None}


def flush(connection, instances: list, task_rows: list) -> None:
    if instances:
        connection.execute(InstanceRow.__table__.insert(), instances)
    if task_rows:
        connection.execute(TaskRow.__table__.insert(), task_rows)
    instances.clear()
    task_rows.clear()


def time_worklists(database: Database, agencies: int, queries: int, clock, rng: random.Random) -> dict:
    uow = UnitOfWork(database.sessions)
    timings, shown = [], 0
    for n in range(queries + 20):  # the first 20 warm the caches and are not counted
        agency = agency_code(rng.randrange(agencies))
        officer = Actor(f"canbo@{agency}", agency=agency, roles=frozenset({"agency_member"}))
        started = perf_counter()
        page = worklists.worklist(uow, clock, officer, WorklistFilter(), page=1, per_page=50)
        if n >= 20:
            timings.append((perf_counter() - started) * 1000)
            shown += page.total
    cuts = quantiles(timings, n=100)
    return {"p50_ms": round(cuts[49], 2), "p99_ms": round(cuts[98], 2), "max_ms": round(max(timings), 2),
            "open_tasks_per_agency": round(shown / queries)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--agencies", type=int, default=200)
    parser.add_argument("--queries", type=int, default=400)
    parser.add_argument("--database-url", default=None, help="An empty database (default: a temporary SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = random.Random(249)
    clock = FixedClock(parse_instant("2026-12-01T08:00+07:00"))
    with tempfile.TemporaryDirectory(prefix="planflow-bench-worklist-") as folder:
        database = Database(args.database_url or f"sqlite:///{Path(folder) / 'worklist.sqlite3'}")
        database.create_schema()
        pattern = launch(database, args.agencies, clock)
        grow(database, pattern, args.agencies, args.tasks // 8, rng, open_tasks=True)
        with database.engine.connect() as connection:
            small_rows = connection.scalar(select(func.count()).select_from(TaskRow.__table__))
        small = time_worklists(database, args.agencies, args.queries, clock, rng)
        written = grow(database, pattern, args.agencies, args.tasks, rng, open_tasks=False)
        with database.engine.connect() as connection:
            rows = connection.scalar(select(func.count()).select_from(TaskRow.__table__))
        if database.engine.dialect.name == "postgresql":
            with database.engine.connect() as connection:  # as autovacuum would after such a load
                connection.exec_driver_sql("analyze")
        large = time_worklists(database, args.agencies, args.queries, clock, rng)
        dialect = database.engine.dialect.name
        database.dispose()
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, {dialect}",
        "task_rows": rows, "agencies": args.agencies, "queries": args.queries, "rows_written_seconds": round(written),
        "open_tasks_alone": {"task_rows": small_rows, **small}, "with_history": {"task_rows": rows, **large},
        "p99_large_over_small": round(large["p99_ms"] / small["p99_ms"], 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"agency worklist, {figures['machine']}")
    print(f"  {rows:,} task rows of {args.agencies} agencies ({written:.0f} s to write the closed ones)")
    for label, count, result in (("open tasks alone", small_rows, small), ("with the history", rows, large)):
        print(f"  {label:16} ({count:>9,} rows): p50 {result['p50_ms']:6.2f} ms, p99 {result['p99_ms']:6.2f} ms, "
              f"max {result['max_ms']:6.2f} ms  ({result['open_tasks_per_agency']} open tasks an agency)")
    print(f"  p99 with the history / open tasks alone: {figures['p99_large_over_small']:.2f}  "
          "(goal: p99 < 20 ms at 1,000,000 rows)")


if __name__ == "__main__":
    main()
