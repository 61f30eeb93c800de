"""The script engine every planflow workflow runs with.

SpiffWorkflow's default engine is plain ``eval``/``exec`` and is not saved
with a serialized workflow: one loaded back silently gets the unrestricted
default. ``engine.bpmn.runtime`` therefore passes this engine to every
workflow it creates or restores, and nowhere else builds a workflow.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any, Callable

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import (
    BasePythonScriptEngineEnvironment,
)

from . import expressions


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__(expressions.script_globals(now))

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        return expressions.evaluate(expression, {**(external_context or {}), **context}, self.globals)

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        if external_context:
            raise expressions.UnsafeExpression("scripts may not call external services")
        expressions.execute(script, context, self.globals)
        return True

    def call_service(self, context: dict, **kwargs: Any) -> Any:
        raise expressions.UnsafeExpression("service calls are not available to BPMN scripts")


class RestrictedScriptEngine(PythonScriptEngine):
    """Evaluates in the restricted environment and tells timers the clock's time."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        super().__init__(environment=RestrictedEnvironment(self.now))

    def now(self) -> datetime:
        return self.clock.now()

    def validate(self, expression: str) -> None:
        expressions.check_source(expression, "eval")
