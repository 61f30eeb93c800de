"""Old Word documents: a Word 97-2003 .doc (an OLE2 compound file) or an RTF, which many provincial offices
still send, read as the .docx LibreOffice makes of it; where LibreOffice is not installed, refused with the
way out (save it as .docx in Word).

A document is told by its first bytes, never by its name: a .docx named .doc is read as a .docx, a text
named .doc as text. LibreOffice runs headless in a folder of its own, with a new profile (so that runs do not
share or lock one), under limits of its own (address space, CPU, file size) and a wall-time budget past
which it is killed with everything it started; the folder is removed afterwards. The .docx it makes is then
read like any other, through every check of ``archive``.
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

from engine.errors import Invalid
from engine.i18n import t

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a compound file: .doc, but also .xls, .ppt, a password-protected .docx
RTF = b"{\\rtf"
_WORD_STREAM = "WordDocument".encode("utf-16-le")  # the stream every Word 97-2003 document holds, by its name
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


def is_legacy(data: bytes) -> bool:
    """Whether ``data`` is an old Office file or an RTF, by its first bytes."""
    return data.startswith((OLE2, RTF))


def libreoffice() -> str | None:
    """The LibreOffice program on this server's PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_from_legacy(data: bytes, filename: str) -> bytes:
    """The .docx LibreOffice makes of an old Word document or an RTF; an ``Invalid`` naming the file where it
    is not a Word document, LibreOffice is not installed, or the conversion fails or overruns its time."""
    if data.startswith(OLE2) and _WORD_STREAM not in data:
        raise Invalid(t("%(name)s is an old Office file but not a Word document (or it is protected by a "
                        "password): give .docx, .pdf or .txt", name=filename),
                      errors={"file": ["not a word document"]})
    office = libreoffice()
    if office is None:
        raise Invalid(t("%(name)s is an old Word document (.doc or .rtf), which this server cannot read (LibreOffice "
                        "is not installed): open it in Word, save it as .docx and send that", name=filename),
                      errors={"file": ["old word format"]})
    with tempfile.TemporaryDirectory(prefix="planflow-doc-") as folder:
        source = Path(folder) / ("document.rtf" if data.startswith(RTF) else "document.doc")
        source.write_bytes(data)
        made = _convert(office, source, filename)
        from engine.drafting.reading import MAX_BYTES
        if made is None or made.stat().st_size > MAX_BYTES:
            raise Invalid(t("LibreOffice could not make a .docx of %(name)s: open it in Word, save it as .docx and "
                            "send that", name=filename), errors={"file": ["conversion failed"]})
        return made.read_bytes()


def _convert(office: str, source: Path, filename: str) -> Path | None:
    """The .docx LibreOffice wrote beside ``source``, or None (it writes none of a file it cannot read, and
    says so by no exit status); past ``SECONDS`` it is killed with whatever it started."""
    folder = source.parent
    command = [sys.executable, "-I", "-S", "-c", _LIMITED, json.dumps(LIMITS), office,
               f"-env:UserInstallation={(folder / 'profile').as_uri()}", "--headless", "--invisible", "--nologo",
               "--norestore", "--nolockcheck", "--convert-to", "docx:MS Word 2007 XML", "--outdir",
               str(folder / "out"), str(source)]
    environment = {"PATH": os.environ.get("PATH", os.defpath), "LANG": "C.UTF-8", "HOME": str(folder)}
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=environment, cwd=folder, close_fds=True,
                               start_new_session=True)
    try:
        process.wait(timeout=SECONDS)
    except subprocess.TimeoutExpired:
        _end(process)
        raise Invalid(t("%(name)s took LibreOffice longer than %(seconds)s s to convert: open it in Word, save it "
                        "as .docx and send that", name=filename, seconds=SECONDS),
                      errors={"file": ["too slow"]}) from None
    made = folder / "out" / f"{source.stem}.docx"
    return made if made.is_file() else None


def _end(process: subprocess.Popen) -> None:
    """Kill a conversion that overran, with every process of its session, then reap it (killed before it is
    reaped, so that its id is still its own)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
