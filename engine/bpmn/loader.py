"""Loading BPMN files safely and checking, at import, that they can run.

A bundle is the set of files deployed together (a process and the processes it
calls). Everything that could fail at run time because of the file itself is
checked here, so that a file is refused with a message naming the file and
element instead of failing halfway through a plan.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Iterable

from lxml import etree
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnParser, full_tag
from SpiffWorkflow.bpmn.parser.task_parsers import (
    ConditionalGatewayParser,
    GatewayParser,
)
from SpiffWorkflow.bpmn.parser.TaskParser import TaskParser
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.bpmn.specs.defaults import ServiceTask
from SpiffWorkflow.bpmn.specs.mixins.events.event_types import (
    CatchingEvent,
    ThrowingEvent,
)
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import (
    MultiInstanceTask,
    StandardLoopTask,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn.checks import (
    BPMN_NS,
    CAMUNDA_NS,
    NS,
    check_and_translate,
    rejected_from,
    validate_schema,
)
from engine.bpmn.joins import (
    CountingInclusiveGateway,
    CountingParallelGateway,
    refuse_self_fed_parallel_joins,
)
from engine.bpmn.messages import use_checked_messages
from engine.bpmn.multi_instance import connect_iterations, use_loop_counters
from engine.bpmn.timers import use_engine_clock
from engine.errors import BpmnRejected

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_BUNDLE_BYTES = 8 * 1024 * 1024
MAX_FILES = 50

ACTIVITI_NS = "http://activiti.org/bpmn"  # Signavio exports write Camunda's attributes in this namespace


class PassThroughServiceTask(ServiceTask):
    """A service task with no planflow implementation: it completes as it is reached.

    Files from other tools bind service tasks to Java classes or job workers
    that do not exist here; the step is recorded in the history and passed.
    """

    def _run_hook(self, my_task) -> bool:
        return True


class PlanflowParser(BpmnParser):
    OVERRIDE_PARSER_CLASSES = {
        full_tag("serviceTask"): (TaskParser, PassThroughServiceTask),
        full_tag("parallelGateway"): (GatewayParser, CountingParallelGateway),
        full_tag("inclusiveGateway"): (ConditionalGatewayParser, CountingInclusiveGateway),
    }


@dataclass(frozen=True)
class HumanTaskInfo:
    """What the engine needs to know of a user, manual or abstract task."""

    element_id: str
    name: str
    kind: str
    lane: str | None
    form_key: str | None
    documentation: str | None


@dataclass
class Bundle:
    """Parsed, checked BPMN files, ready to start processes from."""

    files: dict[str, str]
    content_hash: str
    executable: list[str]
    non_executable: list[str]
    collaborations: list[str]
    all_collaborations: dict[str, list[str]]
    human_tasks: dict[str, HumanTaskInfo]
    parser: PlanflowParser = field(repr=False)
    _specs: dict[str, tuple] = field(default_factory=dict, repr=False)

    def specs_for(self, process_id: str) -> tuple:
        """(spec, subprocess specs) for a process or collaboration id, parsed once."""
        if process_id not in self._specs:
            self._specs[process_id] = self._build_specs(process_id)
        return self._specs[process_id]

    def _build_specs(self, process_id: str) -> tuple:
        try:
            if process_id in self.collaborations:
                spec, subprocesses = self.parser.get_collaboration(process_id)
            else:
                spec = self.parser.get_spec(process_id)
                subprocesses = self.parser.get_subprocess_specs(process_id)
        except ValidationException as error:
            raise rejected_from(error) from None
        missing = [name for name, sub in subprocesses.items() if sub is None]
        if missing:
            raise BpmnRejected(f"calls process {', '.join(missing)}, which is not in the deployed files; "
                               "deploy the called file together with it", element=process_id)
        for each in [spec, *subprocesses.values()]:
            refuse_self_fed_parallel_joins(each)
            for task_spec in each.task_specs.values():
                use_loop_counters(task_spec)
                if isinstance(task_spec, (CatchingEvent, ThrowingEvent)):
                    use_engine_clock(task_spec.event_definition)
                    use_checked_messages(task_spec.event_definition)
            connect_iterations(each)
        return spec, subprocesses


def content_hash(files: dict[str, str | bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name].encode("utf-8") if isinstance(files[name], str) else files[name]
        digest.update(hashlib.sha256(data).digest())
    return digest.hexdigest()


def load_bundle(files: dict[str, str | bytes]) -> Bundle:
    """Parse and check a set of BPMN files deployed together.

    ``files`` maps a file name (used in messages) to its content. Raises
    ``BpmnRejected`` naming the file and element of the first problem.
    """
    if not files:
        raise BpmnRejected("no BPMN file given")
    if len(files) > MAX_FILES:
        raise BpmnRejected(f"{len(files)} files given; at most {MAX_FILES} may be deployed together")
    raw = {name: data.encode("utf-8") if isinstance(data, str) else data for name, data in files.items()}
    if sum(len(data) for data in raw.values()) > MAX_BUNDLE_BYTES:
        raise BpmnRejected(f"the files add up to more than {MAX_BUNDLE_BYTES // 1024 // 1024} MiB")

    parser = PlanflowParser()
    forms: dict[str, str] = {}
    trees = {}
    for name, data in raw.items():
        tree = trees[name] = parse_xml(name, data)
        validate_schema(name, tree)
        check_and_translate(name, tree)
        forms.update(_form_keys(tree))
        try:
            parser.add_bpmn_xml(tree, filename=name)
        except ValidationException as error:
            raise rejected_from(error, name) from None
        except (SpiffWorkflowException, etree.LxmlError, ValueError, KeyError) as error:
            raise BpmnRejected(f"cannot be read as BPMN ({error})", file=name) from None
    _check_called_processes(trees, parser)

    executable = [pid for pid, p in parser.process_parsers.items() if p.process_executable]
    non_executable = [pid for pid, p in parser.process_parsers.items() if not p.process_executable]
    # A collaboration is started as a whole only when it has several executable pools;
    # with one, starting that pool's process is the same thing.
    collaborations = [cid for cid, pools in parser.collaborations.items()
                      if len([pid for pid in pools if pid in executable]) > 1]
    bundle = Bundle(
        files={name: data.decode("utf-8") for name, data in raw.items()},
        content_hash=content_hash(raw),
        executable=executable,
        non_executable=non_executable,
        collaborations=collaborations,
        all_collaborations={cid: list(pools) for cid, pools in parser.collaborations.items()},
        human_tasks={},
        parser=parser,
    )
    for process_id in executable:
        try:
            spec, subprocesses = bundle.specs_for(process_id)
        except BpmnRejected as error:
            raise error.in_file(parser.process_parsers[process_id].filename) from None
        for each in [spec, *subprocesses.values()]:
            bundle.human_tasks.update(_human_tasks(each, forms))
    return bundle


def _check_called_processes(trees: dict, parser: PlanflowParser) -> None:
    """A call activity must call a process of the files deployed with it, and no process may call itself.

    A process that calls itself, directly or through others, starts a new
    sub-process at every level and never ends (SpiffWorkflow spins on it).
    """
    known = set(parser.process_parsers)
    calls: dict[str, list[tuple[str, str, str]]] = {}  # process -> [(called process, call activity, file)]
    for name, tree in trees.items():
        for process in tree.getroot().iterfind("bpmn:process", NS):
            if process.get("isExecutable", "true").lower() == "false":
                continue
            for call in process.iterfind(".//bpmn:callActivity", NS):
                called = call.get("calledElement") or ""
                if called not in known:
                    raise BpmnRejected(f"calls process '{called}', which is in none of the files deployed with it "
                                       f"(they define: {', '.join(sorted(known)) or 'nothing'}); deploy the file "
                                       "that defines it together with this one", file=name, element=call.get("id"))
                calls.setdefault(process.get("id"), []).append((called, call.get("id"), name))
    for start in calls:
        _refuse_call_cycle(start, calls)


def _refuse_call_cycle(start: str, calls: dict) -> None:
    stack, seen = [(start, [start])], set()
    while stack:
        process, path = stack.pop()
        for called, call_id, file in calls.get(process, []):
            if called == start:
                chain = " → ".join([*path, called])
                raise BpmnRejected(f"calls process '{called}', which calls itself ({chain}); every pass would start "
                                   "another sub-process and the instance would never end. Model a repetition as a "
                                   "loop back through an exclusive gateway instead", file=file, element=call_id)
            if called not in seen:
                seen.add(called)
                stack.append((called, [*path, called]))


def files_that_run_nothing(bundle: Bundle) -> dict[str, list[str]]:
    """The files of a bundle with no executable process, each with the processes it does define."""
    defined: dict[str, list[str]] = {name: [] for name in bundle.files}
    for process_id, process_parser in bundle.parser.process_parsers.items():
        defined.setdefault(process_parser.filename, []).append(process_id)
    return {name: processes for name, processes in defined.items()
            if not any(process_id in bundle.executable for process_id in processes)}


def parse_xml(name: str, data: bytes) -> etree._ElementTree:
    """Parse XML with no DTDs, no entity expansion and no network access."""
    if len(data) > MAX_FILE_BYTES:
        raise BpmnRejected(f"is {len(data)} bytes; a BPMN file may be at most {MAX_FILE_BYTES} bytes", file=name)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise BpmnRejected("declares a DOCTYPE or entities; DTDs and entity declarations are not allowed in "
                           "BPMN files", file=name)
    xml_parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                                 huge_tree=False, remove_pis=True)
    try:
        tree = etree.ElementTree(etree.fromstring(data, xml_parser))
    except etree.XMLSyntaxError as error:
        raise BpmnRejected(f"is not well-formed XML: {error.msg}", file=name) from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise BpmnRejected("declares a DOCTYPE; DTDs and entity declarations are not allowed in BPMN files",
                           file=name)
    if any(isinstance(node, etree._Entity) for node in tree.iter()):
        raise BpmnRejected("uses XML entities, which are not allowed in BPMN files", file=name)
    root = tree.getroot()
    if root.tag != f"{{{BPMN_NS}}}definitions":
        raise BpmnRejected(f"has root element {root.tag}, not BPMN 2.0 definitions", file=name)
    return tree


def _form_keys(tree) -> dict[str, str]:
    keys = {}
    for task in tree.getroot().iterfind(".//bpmn:userTask", NS):
        key = task.get(f"{{{CAMUNDA_NS}}}formKey") or task.get(f"{{{ACTIVITI_NS}}}formKey")
        form = task.find(".//zeebe:formDefinition", NS)
        if key is None and form is not None:
            key = form.get("formKey") or form.get("formId")
        if key:
            keys[task.get("id")] = key
    return keys


def _human_tasks(spec, forms: dict[str, str]) -> Iterable[tuple[str, HumanTaskInfo]]:
    for task_spec in spec.task_specs.values():
        if isinstance(task_spec, (MultiInstanceTask, StandardLoopTask)) or not getattr(task_spec, "manual", False):
            continue
        bpmn_id = task_spec.bpmn_id
        yield bpmn_id, HumanTaskInfo(
            element_id=bpmn_id,
            name=task_spec.bpmn_name or bpmn_id,
            kind=type(task_spec).__name__,
            lane=task_spec.lane,
            form_key=forms.get(bpmn_id),
            documentation=task_spec.documentation,
        )
