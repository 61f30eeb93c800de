"""Generated BPMN models around parallel and inclusive joins, with what a correct run must show.

Each model is a process whose user tasks are completed one at a time in a
chosen order. Besides the XML, a model says which tasks lie inside each
join (between its split and the join) and which task follows it: a correct
engine never offers the task after a join while a task inside it is open,
and completes every chosen branch task exactly once per pass.
"""
from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Callable

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"


@dataclass
class Scope:
    """The tasks between a split and its join, and the task that follows the join."""

    inside: set[str]
    after: str


@dataclass
class Model:
    name: str
    xml: str
    variables: dict
    decide: Callable[[str, dict], dict]
    scopes: list[Scope]
    expected_counts: dict[str, int]
    process_id: str = "generated"


@dataclass
class _Process:
    """Builds one process: elements, flows and the user tasks created so far."""

    process_id: str
    elements: list[str] = field(default_factory=list)
    flows: list[str] = field(default_factory=list)
    tasks: list[str] = field(default_factory=list)

    def add(self, xml: str) -> None:
        self.elements.append(xml)

    def task(self, task_id: str) -> str:
        self.add(f'<bpmn:userTask id="{task_id}" name="{task_id}"/>')
        self.tasks.append(task_id)
        return task_id

    def script(self, task_id: str, script: str) -> str:
        self.add(f'<bpmn:scriptTask id="{task_id}" name="{task_id}"><bpmn:script>{script}</bpmn:script>'
                 "</bpmn:scriptTask>")
        return task_id

    def gateway(self, kind: str, gateway_id: str, default: str | None = None) -> str:
        attribute = f' default="{default}"' if default else ""
        self.add(f'<bpmn:{kind} id="{gateway_id}"{attribute}/>')
        return gateway_id

    def flow(self, source: str, target: str, condition: str | None = None, flow_id: str | None = None) -> str:
        flow_id = flow_id or f"{self.process_id}_f{len(self.flows)}"
        body = f"<bpmn:conditionExpression>{condition}</bpmn:conditionExpression>" if condition else ""
        self.flows.append(f'<bpmn:sequenceFlow id="{flow_id}" sourceRef="{source}" targetRef="{target}">{body}'
                          "</bpmn:sequenceFlow>")
        return flow_id

    def xml(self, body_only: bool = False) -> str:
        inner = "".join(self.elements) + "".join(self.flows)
        return inner if body_only else f'<bpmn:process id="{self.process_id}" isExecutable="true">{inner}</bpmn:process>'


def _definitions(*processes: str) -> str:
    return (f'<?xml version="1.0" encoding="UTF-8"?><bpmn:definitions xmlns:bpmn="{BPMN_NS}" id="generated_defs" '
            f'targetNamespace="http://planflow.test/joins">{"".join(processes)}</bpmn:definitions>')


def _branches(process: _Process, prefix: str, lengths: list[int], split: str, join: str,
              gateway: str = "parallelGateway", rework: set[int] = frozenset(),
              automatic: set[int] = frozenset()) -> set[str]:
    """Branches from ``split`` to ``join``; returns the ids of the tasks inside.

    A branch in ``rework`` ends with a check that can send it back to its
    first task; a branch in ``automatic`` is a script task only.
    """
    inside: set[str] = set()
    for branch, length in enumerate(lengths):
        condition = f"'b{branch}' in chosen" if gateway == "inclusiveGateway" else None
        if branch in automatic:
            node = process.script(f"{prefix}s{branch}", f"auto_{prefix}{branch} = True")
            process.flow(split, node, condition)
            process.flow(node, join)
            continue
        previous, entry = split, None
        if branch in rework:
            entry = process.gateway("exclusiveGateway", f"{prefix}m{branch}")
            process.flow(split, entry, condition)
            previous, condition = entry, None
        for step in range(length):
            node = inside_task = process.task(f"{prefix}t{branch}_{step}")
            inside.add(inside_task)
            process.flow(previous, node, condition)
            previous, condition = node, None
        if branch in rework:
            check = process.task(f"{prefix}check{branch}")
            inside.add(check)
            decision = process.gateway("exclusiveGateway", f"{prefix}x{branch}", default=f"{prefix}done{branch}")
            process.flow(previous, check)
            process.flow(check, decision)
            process.flow(decision, join, flow_id=f"{prefix}done{branch}")
            process.flow(decision, entry, f"redo_{prefix}{branch}")
        else:
            process.flow(previous, join)
    return inside


