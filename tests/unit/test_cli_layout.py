"""The ``planflow`` command lists its commands without importing them, and lists them as they describe
themselves."""
from __future__ import annotations

import subprocess
import sys

import click
import pytest

from cli import COMMANDS, main


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_each_summary_in_the_help_is_the_command_s_own_first_sentence(name):
    command = main.get_command(click.Context(main), name)
    first_line = " ".join((command.help or "").split("\n\n")[0].split())
    assert COMMANDS[name][1] == first_line


def test_the_help_lists_every_command_and_imports_none_of_the_engine():
    run = subprocess.run([sys.executable, "-c", "import sys\nfrom cli import main\ntry:\n    main(['--help'])\n"
                          "except SystemExit:\n    pass\nprint(sorted(m for m in sys.modules if m.startswith(("
                          "'engine.services', 'engine.store', 'sqlalchemy', 'SpiffWorkflow', 'flask'))))"],
                         capture_output=True, text=True, check=True)
    listed, imported = run.stdout.rsplit("\n", 2)[0], run.stdout.rsplit("\n", 2)[1]
    assert all(f"  {name} " in listed for name in COMMANDS)
    assert imported == "[]"
