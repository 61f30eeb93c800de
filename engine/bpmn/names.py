"""The names people read in a BPMN file: of processes and tasks, and of what its diagram draws.

Read without SpiffWorkflow (lxml, no entities, no network): for the diagram a
page draws in the reader's language, and for the translation catalogue
(``extract_bpmn_names`` is Babel's extractor of them, named in babel.cfg).
"""
from __future__ import annotations

from typing import Callable, Iterable, Iterator

from lxml import etree

#: The BPMN elements whose names people read: in task lists, or drawn on the diagram.
DRAWN = {"process", "collaboration", "participant", "lane", "userTask", "manualTask", "task", "scriptTask",
         "serviceTask", "callActivity", "subProcess", "startEvent", "endEvent", "intermediateCatchEvent",
         "intermediateThrowEvent", "boundaryEvent", "exclusiveGateway", "parallelGateway", "inclusiveGateway",
         "eventBasedGateway", "sequenceFlow"}

_PARSER = dict(resolve_entities=False, no_network=True, huge_tree=False)


def element_names(files: Iterable[str], translate: Callable[[str], str] = str) -> dict[str, str]:
    """Each named element's id and its name (``translate``d), across the files; an unreadable file adds none."""
    names: dict[str, str] = {}
    for text in files:
        try:
            tree = etree.fromstring(text.encode("utf-8"), etree.XMLParser(**_PARSER))
        except etree.XMLSyntaxError:
            continue
        for node in tree.iter():
            if isinstance(node.tag, str) and node.get("id") and node.get("name"):
                names.setdefault(node.get("id"), translate(node.get("name")))
    return names


def renamed(xml: str, translate: Callable[[str], str]) -> str:
    """The BPMN file with the names its diagram draws ``translate``d (for display only)."""
    tree = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(**_PARSER))
    for node in tree.iter():
        if isinstance(node.tag, str) and etree.QName(node).localname in DRAWN and node.get("name"):
            node.set("name", translate(" ".join(node.get("name").split())))
    return etree.tostring(tree, encoding="unicode")


def extract_bpmn_names(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list[str]]]:
    """Babel extractor: the names people see of a BPMN file: processes, tasks, and what its diagram draws
    (events, gateways, flows, lanes, pools)."""
    tree = etree.parse(fileobj)
    for node in tree.iter():
        if isinstance(node.tag, str) and etree.QName(node).localname in DRAWN and node.get("name"):
            yield node.sourceline or 0, "gettext", " ".join(node.get("name").split()), [
                f"BPMN {etree.QName(node).localname} {node.get('id')}"]
