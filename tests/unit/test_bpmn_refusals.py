"""What cannot run is refused at deploy, naming the file and the element and saying what works instead.

Each case is a drawing mistake or a construct from another tool that used to
deploy silently and fail at start (or never), or was refused with a message
that pointed the wrong way ("not valid Python (line 0)", "perhaps a form has
the same ID?", ``<Element bpmn:targetRef at 0x…>``).
"""
import pytest
from click.testing import CliRunner

from cli import main
from engine.errors import BpmnRejected
from engine.model.actors import SYSTEM
from engine.services import definitions, processes, tasks

HEAD = ('<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions '
        'xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="defs" targetNamespace="t">')


def process(body: str, executable: str = "true") -> str:
    return f'{HEAD}<bpmn:process id="p" isExecutable="{executable}">{body}</bpmn:process></bpmn:definitions>'


def gateway_with(condition_element: str) -> str:
    return process('<bpmn:startEvent id="start"/><bpmn:exclusiveGateway id="choose" default="other"/>'
                   '<bpmn:userTask id="yes"/><bpmn:endEvent id="end"/>'
                   '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="choose"/>'
                   f'<bpmn:sequenceFlow id="when" sourceRef="choose" targetRef="yes">{condition_element}'
                   '</bpmn:sequenceFlow><bpmn:sequenceFlow id="other" sourceRef="choose" targetRef="end"/>'
                   '<bpmn:sequenceFlow id="f2" sourceRef="yes" targetRef="end"/>')


TASK_THEN_END = ('<bpmn:startEvent id="start"/><bpmn:userTask id="work"/><bpmn:endEvent id="end"/>'
                 '<bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="work"/>'
                 '<bpmn:sequenceFlow id="f1" sourceRef="work" targetRef="end"/>')

