"""Restoring an instance's workflow, from memory when this process ran its last step.

Deserializing the workflow state is a large share of a step's cost. After a
step commits, its workflow is kept here under the instance's new version; the
next step on that instance reuses it if the stored version still matches,
which it does unless another process (a web worker, a timer worker) changed
the instance meanwhile. A workflow is taken out while a step uses it, so two
threads never share one; a failed step simply does not put it back.
"""
from __future__ import annotations

from collections import OrderedDict
from threading import Lock

from engine.bpmn.runtime import Execution
from engine.bpmn.serializer import STATE_FORMAT
from engine.errors import Conflict
from engine.i18n import t, word
from engine.runtime.bundles import bundle_of
from engine.store.processes.tables import InstanceRow

MAX_KEPT = 500  # a few MB of workflow objects; a miss only costs one restore

_kept: OrderedDict[str, tuple[int, Execution]] = OrderedDict()
_lock = Lock()


def check_out(instance: InstanceRow, clock) -> Execution:
    """The instance's workflow as stored, ready for one step."""
    if instance.status != "running":
        raise Conflict(t("process instance %(id)s is %(status)s",
                         id=instance.id, status=word(instance.status)))
    if instance.state_format != STATE_FORMAT:
        raise Conflict(t("instance %(id)s was stored as %(state_format)s; this engine reads %(STATE_FORMAT)s",
                         id=instance.id, state_format=instance.state_format, STATE_FORMAT=STATE_FORMAT))
    with _lock:
        kept = _kept.pop(instance.uid, None)
    if kept is not None and kept[0] == instance.version:
        execution = kept[1]
        execution.use_clock(clock)
        return execution
    definition = instance.definition
    return Execution.restore(bundle_of(definition), definition.key, instance.state, clock)


def check_in(instance: InstanceRow, execution: Execution) -> None:
    """Keep a committed step's workflow for the instance's next step."""
    if instance.status != "running":
        return
    with _lock:
        _kept[instance.uid] = (instance.version, execution)
        _kept.move_to_end(instance.uid)
        while len(_kept) > MAX_KEPT:
            _kept.popitem(last=False)


def forget_all() -> None:
    with _lock:
        _kept.clear()
