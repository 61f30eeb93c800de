"""Timer events that read the engine's clock.

SpiffWorkflow 3.2's timers compute and check due times with
``datetime.now()`` and read a date without an offset in the machine's zone.
These subclasses take the time from the workflow's script engine (which holds
the engine clock) and read offset-less dates in Asia/Ho_Chi_Minh, so that a
test or a simulation that moves the clock fires exactly what is due.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.bpmn.util import PendingBpmnEvent

from engine.model.clock import LOCAL_TZ


def _now(my_task) -> datetime:
    return my_task.workflow.top_workflow.script_engine.now().astimezone(timezone.utc)


def to_instant(value) -> datetime:
    """An ISO 8601 date or date-time (string or datetime) as an aware UTC instant."""
    when = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).strip())
    if when.tzinfo is None:
        when = when.replace(tzinfo=LOCAL_TZ)
    return when.astimezone(timezone.utc)


def _parse_time_or_duration(expression: str):
    if expression.upper().startswith("P"):
        return TimerEventDefinition.parse_iso_duration(expression)
    if "W" in expression.upper():
        return TimerEventDefinition.parse_iso_week(expression)
    return to_instant(expression)


def parse_cycle(expression: str, now: datetime) -> tuple[int, datetime, timedelta]:
    """``R[n]/[start/]duration`` → (cycles, first due time, interval); -1 cycles is unbounded."""
    parts = expression.upper().replace("--", "/").strip("R").split("/")
    cycles = int(parts[0]) if parts[0] else -1
    first = _parse_time_or_duration(parts[1])
    second = _parse_time_or_duration(parts[2]) if len(parts) == 3 else None
    if isinstance(first, datetime):
        return cycles, first, TimerEventDefinition.get_timedelta_from_start(second, first)
    if isinstance(second, datetime):
        duration = TimerEventDefinition.get_timedelta_from_end(first, second)
        return cycles, second - duration, duration
    if second is None:
        duration = TimerEventDefinition.get_timedelta_from_start(first, now)
        return cycles, now + duration, duration
    raise ValueError(f"'{expression}' is not an ISO 8601 repeating interval")


def _evaluate(my_task, expression: str):
    return my_task.workflow.top_workflow.script_engine.evaluate(my_task, expression)


def _armed(my_task, arm):
    """``arm()``, with a timer value that is no date, duration or cycle reported at the timer."""
    try:
        return arm()
    except (ValueError, TypeError, OverflowError) as error:
        raise WorkflowTaskException(f"timer value is not an ISO 8601 date, duration or cycle ({error})",
                                    task=my_task, exception=error) from error


def _fired_once_due(my_task, arm) -> bool:
    """Arm the timer on first look (``arm()`` gives the due instant), then fire once the clock passes it."""
    due = my_task._get_internal_data("event_value")
    if due is None:
        due = _armed(my_task, arm).isoformat()
        my_task._set_internal_data(event_value=due)
    if to_instant(due) <= _now(my_task):
        my_task._set_internal_data(event_fired=True)
    return my_task._get_internal_data("event_fired", False)


class ClockTimeDate(TimeDateEventDefinition):
    def has_fired(self, my_task) -> bool:
        return _fired_once_due(my_task, lambda: to_instant(_evaluate(my_task, self.expression)))


class ClockDuration(DurationTimerEventDefinition):
    def has_fired(self, my_task) -> bool:
        def arm() -> datetime:
            parsed = TimerEventDefinition.parse_iso_duration(_evaluate(my_task, self.expression))
            start = _now(my_task)
            return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)
        return _fired_once_due(my_task, arm)


class ClockCycle(CycleTimerEventDefinition):
    def cycle_complete(self, my_task) -> bool:
        value = my_task._get_internal_data("event_value")
        now = _now(my_task)
        if value is None:
            cycles, start, duration = _armed(my_task, lambda: parse_cycle(_evaluate(my_task, self.expression), now))
            value = {"cycles": cycles, "next": start.isoformat(), "duration": duration.total_seconds()}
        ready = False
        if value["cycles"] != 0:
            due = datetime.fromisoformat(value["next"])
            if due <= now:
                value["next"] = (due + timedelta(seconds=value["duration"])).isoformat()
                value["cycles"] -= 1
                ready = True
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
        my_task._set_internal_data(event_value=value)
        return ready


_REPLACEMENTS = {
    TimeDateEventDefinition: ClockTimeDate,
    DurationTimerEventDefinition: ClockDuration,
    CycleTimerEventDefinition: ClockCycle,
}


def use_engine_clock(event_definition):
    """Return the clock-reading equivalent of a parsed timer definition."""
    replacement = _REPLACEMENTS.get(type(event_definition))
    if replacement is not None:
        event_definition.__class__ = replacement
    elif isinstance(event_definition, MultipleEventDefinition):
        for inner in event_definition.event_definitions:
            use_engine_clock(inner)
    return event_definition


def due_time(my_task) -> datetime | None:
    """When a waiting timer task is next due, or None if it is not a timer or not armed."""
    definition = my_task.task_spec.event_definition
    if isinstance(definition, MultipleEventDefinition):
        # An event-based gateway: its timer keeps the due time on the gateway task.
        if not any(isinstance(inner, TimerEventDefinition) for inner in definition.event_definitions):
            return None
        value = my_task._get_internal_data("event_value")
    elif isinstance(definition, TimerEventDefinition):
        details: PendingBpmnEvent = definition.details(my_task)
        value = details.value
    else:
        return None
    if isinstance(value, dict):  # a cycle that has not been armed
        value = value.get("next")
    if not value:
        return None
    return to_instant(value)
