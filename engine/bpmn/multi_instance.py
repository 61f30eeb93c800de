"""Multi-instance activities whose completion condition can read Camunda's loop counters.

Camunda models end a multi-instance early with conditions such as
``${nrOfCompletedInstances >= 3}`` or ``${nrOfCompletedInstances / nrOfInstances >= 0.5}``.
SpiffWorkflow evaluates the condition on the completed instance's data
alone, where those names do not exist, so the file deployed and then failed
at run time. Here the condition sees them, with Camunda's meaning:

* ``nrOfInstances``: how many instances the activity has in all;
* ``nrOfCompletedInstances``: how many have completed so far;
* ``nrOfActiveInstances``: how many are still running (always 1 for a sequential one);
* ``loopCounter``: the index, from 0, of the instance that just completed.

A process variable of the same name wins over a counter.

The element variable of each instance (``camunda:elementVariable``, or the
input data item) is the instance's own, as in Camunda: when an instance with
no output collection merges its data into the activity, the element variable
is left behind, so that the next instance of a sequential activity can have
its own (SpiffWorkflow refused the second instance: "input item already exists").
"""
from __future__ import annotations

from collections.abc import Iterable

from SpiffWorkflow.bpmn.specs.defaults import (
    ParallelMultiInstanceTask,
    SequentialMultiInstanceTask,
)
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.util.task import TaskState

COUNTERS = ("nrOfInstances", "nrOfCompletedInstances", "nrOfActiveInstances", "loopCounter")


class _CountingCompletion:
    def create_child(self, my_task, item, key_or_index=None):
        if my_task.internal_data.get("merged"):
            self._drop_element_variable(my_task)  # the previous instance's, merged into the activity
        super().create_child(my_task, item, key_or_index)

    def _run_hook(self, my_task) -> bool:
        self._drop_element_variable(my_task)
        return super()._run_hook(my_task)

    def _drop_element_variable(self, my_task) -> None:
        if self.data_output is None and self.input_item is not None:
            my_task.data.pop(self.input_item.bpmn_id, None)

    def check_completion_condition(self, my_task):
        merged = my_task.internal_data.get("merged", [])
        if not merged or self.condition is None:
            return None
        instances = list(self._instances(my_task))
        last = next(child for child in instances if str(child.id) == merged[-1])
        counters = self._counters(my_task, instances, merged, last)
        return my_task.workflow.script_engine.evaluate(last, self.condition, external_context=counters)


class CountingParallelMultiInstance(_CountingCompletion, ParallelMultiInstanceTask):
    def create_children(self, my_task):
        # SpiffWorkflow iterates a missing collection as None and fails with a bare TypeError.
        if self.data_input is not None:
            value = self.data_input.get(my_task) if self.data_input.exists(my_task) else None
            if not isinstance(value, Iterable):
                what = "is missing" if value is None else f"is a {type(value).__name__}, not a list or dict"
                self.raise_data_exception(f"the multi-instance input collection '{self.data_input.bpmn_id}' {what}",
                                          my_task)
        super().create_children(my_task)

    def _counters(self, my_task, instances, merged, last) -> dict[str, int]:
        index = last.internal_data.get("key_or_index")
        return {
            "nrOfInstances": len(instances),
            "nrOfCompletedInstances": len(merged),
            "nrOfActiveInstances": sum(1 for child in instances if not child.has_state(TaskState.FINISHED_MASK)),
            "loopCounter": index if isinstance(index, int) else [str(c.id) for c in instances].index(str(last.id)),
        }


class CountingSequentialMultiInstance(_CountingCompletion, SequentialMultiInstanceTask):
    def _counters(self, my_task, instances, merged, last) -> dict[str, int]:
        if self.data_input is not None:
            total = len(merged) + len(my_task.internal_data.get("remaining", []))
        else:
            total = my_task.internal_data.get("cardinality", len(merged))
        return {"nrOfInstances": total, "nrOfCompletedInstances": len(merged), "nrOfActiveInstances": 1,
                "loopCounter": len(merged) - 1}


_COUNTING = {ParallelMultiInstanceTask: CountingParallelMultiInstance,
             SequentialMultiInstanceTask: CountingSequentialMultiInstance}


def connect_iterations(workflow_spec) -> None:
    """Have each loop and multi-instance activity of a parsed process hear its iterations complete.

    SpiffWorkflow connects an activity to its iteration's ``completed_event`` only when it creates an
    iteration, and the connection lives on the parsed spec, not in the saved workflow. A workflow restored
    in another process (another gunicorn worker, the server after a restart) from a spec parsed there
    would never hear the iteration it had created before: the iteration completes, the activity stays
    started, and the process waits at the next join for ever. Connecting every such activity when the
    spec is parsed makes each process hear what the one that created the iteration heard."""
    for task_spec in workflow_spec.task_specs.values():
        if isinstance(task_spec, LoopTask):
            iteration = workflow_spec.task_specs[task_spec.task_spec].completed_event
            if not iteration.is_connected(task_spec.merge_child):
                iteration.connect(task_spec.merge_child)


def use_loop_counters(task_spec) -> None:
    """Give a parsed multi-instance activity the counters (the parser builds the stock class)."""
    counting = _COUNTING.get(type(task_spec))
    if counting is not None:
        task_spec.__class__ = counting
