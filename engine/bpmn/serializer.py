"""Storing a workflow's state without its process definition.

The definition is stored once per deployed version and handed back on
restore; SpiffWorkflow's stock serializer copies it into every state.
"""
from __future__ import annotations

import json
from datetime import date
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.serializer.config import DEFAULT_CONFIG
from SpiffWorkflow.bpmn.serializer.default.event_definition import (
    MessageEventDefinitionConverter,
    TimerConditionalEventDefinitionConverter,
)
from SpiffWorkflow.bpmn.serializer.default.workflow import (
    BpmnWorkflowConverter,
    WorkflowConverter,
)

from engine.bpmn.messages import CheckedMessage
from engine.bpmn.timers import ClockCycle, ClockDuration, ClockTimeDate

#: Bumped when the stored state's shape changes; stored beside every state.
STATE_FORMAT = "planflow-1/spiff-1.5"


class _SpeclessWorkflowConverter(BpmnWorkflowConverter):
    """Stores a workflow without its process definition.

    The definition is stored once per version (``process_definitions``) and
    handed back on restore; the stock converter copies it into every state.
    """

    def to_dict(self, workflow: BpmnWorkflow) -> dict:
        dct = WorkflowConverter.to_dict(self, workflow)
        dct["subprocesses"] = self.mapping_to_dict(workflow.subprocesses)
        dct["bpmn_events"] = self.registry.convert(workflow.bpmn_events)
        return dct

    def from_dict(self, dct: dict, spec=None, subprocess_specs=None, script_engine=None) -> BpmnWorkflow:
        workflow = self.target_class(spec, subprocess_specs, script_engine=script_engine, deserializing=True)
        workflow.tasks = self.mapping_from_dict(dct["tasks"], UUID, workflow=workflow)
        workflow.task_tree = workflow.tasks.get(UUID(dct["root"]))
        self.set_default_attributes(workflow, dct)
        self.subprocesses_from_dict(dct["subprocesses"], workflow)
        workflow.bpmn_events = self.registry.restore(dct.pop("bpmn_events", []))
        return workflow


class StateSerializer:
    def __init__(self) -> None:
        config = dict(DEFAULT_CONFIG)
        config[BpmnWorkflow] = _SpeclessWorkflowConverter
        # Timer definitions appear in task data too (an event-based gateway keeps the events it saw).
        for clock_timer in (ClockTimeDate, ClockDuration, ClockCycle):
            config[clock_timer] = TimerConditionalEventDefinitionConverter
        config[CheckedMessage] = MessageEventDefinitionConverter
        self._serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure(config))
        # Scripts may make dates (``date(2022, 9, 30)``); SpiffWorkflow stores only datetimes and durations.
        self._serializer.registry.register(date, lambda value: {"value": value.isoformat()},
                                           lambda dct: date.fromisoformat(dct["value"]))
        self._converter = self._serializer.registry.convert_from_dict

    def dumps(self, workflow: BpmnWorkflow) -> str:
        return self._serializer.serialize_json(workflow)

    def loads(self, state: str, spec, subprocess_specs, script_engine) -> BpmnWorkflow:
        dct = json.loads(state)
        self._serializer.migrate(dct)
        dct.pop("typename", None)
        return self._converter["BpmnWorkflow"](dct, spec=spec, subprocess_specs=subprocess_specs,
                                               script_engine=script_engine)


SERIALIZER = StateSerializer()
