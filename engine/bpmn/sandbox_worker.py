"""The sandbox process: runs BPMN scripts and expressions, one at a time, under hard limits.

Started by ``sandbox.py`` with Python's site machinery off and an empty
environment; it imports only the standard library and planflow's restricted
expression module. Before it reads its first request it limits its own
address space (the memory limit), forbids itself to write files and to open
more than a handful of descriptors. The parent enforces the time limit by
killing it.

Requests and answers are single lines of JSON (``values.encode``).
"""
from __future__ import annotations

import resource
import sys
import traceback
from datetime import datetime

from engine.bpmn import expressions, values

_PAGE = resource.getpagesize()


def main(limits_json: str) -> None:
    limits = values.decode(limits_json.encode())
    _limit_resources(int(limits["memory_mib"]))
    state_bytes = int(limits["state_kib"]) * 1024
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    outbox.write(b"ready\n")
    outbox.flush()
    for line in inbox:
        outbox.write(_answer(line, state_bytes))
        outbox.flush()


def _limit_resources(memory_mib: int) -> None:
    with open("/proc/self/statm", "rb") as statm:
        address_space = int(statm.read().split()[0]) * _PAGE
    ceiling = address_space + memory_mib * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (8, 8))


def _answer(line: bytes, state_bytes: int) -> bytes:
    try:
        return values.encode(_run(values.decode(line), state_bytes))
    except MemoryError:
        return values.encode({"ok": False, "kind": "memory"})
    except (values.UnstorableValue, ValueError) as error:  # what it left cannot be encoded
        return values.encode({"ok": False, "kind": "unstorable", "message": str(error)})


def _run(request: dict, state_bytes: int) -> dict:
    now = datetime.fromisoformat(request["now"])
    env = expressions.script_globals(lambda: now, guarded=False)
    variables = request["variables"]
    try:
        compiled = expressions.compile_checked(request["source"], request["mode"])
        if request["mode"] == "eval":
            value = expressions.evaluate(compiled, variables, env)
            values.check_storable({"value": value}, {"value"}, state_bytes)
            return {"ok": True, "value": value}
        written = expressions.execute(compiled, variables, env)
        values.check_storable(variables, written, state_bytes)
        return {"ok": True, "variables": {name: variables[name] for name in written if name in variables},
                "deleted": sorted(name for name in written if name not in variables)}
    except MemoryError:
        raise
    except values.UnstorableValue as error:
        return {"ok": False, "kind": "unstorable", "message": str(error)}
    except expressions.ScriptLimitExceeded as error:
        return {"ok": False, "kind": "limit", "message": str(error)}
    except expressions.UnsafeExpression as error:
        return {"ok": False, "kind": "unsafe", "message": str(error)}
    except RecursionError:
        return {"ok": False, "kind": "error", "type": "RecursionError", "message": "recursion too deep", "line": None}
    except Exception as error:  # the script's own failure, reported to the engine as it would be in-process
        return {"ok": False, "kind": "error", "type": type(error).__name__,
                "message": str(error.args[0]) if error.args else str(error), "line": _line_of(error)}


def _line_of(error: BaseException) -> int | None:
    lines = [frame.lineno for frame in traceback.extract_tb(error.__traceback__) if frame.filename == "<bpmn>"]
    return lines[-1] if lines else None
