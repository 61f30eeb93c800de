"""Reading and drafting a plan document in a process of its own, under limits, so that a hostile document
stops only that process.

A zip bomb, a PDF of a hundred thousand pages or a sentence that sends a parser into quadratic time would
otherwise take the web worker (or the command) that reads it: its memory, its time, then itself. Each
document is read by a new Python process (``sandbox_child``) that caps its own address space and CPU time
before it reads the request; this side kills it, with anything it started, when the wall-time budget is
spent, and takes back no more than a bounded answer of plain JSON. Whatever stops the child (its time, its
memory, a crash) becomes a plain refusal, an ``Invalid`` naming the file and what happened, never an error
of the caller.
"""
from __future__ import annotations

import json
import logging
import os
import selectors
import signal
import subprocess
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from threading import BoundedSemaphore
from time import monotonic

from engine.drafting.drafts import Draft, draft_from_json, message_from_json
from engine.drafting.reading import check_upload
from engine.errors import Invalid, Unavailable
from engine.i18n import t
from engine.model.agencies import AgencyDirectory, directory_as_json

_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the engine package
_BOOT = ("import sys; sys.path.insert(0, sys.argv[1]); from engine.drafting.sandbox_child import main; "
         "main(sys.argv[2])")
_START_SECONDS = 30
_CHUNK = 1 << 16
_CONCURRENT = BoundedSemaphore(2)  # documents read at once by one server process; the next waits its turn
_WAIT_SECONDS = 10  # for a turn, past which the sender is asked to try again
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadingLimits:
    """What one document may take to be read and drafted."""

    seconds: float = 40.0  # wall time of the reading and drafting (the child's CPU time is capped the same)
    memory_mib: int = 300  # address space the child may take beyond what its interpreter and libraries map
    answer_mib: int = 32  # the draft the child sends back, as JSON


class _Stopped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def draft_in_child(data: bytes, filename: str, directory: AgencyDirectory | bytes, limits: ReadingLimits,
                   today: date | None = None) -> Draft:
    """The draft of a document, read and drafted by a child process under ``limits``; ``directory`` as it is,
    or already as JSON (``directory_as_json``, encoded: the whole directory is kept so between documents)."""
    check_upload(data, filename)
    from engine.drafting.legacy import docx_from_legacy, is_legacy
    if is_legacy(data):  # LibreOffice needs more memory than the reading process may take: it runs from here
        data = docx_from_legacy(data, filename)
    meta = {"filename": filename, "size": len(data), "today": today.isoformat() if today else None}
    listed = directory if isinstance(directory, bytes) else \
        json.dumps(directory_as_json(directory), ensure_ascii=False).encode("utf-8")
    header = json.dumps(meta, ensure_ascii=False).encode("utf-8")[:-1] + b", " + listed[1:]
    request = [header + b"\n", data]
    if not _CONCURRENT.acquire(timeout=_WAIT_SECONDS):
        raise Unavailable(t("the server is reading other documents; send %(name)s again in a moment", name=filename))
    try:
        child = _start(limits)
        try:
            answer = _exchange(child, request, limits.seconds, limits.answer_mib * 1024 * 1024)
        except _Stopped as stopped:
            raise _refusal(stopped.reason, _kill(child), filename, limits) from None
        finally:
            _kill(child)
    finally:
        _CONCURRENT.release()
    return _draft_from(answer, filename)


def _start(limits: ReadingLimits) -> subprocess.Popen:
    settings = json.dumps({"memory_mib": limits.memory_mib, "seconds": limits.seconds})
    environment = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "OMP_THREAD_LIMIT": "1"}
    if "TESSDATA_PREFIX" in os.environ:
        environment["TESSDATA_PREFIX"] = os.environ["TESSDATA_PREFIX"]
    child = subprocess.Popen([sys.executable, "-I", "-c", _BOOT, str(_ROOT), settings], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=environment, cwd="/",
                             close_fds=True, start_new_session=True)
    try:
        ready = _exchange(child, [], _START_SECONDS, 64)
    except _Stopped:
        ready = b""
    if ready != b"ready\n":
        _kill(child)
        raise RuntimeError("the process that reads plan documents did not start")
    return child


