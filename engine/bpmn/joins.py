"""Parallel and inclusive joins that count the tokens of the current pass, and only those.

In SpiffWorkflow 3.2 a branch reaching a join leaves a join task under the
branch's last task; when the next branch arrives, the earlier join task is
cancelled and the join asks the task tree which incoming flows ever held a
completed task. That answer is wrong both ways:

* a cancelled join task of an earlier pass of a loop still counts, so on the
  second pass a parallel join fires as soon as one branch arrives (and an
  inclusive join crashes or fires at once);
* once finished history is compacted away, the cancelled join tasks of the
  current pass are gone, so a join of three or more branches never fires.

Here a join task is a token that arrived on one incoming flow. A join fires
when every incoming flow has a token (parallel), or when no token still on
its way can reach a flow without one (inclusive); firing consumes the tokens
it counted, marking them in their internal data, so that no later pass counts
them again. ``unconsumed_arrivals`` is what compaction must keep.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import InclusiveGateway, ParallelGateway
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

from engine.errors import BpmnRejected

#: Marks a join task whose token a firing of its join has consumed.
CONSUMED = "planflow_token_consumed"

#: States in which a task holds a token that may still move on.
_ACTIVE = TaskState.READY | TaskState.STARTED | TaskState.WAITING


def unconsumed_arrivals(join_task) -> list:
    """Tokens at this join that arrived and that no firing has consumed yet.

    A token is a task of the join's spec whose parent (the incoming flow's
    source) completed: waiting, or cancelled by the next arrival, or ready to
    fire. The join task asking is not among them, nor the tasks of the join
    on its own path (earlier passes it descends from).
    """
    spec = join_task.task_spec
    return [task for task in join_task.workflow.tasks.values()
            if task.task_spec is spec and task is not join_task
            and not task.has_state(TaskState.PREDICTED_MASK) and not task.internal_data.get(CONSUMED)
            and task.parent is not None and task.parent.state == TaskState.COMPLETED
            and not join_task.is_descendant_of(task)]


def _arrived_inputs(join_task) -> set:
    """The incoming task specs that hold a token at this join now, the asking task's own included."""
    arrived = {task.parent.task_spec for task in unconsumed_arrivals(join_task)}
    if join_task.parent is not None and join_task.parent.state == TaskState.COMPLETED:
        arrived.add(join_task.parent.task_spec)
    return arrived


def _consume_tokens(join_task) -> None:
    """Merge the data of every branch that arrived, then mark their tokens consumed."""
    for task in sorted(unconsumed_arrivals(join_task), key=lambda t: t.last_state_change):
        DeepMerge.merge(join_task.data, task.parent.data)
        task.internal_data[CONSUMED] = True
    join_task.internal_data[CONSUMED] = True
    join_task._inherit_data()


class CountingParallelGateway(ParallelGateway):
    """A parallel join that fires when every incoming flow holds a token of this pass."""

    def _check_threshold_unstructured(self, my_task) -> bool:
        return not set(self.inputs) - _arrived_inputs(my_task)

    def _run_hook(self, my_task) -> bool:
        _consume_tokens(my_task)
        return True


class CountingInclusiveGateway(InclusiveGateway):
    """An inclusive join that fires once no token on its way can still reach an empty incoming flow."""

    def _check_threshold_unstructured(self, my_task) -> bool:
        missing = set(self.inputs) - _arrived_inputs(my_task)
        if not missing:
            return True
        for task in my_task.workflow.tasks.values():
            if task is my_task or task.task_spec is self or not _holds_token(task):
                continue
            if _reaches(task.task_spec, missing, self):
                return False
        return True

    def _run_hook(self, my_task) -> bool:
        _consume_tokens(my_task)
        matches, defaults = self._get_matching_outputs(my_task)
        if not matches and not defaults:
            raise WorkflowTaskException("No conditions satisfied on gateway", task=my_task)
        my_task._sync_children(matches or defaults, TaskState.FUTURE)
        for child in my_task.children:
            child.task_spec._predict(child, mask=TaskState.FUTURE | TaskState.PREDICTED_MASK)
        return True


def _holds_token(task) -> bool:
    """A task someone or something is working on, or one about to run because its parent finished."""
    if task.has_state(_ACTIVE):
        return True
    return task.state == TaskState.FUTURE and task.parent is not None \
        and task.parent.has_state(TaskState.FINISHED_MASK)


def _reaches(start, targets: set, join) -> bool:
    """Whether a token at ``start`` can reach one of ``targets`` without passing through ``join``."""
    seen, stack = set(), [start]
    while stack:
        spec = stack.pop()
        if spec in targets:
            return True
        if spec is join or spec in seen:
            continue
        seen.add(spec)
        stack.extend(spec.outputs)
    return False


#: The joins whose arrived tokens compaction must keep.
COUNTING_JOINS = (CountingParallelGateway, CountingInclusiveGateway)


def refuse_self_fed_parallel_joins(spec) -> None:
    """Refuse a parallel gateway with an incoming flow that only the gateway itself can feed.

    The usual case is a loop drawn back into a parallel split or join: the
    gateway waits for a token on every incoming flow, and the looping flow
    gets one only after the gateway has fired, so the first pass (or, where
    SpiffWorkflow guesses past it, the second) would wait for ever.
    """
    entries = [task_spec for task_spec in spec.task_specs.values() if not task_spec.inputs]
    for gateway in spec.task_specs.values():
        if not isinstance(gateway, CountingParallelGateway) or len(gateway.inputs) < 2:
            continue
        fed = _reachable_from(entries, avoiding=gateway)
        for source in gateway.inputs:
            if source not in fed:
                raise BpmnRejected(
                    f"parallel gateway '{gateway.bpmn_id}' has an incoming flow from "
                    f"'{source.bpmn_id or source.name}' that only the gateway itself can reach (a loop drawn "
                    "back into it); a parallel gateway waits for a token on every incoming flow, so it would "
                    "wait for ever. Merge the loop with an exclusive gateway placed before the parallel one",
                    element=gateway.bpmn_id)


def _reachable_from(starts, avoiding) -> set:
    seen, stack = set(), list(starts)
    while stack:
        spec = stack.pop()
        if spec in seen or spec is avoiding:
            continue
        seen.add(spec)
        stack.extend(spec.outputs)
    return seen
