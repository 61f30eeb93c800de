"""Three `planflow worker --once` processes at the same instant on one PostgreSQL database, on 2,000 instances
whose timers are all due: every timer fires exactly once, none is left behind, and the audit chain verifies.

The instances wait at a one-hour timer before a task. One is started through the engine; the rest are
copies of its row, each with its own id, cache key and workflow task ids: what 2,000 starts would have
written. A timer fired twice would show as a second task, a second `timers.fired` event, or a version
past 2 (written at the start, then by the firing).
"""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from uuid import uuid4

from sqlalchemy import text

from engine.model.actors import SYSTEM
from engine.model.clock import FixedClock, parse_instant
from engine.services import audit, definitions, processes
from engine.store import UnitOfWork
from engine.store.processes.tables import InstanceRow

WORKERS = 3
INSTANCES = 2000
ROOT = Path(__file__).resolve().parents[2]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
WAIT_AN_HOUR = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="t">
  <bpmn:process id="wait_an_hour" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:intermediateCatchEvent id="an_hour">
      <bpmn:timerEventDefinition><bpmn:timeDuration>"PT1H"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:userTask id="work"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="an_hour"/>
    <bpmn:sequenceFlow id="f1" sourceRef="an_hour" targetRef="work"/>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>
"""


def copy_of(row: dict) -> dict:
    """Another instance in the same state: its own id, cache key and workflow task ids."""
    fresh: dict[str, str] = {}
    state = UUID.sub(lambda found: fresh.setdefault(found.group(0), str(uuid4())), row["state"])
    return {**{name: value for name, value in row.items() if name != "id"}, "uid": uuid4().hex, "state": state}


def test_three_workers_fire_each_of_thousands_of_due_timers_exactly_once(pg_database):
    clock = FixedClock(parse_instant("2022-06-01T08:00+07:00"))
    uow = UnitOfWork(pg_database.sessions)
    definitions.deploy(uow, clock, SYSTEM, {"wait.bpmn": WAIT_AN_HOUR})
    first = processes.start_instance(uow, clock, SYSTEM, "wait_an_hour")
    with pg_database.engine.begin() as connection:
        table = InstanceRow.__table__
        original = dict(connection.execute(table.select().where(table.c.id == first.id)).mappings().one())
        connection.execute(table.insert(), [copy_of(original) for _ in range(INSTANCES - 1)])
        due = connection.execute(text("select count(*) from process_instances where next_timer_at <= :at"),
                                 {"at": parse_instant("2022-06-01T09:00+07:00")}).scalar()
    assert due == INSTANCES
    pg_database.dispose()  # the workers are other processes: let them have the connections

    command = [sys.executable, "-m", "cli", "--database-url", pg_database.url, "worker", "--once",
               "--now", "2022-06-01T09:00+07:00", "--batch", "100"]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "PLANFLOW_SMTP_URL": ""}, cwd=ROOT) for _ in range(WORKERS)]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    assert [worker.returncode for worker in workers] == [0] * WORKERS, outputs

    advanced = [int(out.split(": ")[1].split(" instance")[0]) for out, _ in outputs]
    assert sum(advanced) == INSTANCES, outputs
    assert all(share > 0 for share in advanced), advanced  # the three shared the work
    with pg_database.engine.connect() as connection:
        states = connection.execute(text(
            "select status, version, next_timer_at is null, count(*) from process_instances "
            "group by 1, 2, 3")).all()
        tasks = connection.execute(text(
            "select count(*), count(distinct instance_id) from human_tasks where element_id = 'work'")).one()
        fired = connection.execute(text(
            "select count(*), count(distinct instance_id) from audit_log where action = 'timers.fired'")).one()
    assert states == [("running", 2, True, INSTANCES)]  # written at its start, then once by its firing
    assert tuple(tasks) == (INSTANCES, INSTANCES)
    assert tuple(fired) == (INSTANCES, INSTANCES)
    chain = audit.verify(UnitOfWork(pg_database.sessions), None)
    assert chain.ok and chain.events == chain.head_seq, chain
