"""What a workflow waits for and throws, described for people and for the engine."""
from __future__ import annotations

from typing import Any

from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.events.start_event import StartEvent
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.util.task import TaskState

from engine.errors import NotStartable


def boundary_events(task) -> list:
    """The waiting boundary events attached to a task (SpiffWorkflow makes them its siblings)."""
    split = task.parent
    if split is None or not isinstance(split.task_spec, BoundaryEventSplit):
        return []
    return [child for child in split.children if child is not task and child.state == TaskState.WAITING]


def kind_of(definition) -> str:
    if isinstance(definition, TimerEventDefinition):
        return "timer"
    if isinstance(definition, MessageEventDefinition):
        return "message"
    return type(definition).__name__.replace("EventDefinition", "").lower()


def definitions_of(definition) -> list:
    """The event definitions a catching task waits on (several for an event-based gateway)."""
    return list(definition.event_definitions) if isinstance(definition, MultipleEventDefinition) else [definition]


def refuse_message_only_start(spec, process_id: str) -> None:
    starts = [ts for ts in spec.task_specs.values() if isinstance(ts, StartEvent)]
    if starts and all(isinstance(ts.event_definition, MessageEventDefinition) for ts in starts):
        names = ", ".join(sorted({ts.event_definition.name for ts in starts}))
        raise NotStartable(f"process '{process_id}' starts only when message {names} arrives; "
                           "start it by sending that message")


def describe_event(event: BpmnEvent) -> dict[str, Any]:
    definition = event.event_definition
    return {
        "type": type(definition).__name__.replace("EventDefinition", "").lower(),
        "name": getattr(definition, "name", None),
        "code": getattr(definition, "code", None),
        "payload": event.payload,
    }