def _returns_then_approves(returns: int, extra: Callable[[str, dict], dict] | None = None):
    """Answers for the model's tasks: a review returns ``returns`` times, a branch check redoes once a pass."""

    def decide(element_id: str, counts: dict) -> dict:
        data = extra(element_id, counts) if extra else {}
        if element_id.endswith("review"):
            data["approved"] = counts.get(element_id, 0) >= returns
        if "check" in element_id:
            prefix, branch = element_id.split("check")
            data[f"redo_{prefix}{branch}"] = counts.get(element_id, 0) % 2 == 0
        return data

    return decide


def _reviewed_loop(kind: str) -> tuple[_Process, str, str]:
    """start → merge → split … join → review → end, or back to merge when not approved.

    Returns the process and the split and join for the caller to draw the branches between.
    """
    process = _Process("generated")
    process.add('<bpmn:startEvent id="start"/>')
    merge = process.gateway("exclusiveGateway", "merge")
    split, join = process.gateway(kind, "split"), process.gateway(kind, "join")
    process.flow("start", merge)
    process.flow(merge, split)
    review = process.task("review")
    decision = process.gateway("exclusiveGateway", "approved_gate", default="to_end")
    process.add('<bpmn:endEvent id="end"/>')
    process.flow(join, review)
    process.flow(review, decision)
    process.flow(decision, "end", flow_id="to_end")
    process.flow(decision, merge, "not approved")
    return process, split, join


def flat(kind: str, lengths: list[int], returns: int = 0, rework: set[int] = frozenset(),
         automatic: set[int] = frozenset(), choices: list[list[int]] | None = None) -> Model:
    """split → branches → join → review, returned ``returns`` times (all branches redone each time).

    For an inclusive split, ``choices[p]`` lists the branches taken on pass ``p``.
    """
    process, split, join = _reviewed_loop(kind)
    inside = _branches(process, "", lengths, split, join, kind, rework, automatic)
    passes = returns + 1
    taken = [list(range(len(lengths)))] * passes if choices is None else choices
    variables = {"approved": False}

    def chosen_next(element_id: str, counts: dict) -> dict:
        if element_id == "review" and kind == "inclusiveGateway":
            following = counts.get("review", 0) + 1
            return {"chosen": [f"b{b}" for b in taken[min(following, passes - 1)]]}
        return {}

    if kind == "inclusiveGateway":
        variables["chosen"] = [f"b{b}" for b in taken[0]]
    counts: dict[str, int] = {"review": passes}
    for each in taken:
        for branch in each:
            if branch in automatic:
                continue
            for step in range(lengths[branch]):
                task = f"t{branch}_{step}"
                counts[task] = counts.get(task, 0) + (2 if branch in rework else 1)
            if branch in rework:
                counts[f"check{branch}"] = counts.get(f"check{branch}", 0) + 2
    shape = "-".join(map(str, lengths))
    name = f"{kind} {shape}" + (f" returned {returns}x" if returns else "") + \
        (f" rework {sorted(rework)}" if rework else "") + (f" auto {sorted(automatic)}" if automatic else "") + \
        (f" choices {choices}" if choices else "")
    return Model(name, _definitions(process.xml()), variables, _returns_then_approves(returns, chosen_next),
                 [Scope(inside, "review")], counts)


def nested(outer: int, inner: int, returns: int = 0) -> Model:
    """A parallel split whose first branch holds a parallel split/join of its own."""
    process, split, join = _reviewed_loop("parallelGateway")
    inner_split = process.gateway("parallelGateway", "in_split")
    inner_join = process.gateway("parallelGateway", "in_join")
    process.flow(split, inner_split)
    inner_inside = _branches(process, "in_", [1] * inner, inner_split, inner_join)
    after_inner = process.task("in_after")
    process.flow(inner_join, after_inner)
    process.flow(after_inner, join)
    inside = _branches(process, "", [1 + b % 2 for b in range(outer - 1)], split, join) | inner_inside | {after_inner}
    passes = returns + 1
    counts = {task: passes for task in process.tasks}
    return Model(f"nested {outer} around {inner}" + (f" returned {returns}x" if returns else ""),
                 _definitions(process.xml()), {"approved": False}, _returns_then_approves(returns),
                 [Scope(inside, "review"), Scope(inner_inside, "in_after")], counts)