REFUSED = {
    "no executable process": (process(TASK_THEN_END, executable="false"), "p",
                              'has no executable process (process \'p\' is marked isExecutable="false")'),
    "only a start event": (process('<bpmn:startEvent id="start"/>'), "start",
                           "start event has no outgoing sequence flow"),
    "no start event": (process('<bpmn:userTask id="work"/>'), "p", "the process has no start event"),
    "an empty condition": (gateway_with('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"/>'), "when",
                           "condition is empty; write a Python expression"),
    "an XPath condition": (gateway_with('<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">'
                                        'getDataObject("order")/approved = true()</bpmn:conditionExpression>'),
                           "when", "is an XPath expression, which planflow does not evaluate; planflow evaluates "
                                   "conditions written in Python"),
    "an XPath condition language": (gateway_with(
        '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression" language="http://www.w3.org/1999/XPath">'
        '$approved</bpmn:conditionExpression>'), "when", "planflow evaluates conditions written in Python"),
    "a condition that is not Python": (gateway_with('<bpmn:conditionExpression>approved ==</bpmn:conditionExpression>'),
                                       "when", "is not valid Python (invalid syntax, column"),
    "a flow to a missing element": (process(TASK_THEN_END.replace('targetRef="end"', 'targetRef="nowhere"')), "f1",
                                    "sequence flow leads to 'nowhere', which is not an element of the process"),
    "a flow from a missing element": (process(TASK_THEN_END + '<bpmn:sequenceFlow id="stray" sourceRef="ghost" '
                                              'targetRef="end"/>'), "stray", "sequence flow starts at 'ghost'"),
    "a boundary event attached to nothing": (process(
        TASK_THEN_END + '<bpmn:boundaryEvent id="late" attachedToRef="missing"><bpmn:timerEventDefinition>'
        '<bpmn:timeDuration>P1D</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>'
        '<bpmn:sequenceFlow id="f9" sourceRef="late" targetRef="end"/>'), "late",
        "boundary event is attached to 'missing', which is not an activity"),
    "a data association to nothing": (process(TASK_THEN_END.replace(
        '<bpmn:userTask id="work"/>', '<bpmn:userTask id="work"><bpmn:dataOutputAssociation id="out">'
        '<bpmn:targetRef>report</bpmn:targetRef></bpmn:dataOutputAssociation></bpmn:userTask>')), "work",
        "data output association writes to 'report', which is no data object reference of this file"),
    "a call to a process not deployed": (process(TASK_THEN_END.replace(
        '<bpmn:userTask id="work"/>', '<bpmn:callActivity id="work" calledElement="elsewhere"/>')), "work",
        "calls process 'elsewhere', which is in none of the files deployed with it"),
    "two flows out of a task": (process(TASK_THEN_END + '<bpmn:endEvent id="end2"/>'
                                        '<bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end2"/>'), "work",
                                "has 2 outgoing sequence flows; planflow follows one flow out of a task"),
    "a gateway flow with no condition": (gateway_with("").replace(' default="other"', ''), "when",
                                         "with no condition and is not its default"),
    "a data store": (process(TASK_THEN_END).replace('<bpmn:process', '<bpmn:dataStore id="ledger" name="Sổ cái"/>'
                                                    '<bpmn:process'), "ledger",
                     "data store 'Sổ cái' cannot be used: planflow has no data store implementations"),
    "a sub-process with no start event": (process(TASK_THEN_END.replace(
        '<bpmn:userTask id="work"/>', '<bpmn:subProcess id="work"><bpmn:userTask id="inner"/></bpmn:subProcess>')),
        "work", "sub-process 'work' has no start event"),
    "a process that calls itself": (process(TASK_THEN_END.replace(
        '<bpmn:userTask id="work"/>', '<bpmn:callActivity id="work" calledElement="p"/>')), "work",
        "which calls itself (p → p)"),
    "a complex gateway": (process(TASK_THEN_END.replace('<bpmn:userTask id="work"/>',
                                                        '<bpmn:complexGateway id="work"/>')), "work",
                          "use an inclusive or exclusive gateway"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_a_file_that_cannot_run_is_refused_at_deploy_naming_file_and_element(case, uow, clock):
    xml, element, reason = REFUSED[case]
    with pytest.raises(BpmnRejected) as refused:
        definitions.deploy(uow, clock, SYSTEM, {"drawn.bpmn": xml})
    error = refused.value
    assert (error.file, error.element) == ("drawn.bpmn", element)
    assert reason in str(error)
    assert "<Element" not in str(error) and "perhaps a form" not in str(error) and "line 0" not in str(error)
    with uow:
        assert uow.definitions.all_latest() == []


def test_deploying_a_file_with_no_executable_process_fails_on_the_command_line(databases, tmp_path):
    path = tmp_path / "drawn.bpmn"
    path.write_text(REFUSED["no executable process"][0])
    url = databases.new(tmp_path, "db")
    assert CliRunner().invoke(main, ["--database-url", url, "init-db"]).exit_code == 0
    result = CliRunner().invoke(main, ["--database-url", url, "deploy", str(path)])
    assert result.exit_code == 2
    assert "drawn.bpmn" in result.output and "isExecutable" in result.output


def test_a_non_executable_pool_beside_an_executable_one_deploys(uow, clock):
    xml = (f'{HEAD}<bpmn:collaboration id="c"><bpmn:participant id="a" processRef="p"/>'
           '<bpmn:participant id="b" processRef="notes"/></bpmn:collaboration>'
           f'<bpmn:process id="p" isExecutable="true">{TASK_THEN_END}</bpmn:process>'
           '<bpmn:process id="notes" isExecutable="false"/></bpmn:definitions>')
    assert [d.key for d in definitions.deploy(uow, clock, SYSTEM, {"pools.bpmn": xml})] == ["p"]


@pytest.mark.parametrize("name", ["input", "type", "object", "filter", "format", "id"])
def test_a_condition_on_a_variable_named_like_a_builtin_runs(name, uow, clock):
    xml = gateway_with(f"<bpmn:conditionExpression>{name} == 'A'</bpmn:conditionExpression>")
    definitions.deploy(uow, clock, SYSTEM, {"names.bpmn": xml})
    view = processes.start_instance(uow, clock, SYSTEM, "p", {name: "A"})
    assert [task.element_id for task in view.open_tasks] == ["yes"]
    view = tasks.complete_task(uow, clock, SYSTEM, view.open_tasks[0].id, {})
    assert view.status == "completed"
