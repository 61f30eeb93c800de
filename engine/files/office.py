"""LibreOffice, headless, for the conversions planflow needs: an old Word document into .docx (drafting reads
it) and a report's .docx into PDF (the report as an office sends it).

It runs in a folder of its own with a new profile (so that runs do not share or lock one), under limits of
its own (address space, CPU, file size) and a wall-time budget past which it is killed with everything it
started. Where it is not installed, ``libreoffice()`` is None and callers say so in words.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

SECONDS = 60
MIB = 1024 * 1024
#: What LibreOffice may take: it maps some 500 MiB to start, and a plan's conversion takes a few seconds.
LIMITS = {"RLIMIT_AS": 2048 * MIB, "RLIMIT_CPU": SECONDS, "RLIMIT_FSIZE": 64 * MIB, "RLIMIT_CORE": 0}
#: Sets the limits (never above those this process was given), then becomes LibreOffice.
_LIMITED = ("import json, os, resource, sys\n"
            "for name, limit in json.loads(sys.argv[1]).items():\n"
            "    kind = getattr(resource, name)\n"
            "    _, given = resource.getrlimit(kind)\n"
            "    limit = limit if given == resource.RLIM_INFINITY else min(limit, given)\n"
            "    resource.setrlimit(kind, (limit, limit))\n"
            "os.execv(sys.argv[2], sys.argv[2:])\n")


class TooSlow(Exception):
    """LibreOffice ran past ``SECONDS`` and was killed."""


def libreoffice() -> str | None:
    """The LibreOffice program on this server's PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(office: str, source: Path, target: str, suffix: str) -> Path | None:
    """The file LibreOffice wrote of ``source`` (in ``source``'s folder, under ``out/``) converted by ``target``
    (``docx:MS Word 2007 XML``, ``pdf:writer_pdf_Export``), or None (it writes none of a file it cannot read,
    and says so by no exit status); ``TooSlow`` past ``SECONDS``."""
    folder = source.parent
    command = [sys.executable, "-I", "-S", "-c", _LIMITED, json.dumps(LIMITS), office,
               f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible", "--nologo",
               "--norestore", "--nolockcheck", "--convert-to", target, "--outdir", str(folder / "out"), str(source)]
    environment = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "HOME": str(folder)}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=environment, cwd=folder, close_fds=True,
                               start_new_session=True)
    try:
        process.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        _end(process)
        raise TooSlow() from None
    made = folder / "out" / f"{source.stem}.{suffix}"
    return made if made.is_file() else None


def pdf_from_docx(data: bytes) -> bytes | None:
    """The PDF LibreOffice makes of a .docx (None where it made none); ``TooSlow`` past ``SECONDS``."""
    office = libreoffice()
    if office is None:
        return None
    with tempfile.TemporaryDirectory(prefix="planflow-pdf-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(data)
        made = convert(office, source, "pdf:writer_pdf_Export", "pdf")
        return made.read_bytes() if made is not None else None


def _end(process: subprocess.Popen) -> None:
    """Kill a conversion that overran, with every process of its session, then reap it (killed before it is
    reaped, so that its id is still its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
