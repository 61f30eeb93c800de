"""``planflow worker``: the timer worker, run beside the web application (one or several, on one database)."""
from __future__ import annotations

import signal
import threading

import click

from bootstrap import NO_CLOCK_IN_PRODUCTION
from cli.context import Context
from engine.errors import PlanflowError, Unavailable
from engine.model.clock import FixedClock, parse_instant
from engine.services import audit, digests, outbox, processes, reminders


@click.command()
@click.option("--once", is_flag=True, help="Fire what is due now, then exit.")
@click.option("--now", "now_text", default=None, metavar="ISO8601",
              help="Act as if it were this instant (with --once), e.g. 2022-10-01T08:00+07:00.")
@click.option("--interval", default=10.0, show_default=True, help="Seconds between runs.")
@click.option("--batch", default=100, show_default=True, help="Instances per transaction batch.")
@click.pass_obj
def worker(obj: Context, once: bool, now_text: str | None, interval: float, batch: int) -> None:
    """Fire due timers, send reminders and escalations of deadlines, queue the daily digests, deliver the mail
    outbox.

    With PLANFLOW_AUDIT_KEY and PLANFLOW_AUDIT_CHECKPOINTS set, also sign the audit chain's head into that
    file once the log has moved past the last checkpoint and that one is PLANFLOW_CHECKPOINT_HOURS old."""
    if now_text and not once:
        raise click.UsageError("--now only makes sense with --once")
    if now_text and obj.planflow.settings.production:
        raise click.UsageError(NO_CLOCK_IN_PRODUCTION)
    clock = FixedClock(parse_instant(now_text)) if now_text else obj.clock
    try:
        mailer = obj.planflow.mailer
    except ValueError as error:
        raise click.UsageError(str(error)) from None
    checkpointing = obj.planflow.checkpointing
    if checkpointing is not None:  # a key that cannot be read stops the start, not every round
        try:
            key_id = audit.signing_key_id(checkpointing.key)
        except PlanflowError as error:
            raise click.UsageError(f"PLANFLOW_AUDIT_KEY: {error}") from None
        click.echo(f"checkpoints of the audit chain: signed with key {key_id} into {checkpointing.file} when the "
                   f"log has moved on and the last is {checkpointing.every.total_seconds() / 3600:g} h old")
    stopping = _stop_on_signals()
    backoff = 0.0
    while not stopping.is_set():
        try:
            _worker_round(obj, clock, batch, mailer, once, stopping)
        except Unavailable as error:
            # The database is down or unreachable: nothing of the round was committed. Wait longer each
            # time (up to a minute), then go on where it stopped.
            backoff = min(60.0, max(1.0, backoff * 2))
            click.echo(f"{clock.now().isoformat()}: database unavailable ({error}); trying again in "
                       f"{backoff:.0f} s", err=True)
            if once:
                raise SystemExit(75) from None  # EX_TEMPFAIL: try again later
            stopping.wait(backoff)
            continue
        if backoff:
            click.echo(f"{clock.now().isoformat()}: database reachable again; working")
            backoff = 0.0
        if once:
            return
        stopping.wait(interval)
    click.echo("stopped: the round under way was finished")


def _worker_round(obj: Context, clock, batch: int, mailer, once: bool, stopping: threading.Event) -> None:
    """Fire what is due (a batch a transaction), send reminders, deliver mail; say what was done."""
    totals = {"advanced": 0, "failed": 0, "skipped": 0}
    while not stopping.is_set():
        counts = processes.fire_due_timers(obj.uow(), clock, limit=batch)
        for name, value in counts.items():
            totals[name] += value
        # On to the next batch while this one was full and went forward: instances another worker held
        # were skipped, and come back (fired) or not (not due any more) when the due ones are read again.
        if sum(counts.values()) < batch or not counts["advanced"] + counts["failed"]:
            break
    reminded = reminders.send_reminders(obj.uow(), clock)
    digests.send_digests(obj.uow(), clock)
    mailed = outbox.deliver_mail(obj.uow(), clock, mailer) if mailer else {"sent": 0, "failed": 0}
    if obj.planflow.checkpointing is not None:
        _checkpoint(obj, clock, obj.planflow.checkpointing)
    if once or totals["advanced"] or totals["failed"] or any(reminded.values()) or any(mailed.values()):
        click.echo(f"{clock.now().isoformat()}: {totals['advanced']} instance(s) advanced, "
                   f"{totals['failed']} failed (see 'planflow incidents'); reminders: {reminded['before']} "
                   f"before, {reminded['due_today']} due today, {reminded['overdue']} overdue, "
                   f"{reminded['gate_missed']} missed reporting period(s); mail: "
                   f"{mailed['sent']} sent, {mailed['failed']} not taken"
                   + ("" if mailer else " (PLANFLOW_SMTP_URL unset: mail waits in the outbox)"))


def _checkpoint(obj: Context, clock, checkpointing) -> None:
    """Sign the chain's head when it is due (``checkpoint_due``); a file that cannot be written is said, and
    the worker goes on firing timers."""
    try:
        written = audit.checkpoint_if_due(obj.uow(), clock, checkpointing.key, checkpointing.file,
                                          checkpointing.every)
    except Unavailable:
        raise
    except PlanflowError as error:
        click.echo(f"{clock.now().isoformat()}: no checkpoint written: {error}", err=True)
        return
    if written is not None:
        click.echo(f"{clock.now().isoformat()}: checkpoint of audit event {written.seq} signed into "
                   f"{checkpointing.file}")


def _stop_on_signals() -> threading.Event:
    """Set on SIGTERM (systemd's stop, a container's stop) or SIGINT: the worker ends its round and exits 0.
    Every step is its own transaction, so a worker killed outright loses nothing either: only time."""
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopping.set())
    return stopping
