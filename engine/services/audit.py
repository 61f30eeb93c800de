"""What auditors read: the audit log filtered and paged, exported with its chain, and verified.

Verification walks the whole log in sequence order, re-computing every hash
and link (``engine.model.audit_chain``), checks that the chain's head agrees with
the last event (so that events cut off the end are noticed), and checks
every evidence file: it is still in the store, its bytes still hash to the
SHA-256 recorded for it, and that hash is the one the chain recorded when the
file was attached.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
import time
from dataclasses import dataclass, field
from typing import Any, Iterator

from engine.errors import Invalid, NotFound
from engine.files.evidence import CHUNK, EvidenceStore
from engine.i18n import t
from engine.model import policy
from engine.model.actors import Actor
from engine.model.audit_chain import (
    FIELDS,
    GENESIS,
    Break,
    event_hash,
    hash_matches,
    instant_text,
    stored_json,
)
from engine.store.audit.log import AuditFilter

__all__ = ["AuditFilter", "events", "export", "verify"]
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


def check_reads_audit(actor: Actor) -> None:
    if not actor.roles & {"auditor", "admin", "system"}:
        raise policy.Forbidden(t("the audit log is read by auditors and administrators"))


def events(uow: UnitOfWork, actor: Actor, where: AuditFilter, after_seq: int = 0, limit: int = 100):
    """A page of events matching ``where`` after ``after_seq`` (the last one of the page before)."""
    check_reads_audit(actor)
    if not 1 <= limit <= MAX_PAGE:
        raise Invalid(t("ask for 1 to %(max)s events a page", max=MAX_PAGE), errors={"limit": ["1 to 1000"]})
    with uow:
        return uow.audit.filtered(where, after_seq, limit)


def export(uow: UnitOfWork, actor: Actor, where: AuditFilter, kind: str) -> Iterator[str]:
    """The matching events as CSV (a header, then one row each) or JSON lines, with their chain hashes,
    produced a batch at a time so that a long history never sits in memory whole."""
    check_reads_audit(actor)
    if kind not in ("csv", "jsonl"):
        raise Invalid(t("export as csv or jsonl, not '%(kind)s'", kind=kind), errors={"format": ["csv or jsonl"]})

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
        writer.writerow([json.dumps(row[name], ensure_ascii=False, sort_keys=True, separators=(",", ":"))
                         if name in ("data", "evidence") else "" if row[name] is None else row[name]
                         for name in EXPORT_COLUMNS])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


#: Where the verifier finds each chained field in a stored row (``Audit.stored_in_order``).
_SEQ, _ACTION, _DATA, _EVIDENCE, _PREV_HASH = (FIELDS.index(name)
                                              for name in ("seq", "action", "data", "evidence", "prev_hash"))


def verify(uow: UnitOfWork, store: EvidenceStore | None, actor: Actor | None = None) -> Verification:
    """Re-compute the chain from its first event and check every evidence file (when ``store`` is given)."""
    if actor is not None:
        check_reads_audit(actor)
    started = time.perf_counter()
    attached: dict[str, str] = {}
    broken, count, previous, expected = None, 0, GENESIS, 1
    with uow:
        head_seq, head_hash = uow.audit.head()
        for *fields, stored in uow.audit.stored_in_order():
            count += 1
            seq, action = fields[_SEQ], fields[_ACTION]
            data = fields[_DATA] = stored_json(fields[_DATA])
            fields[_EVIDENCE] = stored_json(fields[_EVIDENCE])
            if action == "evidence.attached" and isinstance(data, dict) and isinstance(data.get("evidence"), str):
                attached[data["evidence"]] = data.get("sha256")
            if broken is not None:
                continue
            if seq != expected:
                broken = Break(expected, t("event %(seq)s is missing: the log goes on at %(found)s",
                                           seq=expected, found=seq))
            elif fields[_PREV_HASH] != previous:
                broken = Break(seq, t("event %(seq)s does not link to the hash of event %(before)s",
                                      seq=seq, before=seq - 1))
            # The fields as stored; where they do not hash right (an instant stored in another form, a number
            # orjson reads as a float), as the ORM reads them, which decides.
            elif not hash_matches(fields, stored) and event_hash(uow.audit.record(seq)) != stored:
                broken = Break(seq, t("event %(seq)s (%(action)s) was changed after it was written: its "
                                      "content no longer matches its hash", seq=seq, action=action))
            previous, expected = stored, expected + 1
        last_seq, last_hash = expected - 1, previous
        if broken is None and head_seq > last_seq:
            broken = Break(last_seq + 1, t("events %(first)s to %(last)s are missing from the end of the log",
                                           first=last_seq + 1, last=head_seq))
        elif broken is None and head_seq < last_seq:
            broken = Break(head_seq + 1, t("events after %(seq)s were not added through planflow: the chain's "
                                           "head ends at %(seq)s", seq=head_seq))
        elif broken is None and head_hash != last_hash:
            broken = Break(head_seq, t("the last event does not match the chain's head"))
        problems, files = [], 0
        if store is not None:
            for row in uow.evidence.all():
                files += 1
                problem = _evidence_problem(store, row.sha256, attached.get(row.id))
                if problem:
                    problems.append(EvidenceProblem(row.id, row.sha256, row.file_name, problem))
    return Verification(broken is None and not problems, count, head_seq, broken, files, problems,
                        time.perf_counter() - started)


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
