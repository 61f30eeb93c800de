"""Checking a parsed BPMN file before SpiffWorkflow sees it: the schema, then what cannot run.

Each rule looks only at executable processes and either refuses the file,
naming the element, or rewrites another tool's expression dialect into the
restricted Python the engine evaluates.
"""
from __future__ import annotations

import re
from threading import Lock

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException

from engine.bpmn import dialects, expressions
from engine.bpmn.structure import check_structure, refuse_data_stores
from engine.errors import BpmnRejected

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
CAMUNDA_NS = "http://camunda.org/schema/1.0/bpmn"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
NS = {"bpmn": BPMN_NS, "camunda": CAMUNDA_NS, "zeebe": ZEEBE_NS}

#: Script formats the restricted engine runs (absent means the engine's default).
PYTHON_FORMATS = {None, "", "python", "text/python", "text/x-python", "py"}


_validator: BpmnValidator | None = None
_validator_lock = Lock()


def validate_schema(name: str, tree: etree._ElementTree) -> None:
    """Check the file against the BPMN 2.0 XML schema (the schema is read once per process)."""
    global _validator
    with _validator_lock:
        if _validator is None:
            _validator = BpmnValidator()
        try:
            _validator.validate(tree, filename=name)
        except ValidationException as error:
            raise rejected_from(error, name) from None


def check_and_translate(name: str, tree: etree._ElementTree) -> None:
    """Refuse what cannot run; rewrite other tools' expression dialects into Python.

    Only executable processes are checked: a documentation-only pool of a
    collaboration never runs, whatever it contains.
    """
    refuse_data_stores(name, tree.getroot())
    for process in tree.getroot().iterfind("bpmn:process", NS):
        if process.get("isExecutable", "true").lower() == "false":
            continue
        for rule in (_check_unsupported, _check_scripts, _check_timers, _check_conditions, _check_loops,
                     check_structure):
            rule(name, process)


def _element_id(node) -> str:
    while node is not None:
        if node.get("id"):
            return node.get("id")
        node = node.getparent()
    return "?"


def _translate(name: str, node, translate, what: str, owner=None) -> None:
    try:
        node.text = translate(node.text or "")
    except expressions.UnsafeExpression as error:
        raise BpmnRejected(f"{what} {error}", file=name,
                           element=_element_id(owner if owner is not None else node)) from None


def _check_scripts(name: str, root) -> None:
    for script_task in root.iterfind(".//bpmn:scriptTask", NS):
        script_format = (script_task.get("scriptFormat") or "").lower()
        if script_format not in PYTHON_FORMATS:
            raise BpmnRejected(f"script format '{script_format}' is not supported; planflow runs scripts written in "
                               "Python (scriptFormat python, or none)",
                               file=name, element=script_task.get("id"))
        for script in script_task.iterfind("bpmn:script", NS):
            try:
                expressions.check_source(script.text or "", "exec")
            except expressions.UnsafeExpression as error:
                raise BpmnRejected(f"script {error}", file=name, element=script_task.get("id")) from None
    for listener in root.iterfind(".//camunda:executionListener", NS):
        raise BpmnRejected("Camunda execution listeners are not supported (they would silently not run); put the "
                           "work in a script task of the flow instead",
                           file=name, element=_element_id(listener))
    for listener in root.iterfind(".//camunda:taskListener", NS):
        raise BpmnRejected("Camunda task listeners are not supported (they would silently not run); put the "
                           "work in a script task before or after the user task instead",
                           file=name, element=_element_id(listener))


def _check_timers(name: str, root) -> None:
    for timer in root.iterfind(".//bpmn:timerEventDefinition", NS):
        values = [child for child in timer if etree.QName(child).localname in {"timeDate", "timeDuration", "timeCycle"}]
        if not values:
            raise BpmnRejected("timer has no timeDate, timeDuration or timeCycle", file=name,
                               element=_element_id(timer.getparent()))
        for value in values:
            kind = etree.QName(value).localname
            _translate(name, value, lambda text, kind=kind: dialects.translate_timer(text, kind), "timer",
                       owner=timer.getparent())


