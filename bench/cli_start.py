"""How long a ``planflow`` command takes to start and answer, against the code before the command line was
split into lazily loaded groups, and against the floors no command can go under.

    .venv/bin/python bench/cli_start.py [--runs 15] [--baseline COMMIT] [--json]

Each command runs ``--runs`` times as a new process, one after another; the figure is the median wall time
(the fastest beside it). The same commands run in the same sitting on

- **this checkout**: ``planflow --help``; ``planflow db history`` (reads the migrations, no database);
  ``planflow plans list`` and ``planflow tasks`` on a seeded SQLite file;
- **the baseline**: the same commands from the tree of ``--baseline`` (default 8a08f13, the last commit
  before the re-housing), extracted with ``git archive`` and run with its own ``python -m engine.cli`` on
  the same database file (both read schema revision 0003);
- **floors**: the interpreter doing nothing, importing click (every command's parser), and importing
  ``sqlalchemy.orm`` (what any command reading the database must load).

A ratio under 1 is a command faster than its baseline. What bounds each figure is the floor beside it:
``--help`` imports click and nothing of the engine; a command that reads the database imports SQLAlchemy
and the store, which alone take most of its time here.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
BASELINE = "8a08f13"

#: (label, arguments after the command, needs the seeded database)
COMMANDS = [
    ("--help", ["--help"], False),
    ("db history", ["db", "history"], False),
    ("plans list", ["plans", "list"], True),
    ("tasks", ["tasks"], True),
]
FLOORS = [
    ("python, nothing", [PYTHON, "-c", "pass"]),
    ("python, import click", [PYTHON, "-c", "import click"]),
    ("python, import sqlalchemy.orm", [PYTHON, "-c", "import sqlalchemy.orm"]),
]


def timed(words: list[str], runs: int, env: dict, cwd: Path) -> dict:
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(words, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        seconds.append(time.perf_counter() - started)
    return {"median_ms": round(statistics.median(seconds) * 1000, 1), "fastest_ms": round(min(seconds) * 1000, 1)}


def baseline_tree(commit: str, folder: Path) -> Path | None:
    """The code of ``commit`` in ``folder`` (None where git or the commit is missing)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], capture_output=True)
    if archive.returncode != 0:
        return None
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def seeded_database(folder: Path, env: dict) -> str:
    url = f"sqlite:///{folder / 'bench.sqlite3'}"
    subprocess.run([PYTHON, "-m", "cli", "--database-url", url, "seed", "--demo"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL)
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--baseline", default=BASELINE)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args()
    env = {**os.environ, "PLANFLOW_NOW": "2022-10-01T08:00+07:00", "PYTHONPATH": str(ROOT)}
    env.pop("PLANFLOW_DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        url = seeded_database(scratch, env)
        (scratch / "baseline").mkdir()
        old = baseline_tree(options.baseline, scratch / "baseline")
        rows = []
        for label, words, needs_database in COMMANDS:
            prefix = ["--database-url", url] if needs_database else []
            now = timed([PYTHON, "-m", "cli", *prefix, *words], options.runs, env, ROOT)
            before = timed([PYTHON, "-m", "engine.cli", *prefix, *words], options.runs,
                           {**env, "PYTHONPATH": str(old)}, old) if old else None
            rows.append({"command": f"planflow {label}", "now": now, "baseline": before,
                         "ratio": round(now["median_ms"] / before["median_ms"], 2) if before else None})
        floors = [{"floor": label, **timed(words, options.runs, env, ROOT)} for label, words in FLOORS]
    result = {"machine": f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, Python "
                         f"{platform.python_version()}", "runs": options.runs, "baseline": options.baseline,
              "commands": rows, "floors": floors}
    if options.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{result['machine']}; median of {options.runs} runs (fastest), wall time")
    print(f"{'command':<24}{'now ms':>16}{'baseline ms':>18}{'now/baseline':>14}")
    for row in rows:
        before = row["baseline"]
        print(f"{row['command']:<24}{row['now']['median_ms']:>9} ({row['now']['fastest_ms']:>5})"
              + (f"{before['median_ms']:>11} ({before['fastest_ms']:>5}){row['ratio']:>14}" if before
                 else f"{'(no baseline)':>32}"))
    for floor in floors:
        print(f"floor: {floor['floor']:<30}{floor['median_ms']:>9} ({floor['fastest_ms']:>5})")


if __name__ == "__main__":
    main()
