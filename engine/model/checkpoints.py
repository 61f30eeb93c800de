"""Signed checkpoints of the audit chain's head: what the log held, vouched for by a key kept outside it.

Whoever can write the database can re-hash the whole chain from its first
event so that it verifies again; they cannot sign. A checkpoint says: event
``seq`` of this log (the head was there) had hash ``hash`` at the instant
``at``, signed by the Ed25519 key ``key_id``. Kept in a file the auditors hold,
it shows a rewritten log: an event that no longer has the hash a checkpoint
signed. The signature is taken over one line, JSON with no spaces, ASCII::

    ["planflow-audit-checkpoint",1,seq,"hash","at","key_id"]

``at`` as the chain writes instants (UTC, microseconds, ``Z``); ``key_id``
the first 16 hex digits of the SHA-256 of the raw 32-byte public key. A
checkpoint is kept as one JSON line (``as_json``) with the public key and
the signature in hex. Nothing here reads a file or a database.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Mapping, Sequence

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from engine.i18n import Message, t
from engine.model.audit_chain import instant_text

CONTEXT, VERSION = "planflow-audit-checkpoint", 1
HEX = frozenset("0123456789abcdef")


def new_private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def public_hex(public: Ed25519PublicKey) -> str:
    """The raw 32-byte public key in hex: how a checkpoint line carries it."""
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw).hex()


def public_from_hex(text: str) -> Ed25519PublicKey:
    """The public key written by ``public_hex`` (ValueError if it is not one)."""
    if len(text) != 64 or not set(text) <= HEX:
        raise ValueError("an Ed25519 public key is 64 hex digits")
    return Ed25519PublicKey.from_public_bytes(bytes.fromhex(text))


def key_id(public: Ed25519PublicKey) -> str:
    """A short name for a key that anyone can compute: the first 16 hex of the SHA-256 of its raw bytes."""
    return hashlib.sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def message(seq: int, hash: str, at: str, key: str) -> bytes:
    """The bytes a checkpoint's signature is taken over."""
    return json.dumps([CONTEXT, VERSION, seq, hash, at, key], separators=(",", ":")).encode("ascii")


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    key_id: str
    public_key: str
    signature: str

    def as_json(self) -> dict[str, Any]:
        return {"version": VERSION, "seq": self.seq, "hash": self.hash, "at": self.at, "key_id": self.key_id,
                "public_key": self.public_key, "signature": self.signature}

    @classmethod
    def from_json(cls, value: Any) -> Checkpoint:
        """A checkpoint read back from its line (ValueError naming what is wrong with it)."""
        if not isinstance(value, dict) or value.get("version") != VERSION:
            raise ValueError(f"not a version {VERSION} checkpoint")
        texts = ("hash", "at", "key_id", "public_key", "signature")
        if type(value.get("seq")) is not int or not all(isinstance(value.get(name), str) for name in texts):
            raise ValueError("seq must be a number and hash, at, key_id, public_key, signature texts")
        checkpoint = cls(value["seq"], *(value[name] for name in texts))
        checkpoint.instant  # noqa: B018 - an instant it cannot read is refused here, with the rest
        return checkpoint

    @property
    def instant(self) -> datetime:
        """When it was signed (ValueError if ``at`` is not an instant with its offset)."""
        when = datetime.fromisoformat(self.at)
        if when.tzinfo is None:
            raise ValueError(f"'{self.at}' has no time zone")
        return when


def sign(private: Ed25519PrivateKey, seq: int, hash: str, at: datetime) -> Checkpoint:
    """A checkpoint of event ``seq`` (the head) whose hash is ``hash``, signed at ``at``."""
    public = private.public_key()
    key, when = key_id(public), instant_text(at)
    signature = private.sign(message(seq, hash, when, key)).hex()
    return Checkpoint(seq, hash, when, key, public_hex(public), signature)


def signature_problem(checkpoint: Checkpoint, trusted: Mapping[str, Ed25519PublicKey]) -> str | None:
    """``unknown_key`` unless it names one of the ``trusted`` keys (by key id) and carries that very key,
    ``bad_signature`` unless that key signed it as it reads now; None when it holds."""
    public = trusted.get(checkpoint.key_id)
    if public is None or public_hex(public) != checkpoint.public_key:
        return "unknown_key"
    try:
        public.verify(bytes.fromhex(checkpoint.signature),
                      message(checkpoint.seq, checkpoint.hash, checkpoint.at, checkpoint.key_id))
    except (InvalidSignature, ValueError):
        return "bad_signature"
    return None


