"""A BPMN file is data: it cannot read files, import modules or reach the network."""
from pathlib import Path

import pytest

from engine.bpmn.expressions import UnsafeExpression
from engine.bpmn.loader import load_bundle
from engine.bpmn.runtime import Execution
from engine.bpmn.script_engine import RestrictedScriptEngine
from engine.errors import BpmnRejected

HERE = Path(__file__).parent / "bpmn"
PLAN_ITEM = Path(__file__).resolve().parents[2] / "workflows" / "bpmn" / "plan_item.bpmn"


def bundle(name):
    return load_bundle({name: (HERE / name).read_bytes()})


def test_an_external_entity_is_refused_before_anything_is_read():
    with pytest.raises(BpmnRejected, match="DOCTYPE") as refused:
        bundle("hostile_entity.bpmn")
    assert "root:" not in str(refused.value)  # /etc/passwd was not expanded into the message


def test_a_script_that_imports_os_is_refused_at_import_naming_the_task():
    with pytest.raises(BpmnRejected, match=r"element run: script uses 'Import'"):
        bundle("hostile_script.bpmn")
    assert not Path("/tmp/planflow-pwned").exists()


def test_a_workflow_loaded_back_still_runs_with_the_restricted_engine(clock):
    loaded = bundle("task_then_script.bpmn")
    execution, outcome = Execution.start(loaded, "task_then_script", {}, clock)
    restored = Execution.restore(loaded, "task_then_script", execution.dumps(), clock)
    assert isinstance(restored.workflow.script_engine, RestrictedScriptEngine)
    # Even a script that reached a restored workflow some other way cannot import.
    restored.workflow.spec.task_specs["double"].script = "import os\nos.system('touch /tmp/planflow-pwned')"
    with pytest.raises(Exception) as failed:
        restored.complete_task(outcome.ready[0].task_id, {"number": 2})
    assert isinstance(failed.value.__cause__ or failed.value, UnsafeExpression) or "Import" in str(failed.value)
    assert not Path("/tmp/planflow-pwned").exists()


def test_a_restored_workflow_evaluates_with_the_engine_clock(clock):
    loaded = bundle("task_then_script.bpmn")
    execution, _ = Execution.start(loaded, "task_then_script", {}, clock)
    restored = Execution.restore(loaded, "task_then_script", execution.dumps(), clock)
    task = restored.workflow.get_tasks()[0]
    assert restored.workflow.script_engine.evaluate(task, "datetime.now()") == clock.now()


@pytest.mark.parametrize("change, message", [
    ("<bpmn:process", "not well-formed"),
    ('<bpmn:timeDate xsi:type="bpmn:tFormalExpression">deadline</bpmn:timeDate>',
     "element deadline_timer: timer has no timeDate"),
])
def test_a_broken_file_is_refused_with_a_message_naming_the_problem(change, message):
    text = PLAN_ITEM.read_text()
    if change.startswith("<bpmn:timeDate"):
        assert change in text
        text = text.replace(change, "")
    else:
        text = text.replace(change, "<bpmn:process <", 1)
    with pytest.raises(BpmnRejected, match=message):
        load_bundle({"plan_item.bpmn": text})


def test_an_oversized_file_is_refused():
    with pytest.raises(BpmnRejected, match="at most"):
        load_bundle({"big.bpmn": b" " * (3 * 1024 * 1024)})


def test_a_file_that_is_not_bpmn_is_refused():
    with pytest.raises(BpmnRejected, match="not BPMN 2.0"):
        load_bundle({"note.xml": "<note>hello</note>"})


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
  <bpmn:process id="p" name="&lol4;" isExecutable="true"><bpmn:startEvent id="s"/></bpmn:process>
</bpmn:definitions>"""


def test_an_entity_expansion_bomb_is_refused_without_expanding_it():
    with pytest.raises(BpmnRejected, match="DTDs and entity declarations are not allowed") as refused:
        load_bundle({"lol.bpmn": BILLION_LAUGHS})
    assert "lol" * 100 not in str(refused.value)


def test_a_document_nested_thousands_deep_is_refused_plainly():
    depth = 5000
    text = ('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
            '<bpmn:process id="p" isExecutable="true"><bpmn:documentation>' + "<x>" * depth + "</x>" * depth
            + "</bpmn:documentation></bpmn:process></bpmn:definitions>")
    with pytest.raises(BpmnRejected, match="file deep.bpmn: is not well-formed XML: Excessive depth"):
        load_bundle({"deep.bpmn": text})
