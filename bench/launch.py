"""Plan launch: process instances started per second, for a plan of 10,000, on SQLite or PostgreSQL.

    .venv/bin/python bench/launch.py [--instances 10000] [--repeat 1] [--database-url URL] [--one-by-one] [--json]

A template with one item performed by every unit of a made-up directory is launched with
``launches.launch_plan``: one transaction writes the plan, its items, every ``plan_item`` instance with its
state, first tasks and audit events. The baseline, in the same run: raw SpiffWorkflow creating the same
instances (same BPMN, same start variables, run to their first wait) and serialising each to JSON in memory,
as a store would have to. The ratio compares the two; the goal (issue 19) is at least 0.5. ``--one-by-one``
also starts as many instances one transaction each through ``processes.start_instance``.

``--database-url`` takes an empty PostgreSQL database (its tables are made here); by default a temporary
SQLite file.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer  # noqa: E402

from engine.model.actors import SYSTEM  # noqa: E402
from engine.model.clock import FixedClock, parse_instant  # noqa: E402
from engine.services import definitions, directory, launches, processes, templates  # noqa: E402
from engine.store import Database, UnitOfWork  # noqa: E402

GOAL = 0.5
TEMPLATE = """
key: bench-plan
name: Kế hoạch thử tải
document_type: plan
province: BEN
issuer: BEN-UBND
symbol: "{number}/KH"
standing_body: BEN-UBND
parameters:
  number: {type: string, default: "1"}
items:
  - number: 1
    title: Mỗi đơn vị thực hiện và báo cáo
    process: plan_item
    performers: {group: districts}
    coordinating: [BEN-UBND]
    schedule: {text: "trong tháng 9/2099", window: {month: 9, year: "2099"}}
"""
#: What the launch gives the first unit's instance (the others differ in the lead agency only).
VARIABLES = {"title": "Mỗi đơn vị thực hiện và báo cáo", "lead_agency": "BEN-D0000",
             "coordinating_agencies": ["BEN-UBND"], "standing_body": "BEN-UBND",
             "deadline": "2099-09-30T23:59:59+07:00"}


def directory_of(size: int) -> dict:
    units = [{"code": f"BEN-D{n:04d}", "name": f"Đơn vị {n}", "short_name": f"Đơn vị {n}", "level": "district",
              "kind": "people_committee", "province": "BEN", "parent": "BEN-UBND", "groups": ["districts"]}
             for n in range(size)]
    top = {"code": "BEN-UBND", "name": "UBND tỉnh thử tải", "short_name": "UBND tỉnh", "level": "province",
           "kind": "people_committee", "province": "BEN", "groups": []}
    return {"provinces": [{"code": "BEN", "name": "Tỉnh thử tải"}], "agencies": [top, *units]}


def engine_bench():
    """bench/engine.py as a module: its raw SpiffWorkflow set-up is the baseline's."""
    spec = importlib.util.spec_from_file_location("bench_engine", HERE / "engine.py")
    module = sys.modules[spec.name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def raw(instances: int) -> float:
    """Raw SpiffWorkflow: create each instance, run it to its first wait, serialise it; instances a second."""
    bench = engine_bench()
    bench.START_VARIABLES = dict(VARIABLES)
    specs, serializer = bench.parse_raw(), BpmnWorkflowSerializer()
    serializer.serialize_json(bench.start_raw(specs))  # warm-up
    began = perf_counter()
    for n in range(instances):
        bench.START_VARIABLES["lead_agency"] = f"BEN-D{n:04d}"
        serializer.serialize_json(bench.start_raw(specs))
    return instances / (perf_counter() - began)


def emptied(url: str) -> None:
    """The PostgreSQL database of a run before, emptied (its public schema made anew) for the next."""
    database = Database(url)
    try:
        with database.engine.begin() as connection:
            connection.exec_driver_sql("drop schema public cascade")
            connection.exec_driver_sql("create schema public")
    finally:
        database.dispose()


def run(instances: int, url: str | None, one_by_one: bool) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="planflow-launch-") as folder:
        if url is not None:
            emptied(url)
        database = Database(url or f"sqlite:///{folder}/bench.sqlite3")
        try:
            database.create_schema()
            uow, clock = UnitOfWork(database.sessions), FixedClock(parse_instant("2099-01-02T08:00+07:00"))
            directory.import_agencies(uow, clock, SYSTEM, directory_of(instances))
            definitions.deploy_directory(uow, clock, SYSTEM)
            templates.register_template(uow, clock, SYSTEM, TEMPLATE, "bench-plan.yaml")
            began = perf_counter()
            view = launches.launch_plan(uow, clock, SYSTEM, "bench-plan", {})
            launch_seconds = perf_counter() - began
            launched = len(view.items[0].instances)
            assert launched == instances, launched
            result = {"instances": instances, "launch_seconds": launch_seconds,
                      "launch_instances_per_second": instances / launch_seconds}
            if one_by_one:
                began = perf_counter()
                for _ in range(instances):
                    processes.start_instance(uow, clock, SYSTEM, "plan_item", VARIABLES)
                result["one_by_one_instances_per_second"] = instances / (perf_counter() - began)
        finally:
            database.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--database-url", default=None,
                        help="an empty PostgreSQL database (default: a temporary SQLite file)")
    parser.add_argument("--one-by-one", action="store_true",
                        help="also start as many instances one transaction each")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = [run(args.instances, args.database_url, args.one_by_one) for _ in range(args.repeat)]
    best = max(runs, key=lambda r: r["launch_instances_per_second"])
    baseline = raw(args.instances)
    where = "PostgreSQL" if args.database_url else "SQLite"
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
              "database": where, **best, "raw_spiff_create_and_serialise_per_second": baseline,
              "launch_over_raw": best["launch_instances_per_second"] / baseline}
    if args.one_by_one:
        result["one_by_one_instances_per_second"] = max(r["one_by_one_instances_per_second"] for r in runs)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"plan launch of {args.instances:,} plan_item instances on {where}, best of {args.repeat}; {result['machine']}")
    print(f"  one launch, one transaction: {best['launch_seconds']:.1f} s, "
          f"{best['launch_instances_per_second']:.0f} instances/s")
    if args.one_by_one:
        print(f"  one start per transaction:   {result['one_by_one_instances_per_second']:.0f} instances/s")
    print(f"  raw SpiffWorkflow creating and serialising them in memory (baseline): {baseline:.0f} instances/s")
    print(f"  launch / raw: {result['launch_over_raw']:.2f}  (goal: at least {GOAL}): "
          f"{'met' if result['launch_over_raw'] >= GOAL else 'NOT MET'}")


if __name__ == "__main__":
    main()
