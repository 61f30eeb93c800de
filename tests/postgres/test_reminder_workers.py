"""Three `planflow worker --once` processes at the same instant on one PostgreSQL database: every reminder
and escalation due is sent, and none twice.

On 28 December 2022 the 37 agencies of item IV.3 of plan 249/KH-BCD138 are
3 working days from their deadline (31 December), and items 4 to 7 and their
six contributions are overdue: 37 reminders and 10 escalations are due, and
each one's notices.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import launches
from engine.store import UnitOfWork

WORKERS = 3
ROOT = Path(__file__).resolve().parents[2]


def test_three_workers_at_once_send_each_reminder_exactly_once(pg_database):
    from seed.loader import load_seed
    clock = FixedClock(parse_instant("2022-05-25T08:00+07:00"))
    load_seed(UnitOfWork(pg_database.sessions), clock, lambda _: None)
    launches.launch_plan(UnitOfWork(pg_database.sessions), clock, SYSTEM, "qng-249-kh-bcd138",
                         {"relevant_units": ["QNG-STTTT"]})
    pg_database.dispose()  # the workers are other processes: let them have the connections

    environment = {**os.environ, "PLANFLOW_SMTP_URL": ""}
    command = [sys.executable, "-m", "cli", "--database-url", pg_database.url, "worker", "--once",
               "--now", "2022-12-28T08:00+07:00"]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env=environment, cwd=ROOT) for _ in range(WORKERS)]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * WORKERS, outputs

    with pg_database.engine.connect() as connection:
        kinds = dict(connection.execute(text("select kind, count(*) from reminders group by kind")).all())
        doubled = connection.execute(text(
            "select task_id, kind from reminders group by task_id, kind having count(*) > 1")).all()
        inbox_doubles = connection.execute(text(
            "select username, kind, task_id from notifications group by username, kind, task_id "
            "having count(*) > 1")).all()
        audited = connection.execute(text(
            "select count(*) from audit_log where action like 'reminder.%'")).scalar()
    assert doubled == [] and inbox_doubles == []
    assert kinds == {"before": 37, "overdue": 10}
    assert audited == 47  # each notice once in the audit log, whichever worker sent it
    said = "".join(out for out, _ in outputs)
    assert sum(int(line.split("reminders: ")[1].split(" before")[0]) for line in said.splitlines()) == 37
