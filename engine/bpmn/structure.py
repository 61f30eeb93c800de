"""Checking that an executable process hangs together: flows, boundary events, start events, data.

SpiffWorkflow accepts a flow that starts at an element that does not exist
(the process then ends at once), a boundary event attached to nothing (it
is silently dropped) and a start event that leads nowhere (the start fails),
and it reports a flow to a missing element as "perhaps a form has the same
ID?". These are drawing mistakes; each is refused at import here, naming
the element and what to draw instead.
"""
from __future__ import annotations

from lxml import etree

from ..errors import BpmnRejected

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
NS = {"bpmn": BPMN_NS}

_ACTIVITIES = frozenset({
    "task", "userTask", "manualTask", "scriptTask", "serviceTask", "sendTask", "receiveTask", "businessRuleTask",
    "callActivity", "subProcess", "transaction", "adHocSubProcess",
})
_FLOW_NODES = _ACTIVITIES | {
    "exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway", "complexGateway",
    "startEvent", "endEvent", "intermediateCatchEvent", "intermediateThrowEvent", "boundaryEvent",
}
_SCOPES = ("subProcess", "transaction")
#: What a data association may name: the data objects and data stores SpiffWorkflow reads and writes.
_DATA_ELEMENTS = ("dataObjectReference", "dataObject", "dataStoreReference")


def check_structure(name: str, process) -> None:
    """Refuse an executable process whose flows, boundary events or data associations point nowhere."""
    starts = process.findall("bpmn:startEvent", NS)
    if not starts:
        raise BpmnRejected("the process has no start event; planflow starts a process at a start event (none, "
                           "timer or message), so draw one before the first task", file=name,
                           element=process.get("id"))
    scopes = [process, *(node for tag in _SCOPES for node in process.iterfind(f".//bpmn:{tag}", NS))]
    for scope in scopes:
        _check_scope(name, scope, "the process" if scope is process else f"sub-process '{scope.get('id')}'")
    _check_data_associations(name, process)


def _local(node) -> str:
    return etree.QName(node).localname


def _check_scope(name: str, scope, where: str) -> None:
    nodes = {child.get("id"): child for child in scope if isinstance(child.tag, str) and _local(child) in _FLOW_NODES}
    flows = scope.findall("bpmn:sequenceFlow", NS)
    for flow in flows:
        for role, ref in (("starts at", flow.get("sourceRef")), ("leads to", flow.get("targetRef"))):
            if ref not in nodes:
                raise BpmnRejected(f"sequence flow {role} '{ref}', which is not an element of {where}; connect it "
                                   f"to a task, event or gateway drawn in {where}", file=name, element=flow.get("id"))
    for boundary in scope.findall("bpmn:boundaryEvent", NS):
        target = nodes.get(boundary.get("attachedToRef"))
        if target is None or _local(target) not in _ACTIVITIES:
            raise BpmnRejected(f"boundary event is attached to '{boundary.get('attachedToRef')}', which is not an "
                               f"activity of {where}; attach it to the border of a task or sub-process",
                               file=name, element=boundary.get("id"))
    sources = {flow.get("sourceRef") for flow in flows}
    for start in scope.findall("bpmn:startEvent", NS):
        if start.get("id") not in sources:
            raise BpmnRejected(f"start event has no outgoing sequence flow, so {where} would end as soon as it "
                               "started; connect it to the first task", file=name, element=start.get("id"))


def _check_data_associations(name: str, process) -> None:
    root = process.getroottree().getroot()
    known = {node.get("id") for tag in _DATA_ELEMENTS for node in root.iterfind(f".//bpmn:{tag}", NS)}
    for kind, path, verb in (("input", "bpmn:dataInputAssociation/bpmn:sourceRef", "reads from"),
                             ("output", "bpmn:dataOutputAssociation/bpmn:targetRef", "writes to")):
        for ref in process.iterfind(f".//{path}", NS):
            if (ref.text or "").strip() not in known:
                owner = ref.getparent().getparent()
                raise BpmnRejected(f"data {kind} association {verb} '{(ref.text or '').strip()}', which is no data "
                                   "object or data store reference of this file; planflow passes data through "
                                   "data objects and data stores (or process variables)", file=name,
                                   element=owner.get("id"))
