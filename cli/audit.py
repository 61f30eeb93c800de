"""``planflow audit``: verify the hash-chained audit log, export it for checking outside planflow, and sign
checkpoints of its head with a key kept outside the database."""
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
@click.option("--checkpoints", type=click.Path(dir_okay=False, exists=True, path_type=Path), default=None,
              help="Also check the signed checkpoints of this file: each signature, and that the event each "
                   "names still has the hash it signed.")
@click.option("--public-key", "public_keys", multiple=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The key the checkpoints are signed with, as 'planflow audit keygen' printed it (repeat for "
                   "several; default: the public half of PLANFLOW_AUDIT_KEY).")
@click.pass_obj
def verify(obj: Context, evidence_dir: Path | None, no_evidence: bool, checkpoints: Path | None,
           public_keys: tuple[Path, ...]) -> None:
    """Re-compute the chain and check every evidence file; exit 1 at the first broken link."""
    folder = evidence_dir or obj.planflow.settings.evidence_dir
    store = None if no_evidence else obj.planflow.evidence_in(folder)
    configured = obj.planflow.settings.audit_key
    keys = public_keys or ((configured,) if configured is not None and checkpoints is not None else ())
    result = audit.verify(obj.uow(), store, checkpoints=checkpoints, public_keys=keys)
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
    if result.checkpoints is not None:
        _say_checkpoints(result.checkpoints, checkpoints)
    if not result.ok:
        sys.exit(1)
    click.echo("the chain verifies" + ("" if store is None else " and every evidence file matches its hash")
               + ("" if result.checkpoints is None else "; every checkpoint is signed and matches the log"))


def _say_checkpoints(report, file: Path) -> None:
    click.echo(f"{report.lines} checkpoint(s) checked in {file} against key {', '.join(report.trusted_keys)}")
    for problem in report.problems:
        if problem.problem not in ("rewritten", "missing"):
            click.echo(f"CHECKPOINT {problem.problem} at line {problem.line}: {problem.reason}")
    first, last = report.first_rewritten, report.last_matching
    if first is not None:
        click.echo(f"REWRITTEN at event {first.seq}: {first.reason}")
        click.echo(f"  the last checkpointed event that still matches is {last.seq} (signed at {last.at}): the "
                   f"log was rewritten after event {last.seq}, at or before event {first.seq}" if last is not None
                   else f"  no checkpointed event still matches: the log was rewritten at or before event "
                        f"{first.seq}")


@group.command("keygen")
@click.option("--private", "private", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write the new private key (PEM, mode 0600; an existing file is never overwritten).")
@click.option("--public", "public", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the public key there, for the auditors.")
def keygen(private: Path, public: Path | None) -> None:
    """Make a new Ed25519 key to sign checkpoints of the audit chain with, and print its public half."""
    key = audit.make_signing_key(private, public)
    click.echo(f"{private}: a new Ed25519 private key (mode 0600): keep it off the database's host and set "
               f"PLANFLOW_AUDIT_KEY to it where checkpoints are written")
    click.echo(f"key id: {key.key_id}")
    click.echo("public key (the auditors check checkpoints with it: planflow audit verify --public-key FILE):")
    click.echo(key.public_pem, nl=False)


@group.command("checkpoint")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The private key to sign with (default: PLANFLOW_AUDIT_KEY).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file the checkpoint is appended to (default: PLANFLOW_AUDIT_CHECKPOINTS).")
@click.pass_obj
def checkpoint(obj: Context, key: Path | None, output: Path | None) -> None:
    """Sign the chain's head now and append the checkpoint to a file kept outside the database."""
    settings = obj.planflow.settings
    key, output = key or settings.audit_key, output or settings.audit_checkpoints
    if key is None or output is None:
        raise click.UsageError("say which key signs and which file the checkpoint goes to: --key and --output, "
                               "or PLANFLOW_AUDIT_KEY and PLANFLOW_AUDIT_CHECKPOINTS")
    written = audit.write_checkpoint(obj.uow(), obj.clock, key, output)
    click.echo(f"{output}: checkpoint of event {written.seq} (hash {written.hash}) signed at {written.at} with "
               f"key {written.key_id}")


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
    """Write the (filtered) log with its chain hashes, for checking outside planflow.

    JSON lines carry every field exactly as hashed. In CSV a cell that begins with =, +, -, @, a tab, a carriage
    return or ' has one ' put before it (a spreadsheet then shows it as text, never runs it): remove one leading
    ' from each cell that has one before re-hashing."""
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
