"""The budget every BPMN script and expression runs under, as settings with sane defaults.

| setting | default | what it bounds |
| --- | --- | --- |
| ``PLANFLOW_SCRIPT_SECONDS`` | 2 | wall time of one script or expression |
| ``PLANFLOW_SCRIPT_MEMORY_MIB`` | 256 | memory the sandbox process may take beyond its own start-up size |
| ``PLANFLOW_SCRIPT_STATE_KIB`` | 1024 | process variables a script may leave behind (their JSON size, roughly) |

A script over any of them fails as an incident naming the element and the
limit; nothing of its step is stored.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from threading import Lock
from typing import Mapping


@dataclass(frozen=True)
class ScriptLimits:
    seconds: float = 2.0
    memory_mib: int = 256
    state_kib: int = 1024

    @property
    def state_bytes(self) -> int:
        return self.state_kib * 1024

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] = os.environ) -> "ScriptLimits":
        defaults = cls()
        return cls(
            seconds=_number(environ, "PLANFLOW_SCRIPT_SECONDS", defaults.seconds, float, 0.05, 600),
            memory_mib=_number(environ, "PLANFLOW_SCRIPT_MEMORY_MIB", defaults.memory_mib, int, 16, 65_536),
            state_kib=_number(environ, "PLANFLOW_SCRIPT_STATE_KIB", defaults.state_kib, int, 16, 1_048_576),
        )


def _number(environ: Mapping[str, str], name: str, default, kind, low, high):
    text = environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        value = kind(text)
    except ValueError:
        raise ValueError(f"{name}={text!r} is not a {'whole ' if kind is int else ''}number") from None
    if not low <= value <= high:
        raise ValueError(f"{name}={text!r} is outside {low}–{high}")
    return value


_current: ScriptLimits | None = None
_lock = Lock()


def current_limits() -> ScriptLimits:
    """The limits in force: set by ``set_limits``, else read once from the environment."""
    global _current
    with _lock:
        if _current is None:
            _current = ScriptLimits.from_environment()
        return _current


def set_limits(limits: ScriptLimits | None) -> None:
    """Use these limits from now on (``None``: read the environment again on next use)."""
    global _current
    with _lock:
        _current = limits
