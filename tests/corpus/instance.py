"""Loading files of the shared BPMN corpus and driving one instance of them.

The corpus lives beside the project (``/work/shared/bpmn-corpus``); its
README describes, for every file, whether it should run and along which path.
An ``Instance`` stores its state between steps and restores it for the next
one, as the real engine does between requests.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

from engine.bpmn.loader import Bundle, load_bundle
from engine.bpmn.runtime import Execution, ReadyTask, StepOutcome

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "bpmn-corpus"

requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(), reason=f"the shared BPMN corpus is not at {CORPUS}; these tests read its files")


def bundle_of(*paths: str) -> Bundle:
    """Load corpus files deployed together, named by their path inside the corpus."""
    return load_bundle({path: (CORPUS / path).read_bytes() for path in paths})


@dataclass
class Instance:
    """One running instance of a corpus process, stored as a state string between steps."""

    bundle: Bundle
    process_id: str
    clock: Any
    state: str
    outcome: StepOutcome

    @classmethod
    def start(cls, bundle: Bundle, process_id: str, clock, variables: dict | None = None,
              message: str | None = None) -> "Instance":
        execution, outcome = Execution.start(bundle, process_id, variables or {}, clock, message=message)
        return cls(bundle, process_id, clock, execution.dumps(), outcome)

    def execution(self) -> Execution:
        return Execution.restore(self.bundle, self.process_id, self.state, self.clock)

    @property
    def ready(self) -> list[str]:
        return [task.name for task in self.outcome.ready]

    def complete(self, name: str, data: dict | None = None) -> ReadyTask:
        """Complete the open task called ``name``; fails listing the open tasks if there is none."""
        task = next((task for task in self.outcome.ready if task.name == name), None)
        assert task is not None, f"'{name}' is not open; open tasks: {self.ready}"
        self._step(lambda execution: execution.complete_task(task.task_id, data or {}))
        return task

    def throw(self, name: str, kind: str, code: str, data: dict | None = None) -> StepOutcome:
        """End the open task called ``name`` with a BPMN error or escalation instead of completing it."""
        task = next((task for task in self.outcome.ready if task.name == name), None)
        assert task is not None, f"'{name}' is not open; open tasks: {self.ready}"
        return self._step(lambda execution: execution.throw_from_task(task.task_id, kind, code, data or {}))

    def follow(self, path: list, data: dict | None = None) -> list:
        """Complete the tasks of ``path`` in order, each with ``data``; return what was walked.

        A step is a task name, or a (name, lane) pair when the lane is to be compared too.
        """
        walked = []
        for step in path:
            name = step if isinstance(step, str) else step[0]
            task = self.complete(name, data)
            walked.append(name if isinstance(step, str) else (name, task.lane))
        return walked

    def fire_timers_after(self, **delta: float) -> StepOutcome:
        """Move the clock on and run the timer worker once."""
        self.clock.advance(**delta)
        return self._step(lambda execution: execution.fire_due_timers())

    def send(self, message: str, payload: dict | None = None) -> StepOutcome:
        return self._step(lambda execution: execution.send_message(message, payload or {}))

    def _step(self, change: Callable[[Execution], StepOutcome]) -> StepOutcome:
        execution = self.execution()
        self.outcome = change(execution)
        self.state = execution.dumps()
        return self.outcome
