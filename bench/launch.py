"""How fast a plan of 1,000 process instances launches on SQLite (one transaction for the whole plan).

    .venv/bin/python bench/launch.py [--instances 1000] [--repeat 3] [--json]

For comparison it also starts the same number of plan_item instances one
transaction each through ``processes.start_instance`` (the baseline), in
the same run.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from engine.clock import FixedClock, parse_instant  # noqa: E402
from engine.model import SYSTEM  # noqa: E402
from engine.services import definitions, directory, launches, plans, processes, templates  # noqa: E402
from engine.store import Database, UnitOfWork  # noqa: E402

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


def directory_of(size: int) -> dict:
    units = [{"code": f"BEN-D{n:04d}", "name": f"Đơn vị {n}", "short_name": f"Đơn vị {n}", "level": "district",
              "kind": "people_committee", "province": "BEN", "parent": "BEN-UBND", "groups": ["districts"]}
             for n in range(size)]
    top = {"code": "BEN-UBND", "name": "UBND tỉnh thử tải", "short_name": "UBND tỉnh", "level": "province",
           "kind": "people_committee", "province": "BEN", "groups": []}
    return {"provinces": [{"code": "BEN", "name": "Tỉnh thử tải"}], "agencies": [top, *units]}


def run(instances: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="planflow-launch-") as folder:
        database = Database(f"sqlite:///{folder}/bench.sqlite3")
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
            variables = {"title": "x", "lead_agency": "BEN-D0000", "coordinating_agencies": ["BEN-UBND"],
                         "standing_body": "BEN-UBND", "deadline": "2099-09-30T23:59:59+07:00"}
            began = perf_counter()
            for _ in range(instances):
                processes.start_instance(uow, clock, SYSTEM, "plan_item", variables)
            one_by_one_seconds = perf_counter() - began
        finally:
            database.dispose()
    return {"instances": instances, "launch_seconds": launch_seconds,
            "launch_instances_per_second": instances / launch_seconds,
            "one_by_one_instances_per_second": instances / one_by_one_seconds}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--instances", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = [run(args.instances) for _ in range(args.repeat)]
    best = max(runs, key=lambda r: r["launch_instances_per_second"])
    baseline = max(r["one_by_one_instances_per_second"] for r in runs)
    result = {**best, "one_by_one_instances_per_second": baseline,
              "ratio": best["launch_instances_per_second"] / baseline}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"plan launch of {args.instances} plan_item instances on SQLite, best of {args.repeat}")
    print(f"  one launch, one transaction:     {best['launch_seconds']:.2f} s, "
          f"{best['launch_instances_per_second']:.0f} instances/s")
    print(f"  baseline, one start per transaction: {baseline:.0f} instances/s")
    print(f"  launch / baseline: {result['ratio']:.2f}")


if __name__ == "__main__":
    main()
