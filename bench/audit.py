"""How fast `planflow audit verify` re-computes the hash chain, on a log of one million events.

    .venv/bin/python bench/audit.py [--events 1000000] [--database-url URL] [--json]

It writes a log of made-up but realistic events (task completions with form
data and evidence hashes, timer firings, reminders) straight into a fresh
SQLite file (or an empty PostgreSQL schema given by --database-url), chained
as planflow chains them, then times the verifier's full walk
(``engine.services.audit.verify``: read in batches, re-serialise, re-hash,
check every link). As the baseline in the same run it times writing and
hashing the same canonical lines alone, as the verifier does (orjson,
SHA-256), from values already in memory: the ratio says what reading and
checking add to the hashing that cannot be avoided.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path
from time import perf_counter

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from engine.model.audit_chain import FIELDS, GENESIS, event_hash, hash_matches, instant_text  # noqa: E402
from engine.services import audit  # noqa: E402
from engine.store import Database, UnitOfWork  # noqa: E402
from engine.store.audit.tables import AuditHeadRow, AuditRow  # noqa: E402

BATCH = 20_000


def events(count: int):
    """Chained records, as planflow writes them, a few kinds in turn."""
    start = datetime(2022, 5, 26, 1, 0, tzinfo=timezone.utc)
    previous = GENESIS
    for seq in range(1, count + 1):
        kind = seq % 4
        if kind == 0:
            action, data = "task.completed", {"element": "report_result", "data": {
                "summary": f"Đã tổ chức tuyên truyền tại {seq % 97} xã, phường", "outputs": ["Báo cáo"]},
                "evidence": {f"{seq:032x}": f"{seq:064x}"}}
        elif kind == 1:
            action, data = "task.created", {"element": "report_result", "agency": "QNG-CA", "lane": "lead",
                                            "due_at": "2022-09-30T23:59:59+07:00"}
        elif kind == 2:
            action, data = "timers.fired", {"ran": ["deadline_timer", "deadline_escalated"]}
        else:
            action, data = "reminder.before", {"agency": "QNG-CA", "due_at": "2022-09-30T23:59:59+07:00",
                                               "told": ["congan"]}
        record = {"seq": seq, "at": start + timedelta(seconds=seq), "actor": "congan" if kind == 0 else "system",
                  "actor_agency": "QNG-CA" if kind == 0 else None, "action": action, "plan_id": 1 + seq % 5,
                  "item_id": 1 + seq % 40, "instance_id": 1 + seq % 3000, "task_id": None, "data": data,
                  "evidence": [f"{seq:064x}"] if kind == 0 else [], "prev_hash": previous}
        record["hash"] = previous = event_hash(record)
        yield record


def build(database: Database, count: int) -> float:
    started = perf_counter()
    table = AuditRow.__table__
    batch, last = [], None
    with database.engine.begin() as connection:
        for record in events(count):
            batch.append(record)
            if len(batch) == BATCH:
                connection.execute(table.insert(), batch)
                batch = []
            last = record
        if batch:
            connection.execute(table.insert(), batch)
        connection.execute(AuditHeadRow.__table__.update().where(AuditHeadRow.id == 1)
                           .values(seq=last["seq"], hash=last["hash"]))
    return perf_counter() - started


def hash_only(count: int) -> float:
    """Seconds to write and hash ``count`` canonical lines as the verifier does (orjson, SHA-256), from values
    already in memory: the work no verifier can skip."""
    records = [[instant_text(r["at"]) if name == "at" else r[name] for name in FIELDS] + [r["hash"]]
               for r in events(min(count, 200_000))]  # built outside the timing; hashed again inside it
    started = perf_counter()
    for *values, stored in records:
        assert hash_matches(values, stored)
    per_event = (perf_counter() - started) / len(records)
    return per_event * count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="An empty database (default: a temporary SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="planflow-bench-audit-") as folder:
        database = Database(args.database_url or f"sqlite:///{Path(folder) / 'audit.sqlite3'}")
        database.create_schema()
        built = build(database, args.events)
        result = audit.verify(UnitOfWork(database.sessions), None)
        assert result.ok and result.events == args.events, result.first_break
        baseline = hash_only(args.events)
        size = Path(folder, "audit.sqlite3").stat().st_size if not args.database_url else None
        database.dispose()
    figures = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
                   f"{database.engine.dialect.name}",
        "events": args.events, "written_seconds": round(built, 1), "database_bytes": size,
        "verify_seconds": round(result.seconds, 2), "verified_per_second": round(args.events / result.seconds),
        "hash_only_per_second": round(args.events / baseline),
        "verify_over_hash_only": round(baseline / result.seconds, 2),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"audit chain verification, {figures['machine']}")
    print(f"  log of {args.events:,} events written in {built:.1f} s"
          + (f" ({size / 1e6:.0f} MB)" if size else ""))
    print(f"  planflow audit verify: {result.seconds:.2f} s, {figures['verified_per_second']:,} events/s")
    print(f"  writing and hashing the canonical lines alone (baseline): {figures['hash_only_per_second']:,} events/s")
    print(f"  verify / hash-only: {figures['verify_over_hash_only']:.2f}")


if __name__ == "__main__":
    main()