def _check_conditions(name: str, root) -> None:
    for condition in root.iterfind(".//bpmn:conditionExpression", NS):
        language = (condition.get("language") or "").lower()
        if language and language not in PYTHON_FORMATS and "juel" not in language and "feel" not in language:
            raise BpmnRejected(f"condition language '{language}' is not supported; {dialects.SUPPORTED_CONDITIONS}",
                               file=name, element=_element_id(condition))
        _translate(name, condition, dialects.translate_condition, "condition")
    for condition in root.iterfind(".//bpmn:conditionalEventDefinition/bpmn:condition", NS):
        _translate(name, condition, dialects.translate_condition, "condition")
    for condition in root.iterfind(".//bpmn:completionCondition", NS):
        _translate(name, condition, dialects.translate_condition, "completion condition")
    for cardinality in root.iterfind(".//bpmn:loopCardinality", NS):
        _translate(name, cardinality, dialects.translate_condition, "loop cardinality")


def _check_unsupported(name: str, root) -> None:
    for task in root.iterfind(".//bpmn:businessRuleTask", NS):
        raise BpmnRejected("business rule task needs a DMN decision"
                           f" ({_decision_ref(task) or 'none named'}), and planflow does not run DMN decisions; "
                           "model the decision as conditions of an exclusive gateway, or as a script task",
                           file=name, element=task.get("id"))
    for tag in ("complexGateway",):
        for node in root.iterfind(f".//bpmn:{tag}", NS):
            raise BpmnRejected(f"{tag} is not supported (its activation condition would not run as written); "
                               "use an inclusive or exclusive gateway", file=name, element=node.get("id"))


def _decision_ref(task) -> str | None:
    for element in task.iter():
        if element.get("decisionId") or element.get(f"{{{CAMUNDA_NS}}}decisionRef"):
            return element.get("decisionId") or element.get(f"{{{CAMUNDA_NS}}}decisionRef")
    return None


def _check_loops(name: str, root) -> None:
    for loop in root.iterfind(".//bpmn:multiInstanceLoopCharacteristics", NS):
        element = _element_id(loop)
        collection = loop.get(f"{{{CAMUNDA_NS}}}collection")
        if collection is not None:
            _camunda_collection_to_standard(name, loop, collection)
        has_input = loop.find("bpmn:loopCardinality", NS) is not None or loop.find("bpmn:loopDataInputRef", NS) is not None
        if not has_input:
            extension = " (it is defined only through zeebe:loopCharacteristics)" \
                if loop.find(".//zeebe:loopCharacteristics", NS) is not None else ""
            raise BpmnRejected(f"multi-instance has neither loopCardinality nor loopDataInputRef{extension}",
                               file=name, element=element)


def _camunda_collection_to_standard(name: str, loop, collection: str) -> None:
    """``camunda:collection="${items}" camunda:elementVariable="item"`` as standard BPMN data inputs."""
    try:
        variable = dialects.translate_condition(collection)
    except expressions.UnsafeExpression as error:
        raise BpmnRejected(f"multi-instance collection {error}", file=name, element=_element_id(loop)) from None
    if not variable.isidentifier():
        raise BpmnRejected(f"multi-instance collection '{collection}' must name a variable", file=name,
                           element=_element_id(loop))
    data_input = etree.SubElement(loop, f"{{{BPMN_NS}}}loopDataInputRef")
    data_input.text = variable
    element_variable = loop.get(f"{{{CAMUNDA_NS}}}elementVariable")
    if element_variable:
        item = etree.SubElement(loop, f"{{{BPMN_NS}}}inputDataItem")
        item.set("id", element_variable)
        item.set("name", element_variable)


#: How SpiffWorkflow's messages show an XML element: ``<Element {ns}targetRef at 0x7f…>``.
_ELEMENT_REPR = re.compile(r"<Element (?:\{[^}]*\})?([\w:.-]+) at 0x[0-9a-fA-F]+>")


def rejected_from(error: ValidationException, name: str | None = None) -> BpmnRejected:
    message = str(error.args[0]) if error.args else str(error)
    message = message.replace(f"{{{BPMN_NS}}}", "bpmn:")
    message = _ELEMENT_REPR.sub(lambda match: f"(its {match.group(1).split(':')[-1]})", message)
    element = getattr(error, "id", None) or getattr(error, "name", None) or None
    line = getattr(error, "line_number", None)
    if line:
        message = f"{message} (line {line})"
    return BpmnRejected(message, file=getattr(error, "file_name", None) or name, element=element)
