"""``planflow audit``: verify the hash-chained audit log and export it for checking outside planflow."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from cli.context import Context
from engine.model.actors import SYSTEM
from engine.model.clock import parse_instant
from engine.services import audit


@click.group("audit")
def group() -> None:
    """The audit log: every change, hash-chained."""


@group.command("verify")
@click.option("--evidence-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The evidence files (default: PLANFLOW_EVIDENCE_DIR or instance/evidence).")
@click.option("--no-evidence", is_flag=True, help="Check the chain only, not the evidence files.")
@click.pass_obj
def verify(obj: Context, evidence_dir: Path | None, no_evidence: bool) -> None:
    """Re-compute the chain and check every evidence file; exit 1 at the first broken link."""
    folder = evidence_dir or obj.planflow.settings.evidence_dir
    store = None if no_evidence else obj.planflow.evidence_in(folder)
    result = audit.verify(obj.uow(), store)
    rate = result.events / result.seconds if result.seconds else 0
    click.echo(f"{result.events} events checked in {result.seconds:.2f} s ({rate:,.0f} events/s); "
               f"chain head at {result.head_seq}")
    if result.first_break is not None:
        click.echo(f"BROKEN at event {result.first_break.seq}: {result.first_break.reason}")
    if store is not None:
        click.echo(f"{result.evidence_files} evidence files checked in {folder}")
        for problem in result.evidence_problems:
            click.echo(f"EVIDENCE {problem.problem}: {problem.evidence_id} {problem.file_name} "
                       f"(sha256 {problem.sha256})")
    if not result.ok:
        sys.exit(1)
    click.echo("the chain verifies" + ("" if store is None else " and every evidence file matches its hash"))


@group.command("export")
@click.option("--format", "kind", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write it (default: standard output).")
@click.option("--plan", type=int, default=None)
@click.option("--instance", type=int, default=None)
@click.option("--actor", default=None)
@click.option("--agency", default=None, help="The actor's agency.")
@click.option("--action", default=None, help="An action (task.completed) or a prefix ending in '.' (task.).")
@click.option("--since", default=None, metavar="ISO8601")
@click.option("--until", default=None, metavar="ISO8601")
@click.pass_obj
def export(obj: Context, kind: str, output: Path | None, plan, instance, actor, agency, action, since, until) -> None:
    """Write the (filtered) log with its chain hashes, for checking outside planflow."""
    try:
        where = audit.AuditFilter(plan_id=plan, instance_id=instance, actor=actor, agency=agency, action=action,
                                  since=parse_instant(since) if since else None,
                                  until=parse_instant(until) if until else None)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None
    lines = audit.export(obj.uow(), SYSTEM, where, kind)
    if output is None:
        for line in lines:
            click.echo(line, nl=False)
        return
    with output.open("w", encoding="utf-8", newline="") as file:
        for line in lines:
            file.write(line)
    click.echo(f"{output}: written")
