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

from engine.errors import BpmnRejected

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
_GATEWAYS = frozenset({"exclusiveGateway", "parallelGateway", "inclusiveGateway", "eventBasedGateway",
                       "complexGateway"})
_CONDITIONAL_GATEWAYS = frozenset({"exclusiveGateway", "inclusiveGateway"})
#: What a data association may name: the data objects and data stores SpiffWorkflow reads and writes.
_DATA_ELEMENTS = ("dataObjectReference", "dataObject", "dataStoreReference")


def refuse_data_stores(name: str, root) -> None:
    """Data stores need an implementation behind them, and planflow has none."""
    for store in root.iterfind(".//bpmn:dataStore", NS):
        label = _label(store.get("name") or store.get("id"))
        raise BpmnRejected(f"data store '{label}' cannot be used: planflow has no data store implementations; keep "
                           "the data in process variables (a data object) instead", file=name,
                           element=store.get("id"))


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
    if scope.tag != f"{{{BPMN_NS}}}process" and not scope.findall("bpmn:startEvent", NS):
        raise BpmnRejected(f"{where} has no start event; draw one inside it before its first task", file=name,
                           element=scope.get("id"))
    outgoing: dict[str, list] = {}
    for flow in flows:
        outgoing.setdefault(flow.get("sourceRef"), []).append(flow)
    for start in scope.findall("bpmn:startEvent", NS):
        if start.get("id") not in outgoing:
            raise BpmnRejected(f"start event has no outgoing sequence flow, so {where} would end as soon as it "
                               "started; connect it to the first task", file=name, element=start.get("id"))
    for node_id, leaving in outgoing.items():
        _check_outgoing(name, nodes[node_id], leaving)


def _check_outgoing(name: str, node, leaving: list) -> None:
    kind = _local(node)
    if len(leaving) > 1 and kind not in _GATEWAYS and kind != "startEvent":
        raise BpmnRejected(f"has {len(leaving)} outgoing sequence flows; planflow follows one flow out of a task or "
                           "event: draw a parallel gateway after it to take every path, or an exclusive gateway to "
                           "choose one", file=name, element=node.get("id"))
    if len(leaving) > 1 and kind in _CONDITIONAL_GATEWAYS:
        for flow in leaving:
            if flow.get("id") != node.get("default") and flow.find("bpmn:conditionExpression", NS) is None:
                raise BpmnRejected(f"sequence flow leaves {kind} '{node.get('id')}' with no condition and is not its "
                                   f"default; give it a condition, or make it the default flow "
                                   f"(default=\"{flow.get('id')}\" on the gateway)", file=name,
                                   element=flow.get("id"))


def _check_data_associations(name: str, process) -> None:
    root = process.getroottree().getroot()
    objects = {node.get("id") for node in root.iterfind(".//bpmn:dataObject", NS)}
    references = {node.get("id") for node in root.iterfind(".//bpmn:dataObjectReference", NS)
                  if node.get("dataObjectRef") in objects}
    stores = {node.get("id"): node.get("name") or node.get("id")
              for node in root.iterfind(".//bpmn:dataStoreReference", NS)}
    for kind, path, verb in (("input", "bpmn:dataInputAssociation/bpmn:sourceRef", "reads from"),
                             ("output", "bpmn:dataOutputAssociation/bpmn:targetRef", "writes to")):
        for ref in process.iterfind(f".//{path}", NS):
            target = (ref.text or "").strip()
            if target in references:
                continue
            owner = ref.getparent().getparent().get("id")
            if target in stores:
                raise BpmnRejected(f"data {kind} association {verb} data store '{_label(stores[target])}', and planflow "
                                   "has no data store implementations; keep the data in process variables (a data "
                                   "object) instead", file=name, element=owner)
            raise BpmnRejected(f"data {kind} association {verb} '{target}', which is no data object reference of "
                               "this file; planflow passes data through data objects (or process variables)",
                               file=name, element=owner)


def _label(text: str) -> str:
    return " ".join(text.split())
