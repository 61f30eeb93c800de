"""The script engine every planflow workflow runs with.

SpiffWorkflow's default engine is plain ``eval``/``exec`` and is not saved
with a serialized workflow: one loaded back silently gets the unrestricted
default. ``engine.bpmn.runtime`` therefore passes this engine to every
workflow it creates or restores, and nowhere else builds a workflow.

Code that is provably bounded runs in this process; anything else runs in
the sandbox process under the script limits (``limits.py``). Either way, what
a script leaves behind must be storable and within the state limit.
"""
from __future__ import annotations

from copy import deepcopy
from datetime import datetime
from typing import Any, Callable

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import (
    BasePythonScriptEngineEnvironment,
)
from SpiffWorkflow.exceptions import SpiffWorkflowException

from engine.bpmn import expressions, values
from engine.bpmn.limits import current_limits
from engine.bpmn.sandbox import sandbox_for


class RestrictedEnvironment(BasePythonScriptEngineEnvironment):
    def __init__(self, now: Callable[[], datetime]) -> None:
        super().__init__(expressions.script_globals(now))
        self.now = now

    def evaluate(self, expression: str, context: dict, external_context: dict | None = None) -> Any:
        source = expression.strip()
        compiled = expressions.compile_checked(source, "eval")
        variables = {**(external_context or {}), **context}
        if compiled.bounded:
            try:
                return expressions.evaluate(compiled, variables, self.globals)
            except expressions.NeedsSandbox:
                pass
        return sandbox_for(current_limits()).evaluate(source, _used(variables, compiled), self.now())

    def execute(self, script: str, context: dict, external_context: dict | None = None) -> bool:
        if external_context:
            raise expressions.UnsafeExpression("scripts may not call external services")
        compiled = expressions.compile_checked(script, "exec")
        limits = current_limits()
        written = None
        if compiled.bounded:
            scratch = deepcopy(_used(context, compiled))
            try:
                written = expressions.execute(compiled, scratch, self.globals)
            except expressions.NeedsSandbox:
                written = None
            else:
                changed, deleted = {name: scratch[name] for name in written if name in scratch}, \
                    [name for name in written if name not in scratch]
        if written is None:
            changed, deleted = sandbox_for(limits).execute(script, _used(context, compiled), self.now())
            written = set(changed) | set(deleted)
        for name in deleted:
            context.pop(name, None)
        context.update(changed)
        values.check_storable(context, written, limits.state_bytes)
        return True

    def call_service(self, context: dict, **kwargs: Any) -> Any:
        raise expressions.UnsafeExpression("service calls are not available to BPMN scripts")


def _used(variables: dict, compiled: expressions.Compiled) -> dict:
    """The variables the code names: all it can read, and all a sandbox needs to be sent."""
    return {name: variables[name] for name in compiled.names if name in variables}


class RestrictedScriptEngine(PythonScriptEngine):
    """Evaluates in the restricted environment and tells timers the clock's time."""

    def __init__(self, clock: Any) -> None:
        self.clock = clock
        super().__init__(environment=RestrictedEnvironment(self.now))

    def now(self) -> datetime:
        return self.clock.now()

    def validate(self, expression: str) -> None:
        expressions.check_source(expression, "eval")

    def evaluate(self, task, expression: str, external_context: dict | None = None) -> Any:
        """Evaluate at ``task``; a failure names the expression and why, for the incident."""
        try:
            return self.environment.evaluate(expression, task.data, external_context)
        except SpiffWorkflowException:
            raise
        except expressions.UnsafeExpression as error:
            raise WorkflowTaskException(f"expression '{_clip(expression)}' {error}", task=task,
                                        exception=error) from error
        except Exception as error:
            raise WorkflowTaskException(f"expression '{_clip(expression)}' failed: {type(error).__name__}: {error}",
                                        task=task, exception=error) from error

    def create_task_exec_exception(self, task, script: str, error: Exception) -> Exception:
        if isinstance(error, expressions.UnsafeExpression):
            wrapped = WorkflowTaskException(f"script {error}", task=task, exception=error)
            wrapped.__cause__ = error
            return wrapped
        return super().create_task_exec_exception(task, script, error)


def _clip(text: str, length: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"