def _exchange(child: subprocess.Popen, request: list[bytes], seconds: float, max_bytes: int) -> bytes:
    """Write the request (its pieces, none copied) and read one line back, within ``seconds`` and ``max_bytes``."""
    deadline, answer = monotonic() + seconds, bytearray()
    pending = [memoryview(piece) for piece in request if piece]
    source, sink = child.stdout.fileno(), child.stdin.fileno()
    with selectors.DefaultSelector() as selector:
        selector.register(source, selectors.EVENT_READ)
        if pending:
            os.set_blocking(sink, False)
            selector.register(sink, selectors.EVENT_WRITE)
        while True:
            remaining = deadline - monotonic()
            if remaining <= 0:
                raise _Stopped("time")
            for key, _ in selector.select(remaining):
                if key.fd == sink:
                    try:
                        pending[0] = pending[0][os.write(sink, pending[0][:_CHUNK]):]
                    except BlockingIOError:
                        continue
                    except OSError:  # the child has gone; what it said, or its end, is read next
                        pending = []
                    pending = [piece for piece in pending if piece]
                    if not pending:
                        selector.unregister(sink)
                        child.stdin.close()
                    continue
                chunk = os.read(source, _CHUNK)
                if not chunk:
                    raise _Stopped("ended")
                answer += chunk
                if len(answer) > max_bytes:
                    raise _Stopped("size")
                if answer.endswith(b"\n"):
                    return bytes(answer)


def _kill(child: subprocess.Popen) -> int | None:
    if child.poll() is None:
        try:
            os.killpg(child.pid, signal.SIGKILL)  # with whatever it started (pdftoppm, tesseract)
        except ProcessLookupError:
            pass
    for stream in (child.stdin, child.stdout):
        if stream and not stream.closed:
            stream.close()
    return child.wait()


def _refusal(reason: str, status: int | None, filename: str, limits: ReadingLimits) -> Invalid:
    if reason == "time" or status == -signal.SIGXCPU:
        return Invalid(t("%(name)s took longer than %(seconds)s s to read; it is not read (a plan takes a second "
                         "or two)", name=filename, seconds=f"{limits.seconds:g}"), errors={"file": [t("too slow")]})
    if reason == "size":
        return Invalid(t("%(name)s gives a draft of more than %(limit)s MB; it is not read", name=filename,
                         limit=limits.answer_mib), errors={"file": [t("too large")]})
    return Invalid(t("reading %(name)s stopped its process (exit status %(status)s), most likely because it needed "
                     "more than %(limit)s MiB of memory; it is not read", name=filename, status=status,
                     limit=limits.memory_mib), errors={"file": [t("reader stopped")]})


def _draft_from(answer: bytes, filename: str) -> Draft:
    try:
        data = json.loads(answer)
        if data["ok"]:
            return draft_from_json(data["draft"])
        kind = data["kind"]
        if kind == "invalid":
            errors = {str(name): [str(message) for message in messages] for name, messages in data["errors"].items()}
            refused = Invalid(message_from_json(data["message"]), errors=errors)
        elif kind == "memory":
            refused = Invalid(t("%(name)s needed more memory to read than a plan does; it is not read", name=filename),
                              errors={"file": [t("too large")]})
        else:
            _log.warning("reading %s failed: %s", filename, str(data.get("trace", ""))[-4000:])
            refused = Invalid(t("%(name)s could not be read: %(error)s", name=filename,
                                error=str(data.get("error", ""))[:200]), errors={"file": [t("unreadable")]})
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        _log.warning("the process that read %s answered what is not a draft: %r", filename, error)
        refused = Invalid(t("%(name)s could not be read: %(error)s", name=filename, error="the reader's answer"),
                          errors={"file": [t("unreadable")]})
    raise refused
