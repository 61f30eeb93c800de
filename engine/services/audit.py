"""What auditors read: the audit log filtered and paged, exported with its chain, verified, and checkpointed.

Verification walks the whole log in sequence order, re-computing every hash
and link (``engine.model.audit_chain``) and checking that time moves forward
along it, checks that the chain's head agrees with the last event (so that
events cut off the end are noticed), and checks every evidence file: it is
still in the store, its bytes still hash to the SHA-256 recorded for it, and
that hash is the one the chain recorded when the file was attached.

A log re-hashed from its first event by someone with the database's password
verifies again; the signed checkpoints of its head (``engine.model.checkpoints``),
kept in a file outside the database, do not: verifying against them names the
first checkpointed event that no longer has the hash that was signed.

The CSV export escapes a cell a spreadsheet would run as a formula
(``engine.files.spreadsheets``: a ``'`` before it, removed again before
re-hashing); the JSON lines export carries every field exactly as hashed.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Iterator, Sequence

from engine.errors import Invalid, NotFound
from engine.files import checkpoint_files
from engine.files.evidence import CHUNK, EvidenceStore
from engine.files.spreadsheets import inert_row
from engine.i18n import t
from engine.model import checkpoints as checkpoint_rules
from engine.model import policy
from engine.model.actors import Actor
from engine.model.audit_chain import (
    FIELDS,
    GENESIS,
    Break,
    event_hash,
    hash_matches,
    instant_text,
    runs_backwards,
    stored_json,
)
from engine.model.checkpoints import Checkpoint, CheckpointReport
from engine.store.audit.log import AuditFilter

__all__ = ["AuditFilter", "Checkpoint", "checkpoint_if_due", "events", "export", "last_instant", "make_signing_key",
           "signing_key_id", "verify", "write_checkpoint"]
from engine.store.uow import UnitOfWork

MAX_PAGE = 1000
EXPORT_BATCH = 5000
EXPORT_COLUMNS = (*FIELDS, "hash")


@dataclass
class EvidenceProblem:
    evidence_id: str
    sha256: str
    file_name: str
    problem: str  # missing | changed | not_in_chain | differs_from_chain


@dataclass
class Verification:
    ok: bool
    events: int
    head_seq: int
    first_break: Break | None
    evidence_files: int
    evidence_problems: list[EvidenceProblem] = field(default_factory=list)
    seconds: float = 0.0
    #: What the signed checkpoints say, when they were asked about.
    checkpoints: CheckpointReport | None = None


def events(uow: UnitOfWork, actor: Actor, where: AuditFilter, after_seq: int = 0, limit: int = 100):
    """A page of events matching ``where`` after ``after_seq`` (the last one of the page before), of the
    actor's province only unless the actor is national."""
    policy.check_reads_audit(actor)
    where = replace(where, provinces=policy.scope(actor))
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(t("ask for 1 to %(max)s events a page", max=MAX_PAGE), errors={"limit": ["1 to 1000"]})
    with uow:
        return uow.audit.filtered(where, after_seq, limit)


def export(uow: UnitOfWork, actor: Actor, where: AuditFilter, kind: str) -> Iterator[str]:
    """The matching events as CSV (a header, then one row each) or JSON lines, with their chain hashes,
    produced a batch at a time so that a long history never sits in memory whole; of the actor's province only
    unless the actor is national."""
    policy.check_reads_audit(actor)
    where = replace(where, provinces=policy.scope(actor))
    if kind not in ("csv", "jsonl"):
        raise Invalid(t("export as csv or jsonl, not '%(kind)s'", kind=kind), errors={"format": [t("csv or jsonl")]})

    def rows() -> Iterator[dict[str, Any]]:
        after = 0
        while True:
            with uow:
                batch = [_exported(row.record()) for row in uow.audit.filtered(where, after, EXPORT_BATCH)]
            yield from batch
            if len(batch) < EXPORT_BATCH:
                return
            after = batch[-1]["seq"]

    if kind == "jsonl":
        return (json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows())
    return _csv(rows())


def _exported(record: dict[str, Any]) -> dict[str, Any]:
    return {**record, "at": instant_text(record["at"])}


