"""Scripts and expressions run under a budget: a hostile one ends, as an incident naming its limit.

Each hostile script below passes the import checks (it uses only allowed
syntax) and would run for ever, or fill the memory, or leave hundreds of
megabytes of state. Run after a person completes a task, it must end within
the time limit as an incident naming the script task and the limit, and
leave the instance exactly as it was.
"""
from __future__ import annotations

import time
from xml.sax.saxutils import escape

import pytest

from engine.bpmn.limits import ScriptLimits, current_limits, set_limits
from engine.errors import BpmnRejected, ProcessFailed
from engine.model.actors import SYSTEM
from engine.services import definitions, processes, tasks

LIMITS = ScriptLimits(seconds=0.5, memory_mib=64, state_kib=256)

HOSTILE_SCRIPTS = {
    "an endless loop": ("while True: pass", "PLANFLOW_SCRIPT_SECONDS"),
    "nested range loops": ("for i in range(100000):\n    for j in range(100000):\n        pass",
                           "PLANFLOW_SCRIPT_SECONDS"),
    "a power taken again and again": ("x = 7\nfor i in range(100):\n    x = x ** 1000", "PLANFLOW_SCRIPT_SECONDS"),
    "a string padded to 10**8": ("y = 'a'.ljust(10 ** 8)", "PLANFLOW_SCRIPT_"),
    "a comprehension of 10**10 elements": ("z = [0 for a in range(100000) for b in range(100000)]",
                                           "PLANFLOW_SCRIPT_MEMORY_MIB"),
    "a format width of 10**8": ("x = '%*s' % (10 ** 8, 'a')", "PLANFLOW_SCRIPT_"),
    "a string doubled 40 times": ("x = 'a'\nfor i in range(40):\n    x = x + x", "PLANFLOW_SCRIPT_"),
    "a bounded-looking doubling": ("x = 'ab' * 50000\n" + "x = x + x\n" * 12, "PLANFLOW_SCRIPT_"),
}

UNSTORABLE = {
    "a range": ("d = range(3)", "holds a range"),
    "a generator": ("d = (i for i in [1, 2])", "holds a generator"),
    "a dict keyed by numbers": ("d = {1: 'one'}", "keys of a stored dict must be text"),
    "not a number": ("d = float('nan')", "not a number"),
    "a list nested 1000 deep": ("d = []\nfor i in range(1000):\n    d = [d]", "nests deeper than 64"),
    "a number of 100,000 digits": ("d = 10 ** 100000", "more than 4,000 digits"),
}


def model(script: str, condition: str = "True") -> str:
    """A person's task, then the script, then a gateway with ``condition``, then another task."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="defs" targetNamespace="t">
  <bpmn:process id="hostile" isExecutable="true">
    <bpmn:startEvent id="start"/>
    <bpmn:userTask id="prepare" name="Prepare"/>
    <bpmn:scriptTask id="compute" name="Compute" scriptFormat="python">
      <bpmn:script>{escape(script)}</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:exclusiveGateway id="decide" default="otherwise"/>
    <bpmn:userTask id="review" name="Review"/>
    <bpmn:endEvent id="end"/>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare"/>
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="compute"/>
    <bpmn:sequenceFlow id="f3" sourceRef="compute" targetRef="decide"/>
    <bpmn:sequenceFlow id="when" sourceRef="decide" targetRef="review">
      <bpmn:conditionExpression>{escape(condition)}</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="otherwise" sourceRef="decide" targetRef="end"/>
    <bpmn:sequenceFlow id="f4" sourceRef="review" targetRef="end"/>
  </bpmn:process>
</bpmn:definitions>"""


@pytest.fixture(autouse=True)
def limits():
    set_limits(LIMITS)
    yield LIMITS
    set_limits(None)


def state_of(uow, instance_id):
    with uow:
        instance = uow.instances.get(instance_id)
        return instance.state, [(t.id, t.status) for t in uow.tasks.for_instance(instance_id)]


def run_after_prepare(uow, clock, script: str, condition: str = "True"):
    """Deploy, start, complete 'Prepare'; return the failure, the incident and whether anything changed."""
    definitions.deploy(uow, clock, SYSTEM, {"hostile.bpmn": model(script, condition)})
    view = processes.start_instance(uow, clock, SYSTEM, "hostile", {})
    before = state_of(uow, view.id)
    started = time.monotonic()
    with pytest.raises(ProcessFailed) as failed:
        tasks.complete_task(uow, clock, SYSTEM, view.open_tasks[0].id, {})
    elapsed = time.monotonic() - started
    with uow:
        [incident] = uow.incidents.open_for_instance(view.id)
        incident = (incident.element_id, incident.message)
    return failed.value, incident, elapsed, state_of(uow, view.id) == before


