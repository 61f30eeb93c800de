"""Running one process instance: start, restore, complete a task, fire timers.

This is the only place that builds a ``BpmnWorkflow``, so every workflow,
new or restored, gets the restricted script engine and the engine clock.
After every change the engine runs to the next wait, checks that a finished
workflow really ended at an end event, and compacts the task tree.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventSplit
from SpiffWorkflow.bpmn.specs.defaults import EndEvent
from SpiffWorkflow.bpmn.specs.event_definitions.item_aware_event import (
    ErrorEventDefinition,
    EscalationEventDefinition,
)
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.bpmn.util import BpmnEvent
from SpiffWorkflow.exceptions import SpiffWorkflowException
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.compaction import compact, find_task
from engine.bpmn.events import (
    boundary_events,
    definitions_of,
    describe_event,
    kind_of,
    refuse_message_only_start,
)
from engine.bpmn.expressions import UnsafeExpression
from engine.bpmn.loader import Bundle
from engine.bpmn.messages import CheckedMessage
from engine.bpmn.script_engine import RestrictedScriptEngine
from engine.bpmn.serializer import SERIALIZER
from engine.bpmn.timers import due_time
from engine.errors import Conflict, NotFound, NotStartable, ProcessFailed
from engine.i18n import t
from engine.model.clock import FixedClock

#: Cycle timers that fell far behind fire at most this many times per worker run.
MAX_TIMER_ROUNDS = 500

#: What a step can raise because of the process itself (its scripts, conditions, data, model), never
#: because of a bug in planflow: these become incidents, anything else is a bug to see.
PROCESS_FAILURES = (SpiffWorkflowException, UnsafeExpression, ProcessFailed)


@dataclass(frozen=True)
class ReadyTask:
    """A human task waiting for someone, as the task rows store it."""

    task_id: str
    element_id: str
    name: str
    lane: str | None
    form_key: str | None
    kind: str
    variables: dict[str, Any]
    due_at: datetime | None


@dataclass
class StepOutcome:
    """What one change did, for the task rows, the instance row and the audit log."""

    completed: bool = False
    ready: list[ReadyTask] = field(default_factory=list)
    next_timer_at: datetime | None = None
    waiting_for: list[str] = field(default_factory=list)
    thrown: list[dict[str, Any]] = field(default_factory=list)
    ran: list[str] = field(default_factory=list)


class Execution:
    """One process instance held in memory for the length of one change."""

    def __init__(self, bundle: Bundle, process_id: str, workflow: BpmnWorkflow, clock) -> None:
        self.bundle = bundle
        self.process_id = process_id
        self.workflow = workflow
        self.clock = clock
        self._ran: list[str] = []
        self._ended = False

    # --- building -------------------------------------------------------
    @classmethod
    def start(cls, bundle: Bundle, process_id: str, variables: dict[str, Any], clock,
              message: str | None = None) -> tuple["Execution", StepOutcome]:
        """Start an instance; ``message`` names the message a message start event waits for."""
        if process_id in bundle.non_executable:
            raise NotStartable(f"process '{process_id}' is not executable (isExecutable=\"false\")")
        pools = bundle.all_collaborations.get(process_id)
        if pools is not None and process_id not in bundle.collaborations:
            executable = [pool for pool in pools if pool in bundle.executable]
            if not executable:
                raise NotStartable(f"collaboration '{process_id}' has no executable process "
                                   f"(pools: {', '.join(pools) or 'none'})")
            process_id = executable[0]
        if process_id not in bundle.executable and process_id not in bundle.collaborations:
            known = ", ".join(bundle.executable + bundle.collaborations) or "none"
            raise NotFound(f"no process '{process_id}' in the deployed files (executable: {known})")
        spec, subprocesses = bundle.specs_for(process_id)
        if message is None:
            refuse_message_only_start(spec, process_id)
        workflow = BpmnWorkflow(spec, subprocesses, script_engine=RestrictedScriptEngine(clock))
        for task in workflow.get_tasks(state=TaskState.READY):
            task.data.update(variables)
        execution = cls(bundle, process_id, workflow, clock)
        if message is None:
            return execution, execution.advance()
        execution.advance()
        return execution, execution.send_message(message, variables)

    @classmethod
    def restore(cls, bundle: Bundle, process_id: str, state: str, clock) -> "Execution":
        spec, subprocesses = bundle.specs_for(process_id)
        workflow = SERIALIZER.loads(state, spec, subprocesses, RestrictedScriptEngine(clock))
        return cls(bundle, process_id, workflow, clock)

    def use_clock(self, clock) -> None:
        """Run the next step by this clock (a kept workflow may serve another caller)."""
        self.clock = clock
        self.workflow.script_engine.clock = clock

    def dumps(self) -> str:
        return SERIALIZER.dumps(self.workflow)

    # --- changing -------------------------------------------------------
    def complete_task(self, task_id: str, data: dict[str, Any]) -> StepOutcome:
        task = self._ready_human_task(task_id)
        task.data.update(data)
        self._ran.append(task.task_spec.bpmn_id or task.task_spec.name)
        task.run()
        return self.advance()

    def throw_from_task(self, task_id: str, kind: str, code: str, data: dict[str, Any]) -> StepOutcome:
        """End (or, for a non-interrupting boundary, accompany) a human task with a BPMN error or escalation.

        The person working the task raises it instead of completing the task;
        a boundary event of the task with that code must catch it.
        """
        task = self._ready_human_task(task_id)
        definition_class = {"error": ErrorEventDefinition, "escalation": EscalationEventDefinition}.get(kind)
        if definition_class is None:
            raise Conflict(f"a task can raise an 'error' or an 'escalation', not '{kind}'")
        catcher = next((boundary for boundary in boundary_events(task)
                        if type(boundary.task_spec.event_definition) is definition_class
                        and boundary.task_spec.event_definition.code in (None, code)), None)
        if catcher is None:
            raise Conflict(f"task '{task.task_spec.bpmn_name or task.task_spec.name}' has no boundary event "
                           f"catching {kind} '{code}'")
        task.data.update(data)
        event = BpmnEvent(definition_class(catcher.task_spec.event_definition.name, code=code), dict(data),
                          target=task.workflow)
        self.workflow.catch(event)
        return self.advance()

    def fire_due_timers(self) -> StepOutcome:
        """Fire every timer due by the clock's time, in the order they fell due.

        A worker that was down (or a simulation that jumps ahead) replays the
        missed timers one due time after another, each at its own instant:
        six daily reminders come before the seven-day timeout, as they would
        have on time.
        """
        real_clock, ran, thrown = self.clock, [], []
        outcome = None
        try:
            for _ in range(MAX_TIMER_ROUNDS):
                due = self.next_timer_at()
                if due is None or due > real_clock.now():
                    break
                self.use_clock(FixedClock(due))
                self.workflow.refresh_timers()
                outcome = self.advance()
                ran += outcome.ran
                thrown += outcome.thrown
        finally:
            self.use_clock(real_clock)
        if outcome is None:
            return self.advance()
        outcome.ran, outcome.thrown = ran, thrown
        return outcome

    def send_message(self, name: str, payload: dict[str, Any] | None = None) -> StepOutcome:
        """Deliver a BPMN message (e.g. a message start or receive task) by its name.

        Where the waiting event declares correlation properties, they are read
        from the payload; a message that does not match is not accepted.
        """
        payload = payload or {}
        correlations = self._correlations_of(name, payload)
        event = BpmnEvent(CheckedMessage(name), payload, correlations)
        if self.workflow.event_manager.catch(event, internal=False) == 0:
            raise Conflict(f"this instance is not waiting for message '{name}'"
                           + (f" with {correlations}" if correlations else ""))
        return self.advance()

    def _correlations_of(self, name: str, payload: dict[str, Any]) -> dict[str, Any]:
        for task in self.workflow.event_manager.tasks.values():
            for definition in definitions_of(task.task_spec.event_definition):
                if isinstance(definition, MessageEventDefinition) and definition.name == name \
                        and definition.correlation_properties:
                    try:
                        return definition.calculate_correlations(
                            self.workflow.script_engine, definition.correlation_properties, payload)
                    except Exception as error:  # the payload lacks the correlation value
                        raise Conflict(f"message '{name}' lacks its correlation value: {error}") from None
        return {}

    def set_variables(self, variables: dict[str, Any]) -> None:
        """Give new values to every task that has not finished, and to the tasks they inherit from.

        SpiffWorkflow merges a task's parent data into it whenever the task is
        updated, so changing the waiting task alone would be undone.
        """
        changed: set = set()
        for each in [self.workflow, *self.workflow.subprocesses.values()]:
            for task in list(each.tasks.values()):
                node = task if not task.has_state(TaskState.FINISHED_MASK) else None
                while node is not None and node.id not in changed:
                    node.data.update(variables)
                    changed.add(node.id)
                    node = node.parent

    def move_deadline(self, task_id: str, until: datetime) -> StepOutcome:
        """Move the deadline of a ready task (a granted extension): its boundary timers are set to ``until``.

        A timer still waiting is re-armed at ``until``; one that fired already
        (the task was overdue) keeps its escalation but reads ``until`` as the
        task's deadline from now on. The variable the timer reads (``deadline``,
        or ``report_deadlines[period_index]``) is changed too, so that a task
        asked again after a return is due at ``until`` as well.
        """
        task = self._ready_human_task(task_id)
        timers = self._deadline_timers(task)
        # A task with no timer (a contribution, an approval) has the deadline the engine gave it, which the
        # caller moves on its row: the process has nothing to change.
        instant = until.isoformat()
        for timer in timers:
            if timer.has_state(TaskState.WAITING):
                timer._set_internal_data(event_value=instant, event_fired=False)
            else:
                timer._set_internal_data(event_value=instant)
            self._set_deadline_variable(task, timer.task_spec.event_definition, instant)
        return self.advance()

    def _deadline_timers(self, task) -> list:
        """The timers on the boundary of this task (or of its multi-instance), waiting or fired."""
        node = task.parent
        for _ in range(2):
            if node is None:
                return []
            if isinstance(node.task_spec, BoundaryEventSplit):
                return [child for child in node.children
                        if child.has_state(TaskState.WAITING | TaskState.COMPLETED)
                        and isinstance(child.task_spec.event_definition, TimerEventDefinition)]
            if not isinstance(node.task_spec, LoopTask):
                return []
            node = node.parent
        return []

    def _set_deadline_variable(self, task, definition, instant: str) -> None:
        expression = getattr(definition, "expression", "") or ""
        name, _, index = expression.strip().partition("[")
        if not name.isidentifier():
            return
        if not index:
            self.set_variables({name: instant})
            return
        index_name = index.rstrip("]").strip()
        values, position = task.data.get(name), task.data.get(index_name)
        if index_name.isidentifier() and isinstance(values, list) and isinstance(position, int) \
                and 0 <= position < len(values):
            values = list(values)
            values[position] = instant
            self.set_variables({name: values})

    def advance(self) -> StepOutcome:
        """Run the engine to the next wait (timers included), then check and compact the tree."""
        finished_before = self.workflow.is_completed()
        self.workflow.do_engine_steps(did_complete_task=self._note_completed)
        completed = self.workflow.is_completed()
        if completed and not self._ended and not finished_before:
            raise ProcessFailed("the workflow reports itself finished but no end event ran; "
                                "the instance was left as it was")
        outcome = StepOutcome(completed=completed, ran=list(self._ran))
        outcome.thrown = [describe_event(event) for event in self.workflow.get_events()]
        if not completed:
            # Read before compacting: a boundary timer that fired this step still tells the deadline.
            outcome.ready = self.ready_tasks()
        compact(self.workflow)
        self._forget_stale_waiters()
        if not completed:
            outcome.next_timer_at = self.next_timer_at()
            outcome.waiting_for = self.waiting_for()
        self._ran.clear()
        self._ended = False
        return outcome

    # --- reading --------------------------------------------------------
    def ready_tasks(self) -> list[ReadyTask]:
        return [self._describe(task) for task in self.workflow.get_tasks(state=TaskState.READY, manual=True)]

    def next_timer_at(self) -> datetime | None:
        dues = [due_time(task) for task in self._waiting_timers()]
        return min((due for due in dues if due is not None), default=None)

    def waiting_for(self) -> list[str]:
        """What the instance waits on besides people: messages, signals, timers, joins still missing a branch."""
        waits = []
        for task in self.workflow.event_manager.tasks.values():
            for definition in definitions_of(task.task_spec.event_definition):
                name = getattr(definition, "name", None) or task.task_spec.bpmn_id
                waits.append(f"{kind_of(definition)} {name}")
        for each in [self.workflow, *self.workflow.subprocesses.values()]:
            for task in each.tasks.values():
                if task.state == TaskState.WAITING and isinstance(task.task_spec, UnstructuredJoin) \
                        and task.task_spec.bpmn_id:  # a gateway of the diagram, not SpiffWorkflow's own end join
                    waits.append(f"join {task.task_spec.bpmn_id}")
        return waits

    def active_element_ids(self) -> list[str]:
        """The diagram elements the instance is at: open tasks, waiting events and joins."""
        active = TaskState.READY | TaskState.WAITING | TaskState.STARTED
        return sorted({t.task_spec.bpmn_id for each in [self.workflow, *self.workflow.subprocesses.values()]
                       for t in each.tasks.values() if t.has_state(active) and t.task_spec.bpmn_id})

    # --- internals ------------------------------------------------------
    def _note_completed(self, task) -> None:
        if task.task_spec.bpmn_id:
            self._ran.append(task.task_spec.bpmn_id)
        if isinstance(task.task_spec, EndEvent):
            # In a collaboration the pools run as sub-workflows; their end events count.
            self._ended = True

    def _ready_human_task(self, task_id: str):
        try:
            task = find_task(self.workflow, UUID(str(task_id)))
        except ValueError:
            task = None
        if task is None or not task.task_spec.manual:
            raise Conflict(t("task %(id)s is no longer open in this instance", id=task_id))
        if task.state != TaskState.READY:
            raise Conflict(t("task %(id)s is %(state)s, not ready", id=task_id,
                             state=TaskState.get_name(task.state).lower()))
        return task

    def _describe(self, task) -> ReadyTask:
        spec = task.task_spec
        info = self.bundle.human_tasks.get(spec.bpmn_id)
        return ReadyTask(
            task_id=str(task.id),
            element_id=spec.bpmn_id or spec.name,
            name=(info.name if info else spec.bpmn_name) or spec.name,
            lane=spec.lane,
            form_key=info.form_key if info else None,
            kind=type(spec).__name__,
            variables=task.data,
            due_at=self._deadline_of(task),
        )

    def _deadline_of(self, task) -> datetime | None:
        """The earliest timer on a boundary event of this task (or of its multi-instance)."""
        dues = [due_time(child) for child in self._deadline_timers(task)]
        return min((due for due in dues if due is not None), default=None)

    def _waiting_timers(self):
        return [task for task in self.workflow.event_manager.tasks.values()
                if any(isinstance(d, TimerEventDefinition) for d in definitions_of(task.task_spec.event_definition))]

    def _forget_stale_waiters(self) -> None:
        manager = self.workflow.event_manager
        for task_id in [tid for tid, task in manager.tasks.items()
                        if find_task(self.workflow, tid) is None or task.state != TaskState.WAITING]:
            del manager.tasks[task_id]
