"""The process that reads one plan document and drafts its template, under hard limits (see ``sandbox``).

It imports what reading needs, caps its own address space (its size at that point plus the memory limit)
and its CPU time, says "ready", reads one request (a JSON line: the file's name and size and the agency
directory; then the file's bytes) and writes one answer line of JSON: the draft, or why there is none. An
answer it cannot give (its memory gone, a crash) the parent learns from how it ended.
"""
from __future__ import annotations

import json
import math
import resource
import sys
import traceback
from datetime import date

_PAGE = resource.getpagesize()
_OUT_OF_MEMORY = b'{"ok": false, "kind": "memory"}\n'  # made before the limit: said without allocating


def main(settings_json: str) -> None:
    settings = json.loads(settings_json)
    import docx  # noqa: F401 - every library a document may need, loaded before the memory is capped
    import lxml.etree  # noqa: F401
    import pypdf  # noqa: F401

    from engine.drafting import draft_here
    from engine.drafting.drafts import draft_as_json, message_as_json
    from engine.errors import Invalid
    from engine.model.agencies import directory_from_json
    _limit_resources(int(settings["memory_mib"]), float(settings["seconds"]))
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    outbox.write(b"ready\n")
    outbox.flush()
    try:
        header = json.loads(inbox.readline(1 << 24))
        data = inbox.read(int(header["size"]))
        directory = directory_from_json(header)
        today = date.fromisoformat(header["today"]) if header.get("today") else None
        draft = draft_here(data, str(header["filename"]), directory, today)
        del data
        answer = json.dumps({"ok": True, "draft": draft_as_json(draft)}, ensure_ascii=False).encode() + b"\n"
    except MemoryError:
        answer = _OUT_OF_MEMORY
    except Invalid as refused:
        answer = json.dumps({"ok": False, "kind": "invalid", "message": message_as_json(refused.message),
                             "errors": {name: [str(message) for message in messages]
                                        for name, messages in refused.errors.items()}}).encode() + b"\n"
    except RecursionError:
        answer = json.dumps({"ok": False, "kind": "error", "error": "nested too deeply"}).encode() + b"\n"
    except Exception as error:  # noqa: BLE001 - a library's failure on this file: the parent refuses the file
        answer = json.dumps({"ok": False, "kind": "error", "error": f"{type(error).__name__}: {error}"[:300],
                             "trace": traceback.format_exc()[-4000:]}).encode() + b"\n"
    outbox.write(answer)
    outbox.flush()


def _limit_resources(memory_mib: int, seconds: float) -> None:
    with open("/proc/self/statm", "rb") as statm:
        address_space = int(statm.read().split()[0]) * _PAGE
    used = resource.getrusage(resource.RUSAGE_SELF)
    cpu = math.ceil(used.ru_utime + used.ru_stime + seconds) + 1  # the wall time is the parent's to keep
    memory = address_space + memory_mib * 1024 * 1024
    for kind, soft, hard in ((resource.RLIMIT_AS, memory, memory), (resource.RLIMIT_CPU, cpu, cpu + 1),  # SIGXCPU
                             (resource.RLIMIT_CORE, 0, 0), (resource.RLIMIT_NOFILE, 64, 64),
                             (resource.RLIMIT_FSIZE, 64 * 1024 * 1024, 64 * 1024 * 1024)):  # OCR's page images
        _, given = resource.getrlimit(kind)
        if given != resource.RLIM_INFINITY:  # never above what this process was given
            soft, hard = min(soft, given), min(hard, given)
        resource.setrlimit(kind, (soft, hard))
