"""Keeping the workflow's task tree bounded.

SpiffWorkflow 3.2 keeps every task it ever created: each pass of a loop (a
return for rework, a reporting period) adds a layer to the task tree. Past
about a thousand levels its iterators silently stop, and the workflow reads
as finished although no end event ran. State size and step time grow with
every pass too.

The history of an instance lives in planflow's own tables (task rows and the
audit log), so the engine does not need finished tasks in the tree once the
engine is at rest. ``compact`` removes them, keeping exactly what running
tasks still look at:

* every unfinished task and the chain of its ancestors, where a finished
  link with a single, finished child is spliced out;
* for a waiting join gateway, every token that has arrived at it and not yet
  been consumed (``joins.unconsumed_arrivals``: the cancelled join tasks of
  branches that arrived earlier), with their parents, since the join counts
  the incoming flows by them; and the split a structured join looks up
  (boundary events, event-based starts);
* the instances of a multi-instance activity that is still running (they are
  merged into its output when it completes);
* the tree's root and start task.

It runs only between engine steps, never during one.
"""
from __future__ import annotations

from SpiffWorkflow.bpmn.specs.control import BpmnStartTask
from SpiffWorkflow.bpmn.specs.mixins.multiinstance_task import LoopTask
from SpiffWorkflow.bpmn.specs.mixins.unstructured_join import UnstructuredJoin
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.util.task import TaskState

from engine.bpmn.joins import COUNTING_JOINS, unconsumed_arrivals


def compact(workflow) -> int:
    """Remove finished history from a top-level workflow and its subprocesses.

    Returns the number of tasks removed.
    """
    removed = 0
    for each in [workflow, *workflow.subprocesses.values()]:
        removed += _compact_tree(each)
    # A subprocess whose calling task has gone is finished history as well.
    for task_id in [tid for tid in workflow.subprocesses if find_task(workflow, tid) is None]:
        del workflow.subprocesses[task_id]
    if workflow.last_task is not None and workflow.last_task.id not in workflow.tasks:
        workflow.last_task = None
    return removed


def find_task(workflow, task_id):
    """The task with this id in the workflow or any of its subprocesses, or None."""
    for each in [workflow, *workflow.subprocesses.values()]:
        if task_id in each.tasks:
            return each.tasks[task_id]
    return None


def _compact_tree(workflow) -> int:
    tasks = workflow.tasks
    unfinished = [task for task in tasks.values() if not task.has_state(TaskState.FINISHED_MASK)]
    if not unfinished:
        # A finished (sub)workflow is small and is still read by the task that called it.
        return 0
    live: set = {workflow.task_tree.id}
    pinned: set = {workflow.task_tree.id}
    for task in unfinished:
        _mark_ancestors(task, live)
        if isinstance(task.task_spec, LoopTask):
            for child in task.children:
                _mark_subtree(child, live)
        if isinstance(task.task_spec, UnstructuredJoin) and task.parent is not None:
            pinned.add(task.parent.id)
        if task.state == TaskState.WAITING and isinstance(task.task_spec, COUNTING_JOINS):
            for arrival in unconsumed_arrivals(task):
                _mark_ancestors(arrival, live)
                pinned.update((arrival.id, arrival.parent.id))
        elif isinstance(task.task_spec, Join) and task.task_spec.split_task:
            split = task.find_ancestor(task.task_spec.split_task)
            if split is not None:
                pinned.add(split.id)

    dead = [task_id for task_id in tasks if task_id not in live]
    for task_id in dead:
        task = tasks[task_id]
        parent = tasks.get(task._parent)
        if parent is not None and parent.id in live:
            parent._children.remove(task_id)
    for task_id in dead:
        del tasks[task_id]

    spliced = 0
    for task in list(tasks.values()):
        if _may_splice(task, pinned):
            parent = task.parent
            child = task.children[0]
            parent._children[parent._children.index(task.id)] = child.id
            child._parent = parent.id
            del tasks[task.id]
            spliced += 1
    return len(dead) + spliced


def _mark_ancestors(task, live: set) -> None:
    while task is not None and task.id not in live:
        live.add(task.id)
        task = task.parent


def _mark_subtree(task, live: set) -> None:
    stack = [task]
    while stack:
        current = stack.pop()
        live.add(current.id)
        stack.extend(current.children)


def _may_splice(task, pinned: set) -> bool:
    if task.parent is None or task.id in pinned or isinstance(task.task_spec, BpmnStartTask):
        return False
    if task.state != TaskState.COMPLETED or len(task._children) != 1:
        return False
    if isinstance(task.parent.task_spec, LoopTask):
        return False
    child = task.children[0]
    return child is not None and child.state == TaskState.COMPLETED