def in_subprocess(branches: int, returns: int = 0, call: bool = False) -> Model:
    """The split and join inside an embedded subprocess (or a called process), the subprocess in a loop."""
    inner = _Process("inner" if call else "sub_body")
    inner.add(f'<bpmn:startEvent id="sub_start"/>')
    split, join = inner.gateway("parallelGateway", "sub_split"), inner.gateway("parallelGateway", "sub_join")
    inner.flow("sub_start", split)
    inside = _branches(inner, "sub_", [1 + b % 3 for b in range(branches)], split, join)
    inner.add('<bpmn:endEvent id="sub_end"/>')
    inner.flow(join, "sub_end")

    outer = _Process("generated")
    outer.add('<bpmn:startEvent id="start"/>')
    merge = outer.gateway("exclusiveGateway", "merge")
    if call:
        outer.add('<bpmn:callActivity id="sub" calledElement="inner"/>')
    else:
        outer.add(f'<bpmn:subProcess id="sub">{inner.xml(body_only=True)}</bpmn:subProcess>')
    review = outer.task("review")
    decision = outer.gateway("exclusiveGateway", "approved_gate", default="to_end")
    outer.add('<bpmn:endEvent id="end"/>')
    outer.flow("start", merge)
    outer.flow(merge, "sub")
    outer.flow("sub", review)
    outer.flow(review, decision)
    outer.flow(decision, "end", flow_id="to_end")
    outer.flow(decision, merge, "not approved")
    processes = [outer.xml(), inner.xml()] if call else [outer.xml()]
    passes = returns + 1
    counts = {task: passes for task in [*inner.tasks, *outer.tasks]}
    where = "called process" if call else "subprocess"
    return Model(f"{where} of {branches}" + (f" returned {returns}x" if returns else ""),
                 _definitions(*processes), {"approved": False}, _returns_then_approves(returns),
                 [Scope(inside, "review")], counts)


# --- Orders in which people complete the open tasks ---------------------------------
# Each order is a factory: every run gets a fresh chooser, so two runs make the same choices.

def _by_element(ready: list) -> list:
    return sorted(ready, key=lambda task: (task.element_id, repr(sorted(task.variables.items()))))


def first_open():
    return lambda ready, step: _by_element(ready)[0]


def last_open():
    return lambda ready, step: _by_element(ready)[-1]


def alternating():
    return lambda ready, step: _by_element(ready)[0 if step % 2 == 0 else -1]


def shuffled(seed: int):
    def factory():
        chooser = random.Random(seed)
        return lambda ready, step: chooser.choice(_by_element(ready))
    factory.__name__ = f"shuffled_{seed}"
    return factory


def all_models() -> list[Model]:
    models = []
    for kind in ("parallelGateway", "inclusiveGateway"):
        for branches in range(2, 7):
            for length in (1, 2, 3):
                models.append(flat(kind, [length] * branches))
        models.append(flat(kind, [1, 2, 3, 1, 2]))
        models.append(flat(kind, [2, 1, 3], returns=2))
        models.append(flat(kind, [1, 1, 1, 1], returns=1, rework={0, 2}))
        models.append(flat(kind, [1, 2, 1], returns=1, automatic={1}))
    models.append(flat("inclusiveGateway", [1, 2, 1, 2], returns=3, choices=[[0, 1, 2, 3], [1], [0, 2], [3, 1, 0]]))
    models.append(flat("inclusiveGateway", [2, 2, 2], returns=1, choices=[[2], [0, 1]]))
    for outer, inner in ((2, 2), (3, 3), (4, 2)):
        models.append(nested(outer, inner, returns=1))
    for branches in (2, 3, 5):
        models.append(in_subprocess(branches, returns=1))
        models.append(in_subprocess(branches, returns=1, call=True))
    return models


ORDERS = [first_open, last_open, alternating, shuffled(7), shuffled(2024)]
