"""A command group that imports a command's module only when the command runs.

``planflow --help`` lists every command from a table of summaries and imports
none of them; ``planflow plans list`` imports the plan commands and what they
use, not the BPMN engine or the report writer. Every refusal of the engine
(``PlanflowError``) a command lets through is printed the one way (``fail``).
"""
from __future__ import annotations

import importlib

import click

from cli.context import fail
from engine.errors import PlanflowError


class LazyGroup(click.Group):
    """``lazy`` maps a command's name to where it is (``module:attribute``) and the summary ``--help`` lists."""

    def __init__(self, *args, lazy: dict[str, tuple[str, str]] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in self.commands and name in self.lazy:
            module, _, attribute = self.lazy[name][0].partition(":")
            self.add_command(getattr(importlib.import_module(module), attribute), name)
        return self.commands.get(name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, self.lazy[name][1] if name in self.lazy and name not in self.commands
                 else self.commands[name].get_short_help_str(formatter.width))
                for name in self.list_commands(ctx)]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PlanflowError as error:
            fail(error)