def checkpoint_due(last: Checkpoint | None, head_seq: int, now: datetime, every: timedelta) -> bool:
    """Whether to sign the head now: the log has events none has vouched for yet, and the last checkpoint
    (if any) is ``every`` old. A quiet log gets no new line; a head behind the last checkpoint gets none
    either (the log is shorter than was signed: verifying against the checkpoints says so)."""
    if head_seq <= 0:
        return False
    return last is None or (last.seq < head_seq and now - last.instant >= every)


@dataclass(frozen=True)
class CheckpointProblem:
    """One checkpoint line that does not hold: ``unreadable``, ``unknown_key``, ``bad_signature``, or
    (signed by a trusted key) ``rewritten`` / ``missing``: the event it names no longer has the hash it
    signed, or is no longer in the log."""

    line: int
    seq: int | None
    key_id: str | None
    problem: str
    reason: Message


@dataclass(frozen=True)
class CheckpointReport:
    """What the checkpoints say of the log: each line checked, what did not hold, and between which
    checkpointed events the log was rewritten (``last_matching``, None if none still matches, then
    ``first_rewritten``)."""

    lines: int
    trusted_keys: tuple[str, ...]
    problems: list[CheckpointProblem] = field(default_factory=list)
    first_rewritten: CheckpointProblem | None = None
    last_matching: Checkpoint | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def sound(lines: Sequence[tuple[int, Checkpoint | str]], trusted: Mapping[str, Ed25519PublicKey]
          ) -> tuple[list[tuple[int, Checkpoint]], list[CheckpointProblem]]:
    """The lines (number, checkpoint, or why it could not be read) whose signature holds, and the problems
    of the others."""
    good, problems = [], []
    for number, read in lines:
        if isinstance(read, str):
            problems.append(CheckpointProblem(number, None, None, "unreadable", t(
                "checkpoint line %(line)s cannot be read: %(why)s", line=number, why=read)))
            continue
        problem = signature_problem(read, trusted)
        if problem == "unknown_key":
            problems.append(CheckpointProblem(number, read.seq, read.key_id, problem, t(
                "checkpoint line %(line)s is signed by key %(key)s, which is not one the checkpoints are "
                "checked against", line=number, key=read.key_id)))
        elif problem == "bad_signature":
            problems.append(CheckpointProblem(number, read.seq, read.key_id, problem, t(
                "checkpoint line %(line)s (event %(seq)s) does not carry a valid signature of key %(key)s: it "
                "was forged or changed", line=number, seq=read.seq, key=read.key_id)))
        else:
            good.append((number, read))
    return good, problems


def compare(lines: Sequence[tuple[int, Checkpoint | str]], trusted: Mapping[str, Ed25519PublicKey],
            hashes: Mapping[int, str]) -> CheckpointReport:
    """Check each checkpoint's signature, and that the event it names still has the hash it signed
    (``hashes``: the stored hash of each event, at least of those the checkpoints name)."""
    good, problems = sound(lines, trusted)
    matching, changed = [], []
    for number, checkpoint in sorted(good, key=lambda pair: (pair[1].seq, pair[0])):
        stored = hashes.get(checkpoint.seq)
        if stored == checkpoint.hash:
            matching.append(checkpoint)
        elif stored is None:
            changed.append(CheckpointProblem(number, checkpoint.seq, checkpoint.key_id, "missing", t(
                "event %(seq)s, which checkpoint line %(line)s signed at %(at)s, is no longer in the log",
                seq=checkpoint.seq, line=number, at=checkpoint.at)))
        else:
            changed.append(CheckpointProblem(number, checkpoint.seq, checkpoint.key_id, "rewritten", t(
                "event %(seq)s no longer has the hash checkpoint line %(line)s signed at %(at)s: the log was "
                "rewritten", seq=checkpoint.seq, line=number, at=checkpoint.at)))
    first = changed[0] if changed else None
    before = [checkpoint for checkpoint in matching if first is None or checkpoint.seq < first.seq]
    return CheckpointReport(len(lines), tuple(sorted(trusted)), sorted(problems + changed, key=lambda p: p.line),
                            first, before[-1] if before else None)
