"""Running BPMN code that may not be bounded in a separate process, under the script limits.

``while True: pass``, a nested loop over ``range(100000)``, ``x = x ** 1000``
repeated or ``'a'.ljust(10 ** 8)`` cannot be stopped from inside the Python
process that runs them: a C-level operation ignores every in-process check.
So every script or expression that is not provably bounded (see
``expressions.is_bounded``) runs in a sandbox process that the engine kills
when it runs past the time limit, whose own address space is capped at the
memory limit, and whose answer is refused past the state limit. Sandbox
processes are started on first use, kept for the next script, and replaced
when one is killed; each thread of the engine takes its own.
"""
from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from threading import Lock
from time import monotonic
from typing import Any

from engine.bpmn import values
from engine.bpmn.expressions import ScriptLimitExceeded, UnsafeExpression
from engine.bpmn.limits import ScriptLimits

_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the engine package
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from engine.bpmn.sandbox_worker import main; main(sys.argv[2])"
_START_SECONDS = 20
_KEPT = 4

#: Errors a script raises inside the sandbox, raised again here as themselves.
_SCRIPT_ERRORS = {error.__name__: error for error in (
    NameError, KeyError, ValueError, TypeError, IndexError, ZeroDivisionError, AttributeError, OverflowError,
    RecursionError, ArithmeticError, LookupError, AssertionError)}


class SandboxError(RuntimeError):
    """A failure in the script that has no builtin exception type of its own here."""


class _Stopped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Worker:
    def __init__(self, limits: ScriptLimits) -> None:
        settings = json.dumps({"memory_mib": limits.memory_mib, "state_kib": limits.state_kib})
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-S", "-c", _BOOT, str(_ROOT), settings],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={"PATH": os.defpath, "LANG": "C.UTF-8"}, cwd="/", close_fds=True, start_new_session=True)
        if self._read_line(_START_SECONDS, 64) != b"ready\n":
            self.kill()
            raise RuntimeError("the script sandbox process did not start")

    def call(self, request: bytes, seconds: float, max_bytes: int) -> dict:
        try:
            self.process.stdin.write(request)
            self.process.stdin.flush()
        except (BrokenPipeError, OSError):
            raise _Stopped("ended") from None
        return values.decode(self._read_line(seconds, max_bytes))

    def _read_line(self, seconds: float, max_bytes: int) -> bytes:
        deadline, buffer = monotonic() + seconds, bytearray()
        descriptor = self.process.stdout.fileno()
        while not buffer.endswith(b"\n"):
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise _Stopped("time")
            ready, _, _ = select.select([descriptor], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(descriptor, 1 << 16)
            if not chunk:
                raise _Stopped("ended")
            buffer += chunk
            if len(buffer) > max_bytes:
                raise _Stopped("size")
        return bytes(buffer)

    def kill(self) -> int | None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        for stream in (self.process.stdin, self.process.stdout):
            stream.close()
        return self.process.wait()


class Sandbox:
    """Sandbox processes started with one set of limits."""

    def __init__(self, limits: ScriptLimits) -> None:
        self.limits = limits
        self._idle: list[_Worker] = []
        self._lock = Lock()

    def evaluate(self, source: str, variables: dict[str, Any], now: datetime) -> Any:
        return self._run("eval", source, variables, now)["value"]

    def execute(self, source: str, variables: dict[str, Any], now: datetime) -> tuple[dict[str, Any], list[str]]:
        """Run a script on these variables; returns the variables it set and the names it deleted."""
        answer = self._run("exec", source, variables, now)
        return answer["variables"], answer["deleted"]

    def _run(self, mode: str, source: str, variables: dict[str, Any], now: datetime) -> dict:
        request = _encode_request(mode, source, variables, now)
        worker = self._take()
        try:
            answer = worker.call(request, self.limits.seconds, self.limits.state_bytes * 6 + (1 << 16))
        except _Stopped as stopped:
            status = worker.kill()
            raise self._limit_error(stopped.reason, status) from None
        except BaseException:
            worker.kill()
            raise
        if answer.get("kind") == "memory":
            worker.kill()  # a process that ran out of memory is not trusted with the next script
        else:
            self._give_back(worker)
        if not answer["ok"]:
            raise _error_from(answer, self.limits)
        return answer

    def _limit_error(self, reason: str, status: int | None) -> ScriptLimitExceeded:
        limits = self.limits
        if reason == "time":
            return ScriptLimitExceeded(f"ran longer than {limits.seconds:g} s, the time limit "
                                       "(PLANFLOW_SCRIPT_SECONDS)")
        if reason == "size":
            return ScriptLimitExceeded(f"leaves more than {limits.state_kib} KiB of process variables (the state "
                                       "limit, PLANFLOW_SCRIPT_STATE_KIB)")
        return ScriptLimitExceeded(f"stopped the sandbox process (exit status {status}); most likely it needed "
                                   f"more than {limits.memory_mib} MiB, the memory limit (PLANFLOW_SCRIPT_MEMORY_MIB)")

    def _take(self) -> _Worker:
        with self._lock:
            while self._idle:
                worker = self._idle.pop()
                if worker.process.poll() is None:
                    return worker
        return _Worker(self.limits)

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            if len(self._idle) < _KEPT:
                self._idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def _encode_request(mode: str, source: str, variables: dict[str, Any], now: datetime) -> bytes:
    try:
        return values.encode({"mode": mode, "source": source, "variables": variables, "now": now.isoformat()})
    except (values.UnstorableValue, ValueError, TypeError):
        for name, value in variables.items():
            try:
                values.encode(value)
            except (values.UnstorableValue, ValueError, TypeError):
                raise UnsafeExpression(f"reads variable '{name}', a {type(value).__name__} that the script sandbox "
                                       "cannot be given") from None
        raise


def _error_from(answer: dict, limits: ScriptLimits) -> Exception:
    kind, message = answer["kind"], answer.get("message", "")
    if kind == "memory":
        return ScriptLimitExceeded(f"needed more than {limits.memory_mib} MiB of memory, the memory limit "
                                   "(PLANFLOW_SCRIPT_MEMORY_MIB)")
    if kind == "limit":
        return ScriptLimitExceeded(message)
    if kind == "unstorable":
        return values.UnstorableValue(message)
    if kind == "unsafe":
        return UnsafeExpression(message)
    where = f" (line {answer['line']})" if answer.get("line") else ""
    error_class = _SCRIPT_ERRORS.get(answer.get("type"), SandboxError)
    text = f"{message}{where}" if error_class is not SandboxError else f"{answer.get('type')}: {message}{where}"
    return error_class(text)


_sandboxes: dict[tuple[int, ScriptLimits], Sandbox] = {}
_sandboxes_lock = Lock()


def sandbox_for(limits: ScriptLimits) -> Sandbox:
    """The sandbox of this process for these limits (a forked child starts its own)."""
    key = (os.getpid(), limits)
    with _sandboxes_lock:
        sandbox = _sandboxes.get(key)
        if sandbox is None:
            sandbox = _sandboxes[key] = Sandbox(limits)
        return sandbox
