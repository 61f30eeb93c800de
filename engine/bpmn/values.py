"""The values a process keeps: what a script leaves behind must be storable, and small.

Process variables are stored as JSON with the workflow state. A script that
leaves something JSON cannot hold (a range, a generator, a dict keyed by
numbers), a structure nested past any sensible depth, or megabytes of data,
is stopped at the script, as an incident naming it, before anything is
stored. The same encoding carries variables to and from the sandbox process.
"""
from __future__ import annotations

import json
import math
from datetime import date, datetime, timedelta
from typing import Any
from uuid import UUID

from engine.bpmn.expressions import ScriptLimitExceeded, UnsafeExpression

MAX_DEPTH = 64
#: What a value of each kind counts towards the state limit (a rough JSON size).
_SCALAR_BYTES = 8
_OBJECT_BYTES = 40
#: About 4,000 decimal digits: Python will not turn a longer number into JSON text.
_MAX_INTEGER_BITS = 13_300


class UnstorableValue(UnsafeExpression):
    """A script left a variable the process state cannot hold."""


def check_storable(variables: dict[str, Any], names, max_bytes: int) -> None:
    """Refuse what ``names`` hold if it cannot be stored; refuse the whole if it is over ``max_bytes``.

    Datetimes made by a script (the engine's own ``datetime`` class) are
    turned into plain ones in place; tuples and sets are kept, and stored as
    lists. Names not in ``names`` were stored before and are only measured.
    """
    budget = max_bytes
    for name in list(names):
        if name in variables:
            budget = _walk(variables, name, name, budget, max_bytes, strict=True)
    for name in variables:
        if name not in names:
            budget = _walk(variables, name, name, budget, max_bytes, strict=False)


def _walk(container: Any, key: Any, path: str, budget: int, max_bytes: int, strict: bool) -> int:
    stack = [(container, key, path, 1)]
    while stack:
        parent, key, path, depth = stack.pop()
        value = parent[key]
        if depth > MAX_DEPTH:
            raise UnstorableValue(f"variable '{path.split('[')[0].split('.')[0]}' nests deeper than {MAX_DEPTH} "
                                  "levels, which the process state cannot hold")
        kind = type(value)
        if kind is str:
            budget -= len(value) + 2
        elif kind is int:
            if value.bit_length() > _MAX_INTEGER_BITS:
                raise UnstorableValue(f"variable '{path}' is a number of more than 4,000 digits, which the "
                                      "process state cannot hold")
            budget -= _SCALAR_BYTES + value.bit_length() // 3
        elif kind in (bool, type(None)):
            budget -= _SCALAR_BYTES
        elif kind is float:
            if strict and not math.isfinite(value):
                raise UnstorableValue(f"variable '{path}' is {value}, which is not a number the state can hold")
            budget -= _SCALAR_BYTES
        elif kind in (list, tuple, set, frozenset):
            items = list(value) if kind in (set, frozenset) else value
            if kind is not list:
                parent[key] = items = list(items)
            budget -= 2 + len(items)
            stack.extend((items, index, f"{path}[{index}]", depth + 1) for index in range(len(items)))
        elif kind is dict:
            budget -= 2
            for item_key in value:
                if strict and not isinstance(item_key, str):
                    raise UnstorableValue(f"variable '{path}' has the key {item_key!r}; the keys of a stored "
                                          "dict must be text")
                budget -= len(str(item_key)) + 4
                stack.append((value, item_key, f"{path}.{item_key}", depth + 1))
        elif isinstance(value, (datetime, date, timedelta, UUID)):
            if isinstance(value, datetime) and kind is not datetime:
                parent[key] = _plain_datetime(value)
            budget -= _OBJECT_BYTES
        elif strict:
            raise UnstorableValue(f"variable '{path}' holds a {kind.__name__}, which cannot be stored; process "
                                  "variables hold text, numbers, true/false, lists, dicts, dates and durations")
        else:
            budget -= _OBJECT_BYTES  # an engine object SpiffWorkflow keeps in the data and stores itself
        if budget < 0:
            raise ScriptLimitExceeded(f"leaves more than {max_bytes // 1024} KiB of process variables (the state "
                                      "limit, PLANFLOW_SCRIPT_STATE_KIB)")
    return budget


def _plain_datetime(value: datetime) -> datetime:
    return datetime(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond,
                    tzinfo=value.tzinfo, fold=value.fold)


# --- Carrying values across the sandbox's pipe ------------------------------------------

def _tag(value: Any) -> Any:
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, timedelta):
        return {"$timedelta": [value.days, value.seconds, value.microseconds]}
    if isinstance(value, UUID):
        return {"$uuid": str(value)}
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise UnstorableValue(f"a value of type {type(value).__name__} cannot be stored; process variables hold "
                          "text, numbers, true/false, lists, dicts, dates and durations")


def _untag(obj: dict) -> Any:
    if len(obj) == 1:
        (key, value), = obj.items()
        if key == "$datetime":
            return datetime.fromisoformat(value)
        if key == "$date":
            return date.fromisoformat(value)
        if key == "$timedelta":
            return timedelta(days=value[0], seconds=value[1], microseconds=value[2])
        if key == "$uuid":
            return UUID(value)
    return obj


def encode(message: Any) -> bytes:
    """One line of JSON, dates and durations tagged."""
    return json.dumps(message, default=_tag, ensure_ascii=False, allow_nan=False,
                      separators=(",", ":")).encode("utf-8") + b"\n"


def decode(line: bytes) -> Any:
    return json.loads(line, object_hook=_untag)
