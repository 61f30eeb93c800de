"""Messages whose correlation failures name the task that sent or caught them.

SpiffWorkflow 3.2 evaluates a message's correlation expression straight in
the script environment, so a missing variable escapes as a bare NameError
with no task attached. This subclass reports it as a workflow error at the
send or receive task, which becomes an incident naming the element.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition


class CheckedMessage(MessageEventDefinition):
    def get_correlations(self, my_task, payload):
        try:
            return super().get_correlations(my_task, payload)
        except Exception as error:
            raise WorkflowTaskException(f"cannot compute the correlation of message '{self.name}': {error}",
                                        task=my_task, exception=error) from error


def use_checked_messages(event_definition):
    if type(event_definition) is MessageEventDefinition:
        event_definition.__class__ = CheckedMessage
    elif isinstance(event_definition, MultipleEventDefinition):
        for inner in event_definition.event_definitions:
            use_checked_messages(inner)
    return event_definition
