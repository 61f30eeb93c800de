"""``planflow templates``: list, validate and register plan templates, and draft one from a plan document."""
from __future__ import annotations

from pathlib import Path

import click

from cli.context import Context, acting_person
from engine.errors import Invalid
from engine.model.actors import SYSTEM
from engine.services import templates


@click.group("templates")
def group() -> None:
    """Plan templates (workflows/templates/*.yaml)."""


@group.command("list")
@click.pass_obj
def list_templates(obj: Context) -> None:
    """The newest version of every registered template."""
    for info in templates.list_templates(obj.uow()):
        click.echo(f"{info.key}  v{info.version}  {info.items} items  {info.name}")


@group.command("validate")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_obj
def validate(obj: Context, file: Path) -> None:
    """Check FILE against the agency directory and the deployed processes; store nothing."""
    try:
        uow = None if obj.database.is_empty() else obj.uow()  # a fresh install: the structure alone
        valid = templates.check_template(uow, file.read_bytes(), file.name, obj.clock)
    except Invalid as error:
        click.echo(f"{file.name} is not valid:", err=True)
        for field, messages in (error.errors or {"": [error.message]}).items():
            for message in messages:
                click.echo(f"  {field}: {message}", err=True)
        raise SystemExit(2) from None
    if not valid.references_checked:
        click.echo(f"{file.name}: template {valid.key} is well-formed ({len(valid.data['items'])} top-level "
                   "items); its agencies and processes were not checked: this database has no agency directory "
                   "yet (run 'planflow seed' first)")
        return
    click.echo(f"{file.name}: template {valid.key} is valid ({len(valid.data['items'])} top-level items)")


@group.command("register")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@acting_person
@click.pass_obj
def register(obj: Context, files: tuple[Path, ...], as_user: str) -> None:
    """Register FILES as templates (a changed file becomes the next version), as a coordinator or administrator
    of their province."""
    person = obj.person(as_user)
    for file in files:
        info = templates.register_template(obj.uow(), obj.clock, person, file.read_bytes(), file.name)
        click.echo(f"{file.name}: template {info.key} v{info.version}, {info.items} items"
                   + (" (new)" if info.new else " (unchanged)"))


@group.command("draft")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the draft (default: FILE's name with .draft.yaml).")
@click.pass_obj
def draft(obj: Context, file: Path, output: Path | None) -> None:
    """Read a plan document (.docx, PDF, text) and write a draft template, each field's source and flags
    in comments; nothing is stored."""
    try:
        found = templates.draft_from_document(obj.uow(), SYSTEM, file.read_bytes(), file.name, obj.clock)
    except Invalid as error:
        click.echo(f"{file.name}: {error.message}", err=True)
        raise SystemExit(2) from None
    target = output or file.with_suffix(".draft.yaml")
    target.write_text(templates.draft_as_yaml(found, file.name), encoding="utf-8")
    click.echo(f"{target}: {found.summary}")
    for flag in found.flags:
        click.echo(f"  FLAG {flag.path}: {flag.message}"
                   + (f" (did you mean {', '.join(flag.suggestions)}?)" if flag.suggestions else ""))