def _csv(rows: Iterator[dict[str, Any]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_COLUMNS)
    for row in rows:
        writer.writerow(inert_row(json.dumps(row[name], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                                  if name in ("data", "evidence") else "" if row[name] is None else row[name]
                                  for name in EXPORT_COLUMNS))
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


#: Where the verifier finds each chained field in a stored row (``Audit.stored_in_order``).
_SEQ, _AT, _ACTION, _DATA, _EVIDENCE, _PREV_HASH = (FIELDS.index(name) for name in
                                                   ("seq", "at", "action", "data", "evidence", "prev_hash"))


def verify(uow: UnitOfWork, store: EvidenceStore | None, actor: Actor | None = None, checkpoints: Path | None = None,
           public_keys: Sequence[Path] = ()) -> Verification:
    """Re-compute the chain from its first event and check every evidence file (when ``store`` is given);
    with ``checkpoints``, check each signed checkpoint of that file against ``public_keys`` and the log."""
    if actor is not None:
        policy.check_verifies_whole_log(actor)
    started = time.perf_counter()
    lines, trusted = _checkpoints_to_check(checkpoints, public_keys) if checkpoints is not None else ([], {})
    with uow:
        head_seq, head_hash = uow.audit.head()
        walk = _walk(uow, {read.seq for _, read in lines if isinstance(read, Checkpoint)})
        broken = walk.broken or _end_break(head_seq, head_hash, walk.last_seq, walk.last_hash)
        problems, files = [], 0
        if store is not None:
            for row in uow.evidence.all():
                files += 1
                problem = _evidence_problem(store, row.sha256, walk.attached.get(row.id))
                if problem:
                    problems.append(EvidenceProblem(row.id, row.sha256, row.file_name, problem))
    report = checkpoint_rules.compare(lines, trusted, walk.hashes) if checkpoints is not None else None
    return Verification(broken is None and not problems and (report is None or report.ok), walk.events, head_seq,
                        broken, files, problems, time.perf_counter() - started, report)


@dataclass
class _Walk:
    """What walking the chain found: the first break, the evidence each event attached, the stored hash of
    the events checkpoints name, and where the chain ends (until its first break)."""

    events: int = 0
    broken: Break | None = None
    attached: dict[str, str] = field(default_factory=dict)
    hashes: dict[int, str] = field(default_factory=dict)
    last_seq: int = 0
    last_hash: str = GENESIS


def _walk(uow: UnitOfWork, wanted: set[int]) -> _Walk:
    walk, expected, before_at = _Walk(), 1, ""
    for *fields, stored in uow.audit.stored_in_order():
        walk.events += 1
        seq, action = fields[_SEQ], fields[_ACTION]
        data = fields[_DATA] = stored_json(fields[_DATA])
        fields[_EVIDENCE] = stored_json(fields[_EVIDENCE])
        if action == "evidence.attached" and isinstance(data, dict) and isinstance(data.get("evidence"), str):
            walk.attached[data["evidence"]] = data.get("sha256")
        if seq in wanted:
            walk.hashes[seq] = stored
        if walk.broken is not None:
            continue
        at = fields[_AT]
        # Most events hold at a glance (their instant in the chain's own form, so text order is time order);
        # any other is looked at closely, which names what is wrong, or finds it holds after all.
        if not (seq == expected and fields[_PREV_HASH] == walk.last_hash and len(at) == 27 and at >= before_at
                and hash_matches(fields, stored)):
            at = _at_text(uow, seq, at)
            walk.broken = _link_break(uow, fields, stored, expected, walk.last_hash, before_at, at)
        if walk.broken is None:
            walk.last_seq, walk.last_hash, before_at, expected = seq, stored, at, expected + 1
    return walk


def _link_break(uow: UnitOfWork, fields: list, stored: str, expected: int, previous: str, before_at: str,
                at: str) -> Break | None:
    """Why this event does not hold where it is in the chain: its number, its link, its hash, its time."""
    seq, action = fields[_SEQ], fields[_ACTION]
    if seq != expected:
        return Break(expected, t("event %(seq)s is missing: the log goes on at %(found)s", seq=expected, found=seq))
    if fields[_PREV_HASH] != previous:
        return Break(seq, t("event %(seq)s does not link to the hash of event %(before)s", seq=seq, before=seq - 1))
    # The fields as stored; where they do not hash right (an instant stored in another form, a number orjson
    # reads as a float), as the ORM reads them, which decides.
    if not hash_matches(fields, stored) and event_hash(uow.audit.record(seq)) != stored:
        return Break(seq, t("event %(seq)s (%(action)s) was changed after it was written: its content no longer "
                            "matches its hash", seq=seq, action=action))
    if before_at and runs_backwards(before_at, at):
        return Break(seq, t("event %(seq)s (%(action)s) is stamped %(at)s, earlier than event %(before)s "
                            "(%(before_at)s) before it: time runs backwards along the chain", seq=seq,
                            action=action, at=at, before=seq - 1, before_at=before_at))
    return None


def _at_text(uow: UnitOfWork, seq: int, text: str) -> str:
    """The event's instant as the chain writes it; read through the ORM where the quick reading gave another
    form (as for its hash)."""
    if len(text) == 27 and text.endswith("Z"):
        return text
    try:
        return instant_text(datetime.fromisoformat(text))
    except ValueError:
        return instant_text(uow.audit.record(seq)["at"])


def _end_break(head_seq: int, head_hash: str, last_seq: int, last_hash: str) -> Break | None:
    """Whether the chain's head agrees with the last event: events cut off the end, or added around planflow."""
    if head_seq > last_seq:
        return Break(last_seq + 1, t("events %(first)s to %(last)s are missing from the end of the log",
                                     first=last_seq + 1, last=head_seq))
    if head_seq < last_seq:
        return Break(head_seq + 1, t("events after %(seq)s were not added through planflow: the chain's head ends "
                                     "at %(seq)s", seq=head_seq))
    if head_hash != last_hash:
        return Break(head_seq, t("the last event does not match the chain's head"))
    return None


def _evidence_problem(store: EvidenceStore, sha256: str, chained: str | None) -> str | None:
    if chained is None:
        return "not_in_chain"
    if chained != sha256:
        return "differs_from_chain"
    try:
        path = store.path_of(sha256)
    except NotFound:
        return "missing"
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(CHUNK):
            digest.update(chunk)
    return None if digest.hexdigest() == sha256 else "changed"


def last_instant(uow: UnitOfWork) -> datetime | None:
    """When the log's newest event was stamped (None while the log is empty): what comes next must not be
    stamped much earlier; None too before the database has its tables."""
    with uow:
        if not uow.audit.kept():
            return None
        last = uow.audit.last_id()
        return uow.audit.record(last)["at"] if last else None


# --- Checkpoints: the chain's head signed with a key kept outside the database ----------------------------

@dataclass(frozen=True)
class SigningKey:
    key_id: str
    public_pem: str


def make_signing_key(private: Path, public: Path | None = None) -> SigningKey:
    """A new Ed25519 key to sign checkpoints with, written to ``private`` (its owner's alone; an existing file
    is never overwritten), and its public half to ``public`` if given, for the auditors."""
    key = checkpoint_rules.new_private_key()
    checkpoint_files.write_private_key(private, key)
    if public is not None:
        checkpoint_files.write_public_key(public, key.public_key())
    return SigningKey(checkpoint_rules.key_id(key.public_key()), checkpoint_files.public_pem(key.public_key()))


def signing_key_id(key: Path) -> str:
    """The id of the signing key in ``key`` (refused, saying why, if it cannot be read as one)."""
    return checkpoint_rules.key_id(checkpoint_files.read_private_key(key).public_key())


def write_checkpoint(uow: UnitOfWork, clock, key: Path, checkpoints: Path) -> Checkpoint:
    """Sign the chain's head now with ``key`` and append the checkpoint to the file ``checkpoints``."""
    private = checkpoint_files.read_private_key(key)
    with uow:
        head_seq, _ = uow.audit.head()
        if head_seq == 0:
            raise Invalid(t("the audit log has no events yet: there is nothing to checkpoint"))
        if uow.audit.last_id() != head_seq:
            raise Invalid(t("the chain's head (event %(head)s) is not the log's last event (%(last)s): run "
                            "'planflow audit verify' rather than sign it", head=head_seq, last=uow.audit.last_id()))
        checkpoint = checkpoint_rules.sign(private, head_seq, uow.audit.record(head_seq)["hash"], clock.now())
    checkpoint_files.append_checkpoint(checkpoints, checkpoint)
    return checkpoint


def checkpoint_if_due(uow: UnitOfWork, clock, key: Path, checkpoints: Path, every: timedelta) -> Checkpoint | None:
    """The worker's checkpoint: written when the head has moved past the file's last checkpoint and that one
    is ``every`` old (or there is none yet); None when none was due."""
    last = checkpoint_files.last_checkpoint(checkpoints)
    with uow:
        head_seq, _ = uow.audit.head()
    if not checkpoint_rules.checkpoint_due(last, head_seq, clock.now(), every):
        return None
    return write_checkpoint(uow, clock, key, checkpoints)


def _checkpoints_to_check(checkpoints: Path, public_keys: Sequence[Path]):
    """The lines of the checkpoint file and the keys they are checked against, by key id."""
    if not public_keys:
        raise Invalid(t("name the public key the checkpoints are checked against (--public-key, or "
                        "PLANFLOW_AUDIT_KEY)"), errors={"public_key": [t("required with checkpoints")]})
    trusted = {checkpoint_rules.key_id(key): key for key in map(checkpoint_files.read_public_key, public_keys)}
    return checkpoint_files.read_checkpoints(checkpoints), trusted