@pytest.mark.parametrize("name", list(HOSTILE_SCRIPTS))
def test_a_hostile_script_ends_as_an_incident_naming_the_limit(name, uow, clock):
    script, limit = HOSTILE_SCRIPTS[name]
    failure, (element, message), elapsed, unchanged = run_after_prepare(uow, clock, script)
    assert element == "compute"
    assert limit in message and limit in str(failure)
    assert elapsed < LIMITS.seconds + 3
    assert unchanged, "the failed step must leave the instance as it was"


@pytest.mark.parametrize("name", list(UNSTORABLE))
def test_a_script_leaving_what_cannot_be_stored_ends_as_an_incident(name, uow, clock):
    script, reason = UNSTORABLE[name]
    failure, (element, message), _, unchanged = run_after_prepare(uow, clock, script)
    assert element == "compute" and reason in message
    assert unchanged


def test_a_hostile_condition_ends_as_an_incident_at_its_gateway(uow, clock):
    condition = "sum(1 for a in range(100000) for b in range(100000)) > 0"
    failure, (element, message), elapsed, unchanged = run_after_prepare(uow, clock, "x = 1", condition)
    assert element == "decide" and "PLANFLOW_SCRIPT_SECONDS" in message
    assert unchanged


def test_a_hostile_script_after_a_timer_parks_the_instance(uow, clock):
    timed = model("while True: pass").replace(
        '<bpmn:userTask id="prepare" name="Prepare"/>',
        '<bpmn:intermediateCatchEvent id="prepare"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>"P1D"</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>')
    definitions.deploy(uow, clock, SYSTEM, {"hostile.bpmn": timed})
    view = processes.start_instance(uow, clock, SYSTEM, "hostile", {})
    clock.advance(days=2)
    assert processes.fire_due_timers(uow, clock) == {"advanced": 0, "failed": 1, "skipped": 0}
    with uow:
        [incident] = uow.incidents.open_for_instance(view.id)
        assert incident.element_id == "compute" and "time limit" in incident.message


def test_ordinary_scripts_run_and_store_what_they_leave(uow, clock):
    script = "total = sum(n for n in range(10))\nlabel = 'Tổng: ' + str(total)\nday = date(2022, 9, 30)"
    definitions.deploy(uow, clock, SYSTEM, {"ok.bpmn": model(script, "total == 45")})
    view = processes.start_instance(uow, clock, SYSTEM, "hostile", {})
    view = tasks.complete_task(uow, clock, SYSTEM, view.open_tasks[0].id, {})
    assert [task.element_id for task in view.open_tasks] == ["review"]


@pytest.mark.parametrize("condition, depth", [("not " * 3000 + "x", 3000), ("(" * 1000 + "x" + ")" * 1000, 1000),
                                              ("-" * 3000 + "x > 0", 3000)])
def test_a_condition_nested_thousands_deep_is_refused_at_import(condition, depth, uow, clock):
    with pytest.raises(BpmnRejected, match="nests deeper than 100 levels") as refused:
        definitions.deploy(uow, clock, SYSTEM, {"deep.bpmn": model("x = 1", condition)})
    assert refused.value.element == "when"


def test_the_limits_are_settings_with_sane_defaults():
    defaults = ScriptLimits.from_environment({})
    assert defaults == ScriptLimits() and defaults.seconds <= 5 and defaults.memory_mib <= 1024
    assert ScriptLimits.from_environment({"PLANFLOW_SCRIPT_SECONDS": "0.5", "PLANFLOW_SCRIPT_MEMORY_MIB": "64",
                                          "PLANFLOW_SCRIPT_STATE_KIB": "512"}) == ScriptLimits(0.5, 64, 512)
    with pytest.raises(ValueError, match="PLANFLOW_SCRIPT_SECONDS='forever' is not a number"):
        ScriptLimits.from_environment({"PLANFLOW_SCRIPT_SECONDS": "forever"})
    with pytest.raises(ValueError, match="outside"):
        ScriptLimits.from_environment({"PLANFLOW_SCRIPT_MEMORY_MIB": "1"})
    assert current_limits() == LIMITS
