"""The audit log's hash chain: how an event is serialised, hashed and linked to the one before it.

Each event's hash is the SHA-256 of one canonical line: a JSON array of its
fields in this fixed order, with object keys sorted, no spaces, non-ASCII
characters kept as UTF-8, and the instant in UTC with microseconds::

    [seq, at, actor, actor_agency, action, plan_id, item_id, instance_id, task_id, data, evidence, prev_hash]

``prev_hash`` is the hash of the event before (64 zeros for the first), so
changing, removing or reordering any event breaks every link after it. The
exports carry exactly these fields, so that anyone can check them with a
few lines of any language; nothing here needs a database.

Time moves forward along the chain: an event stamped more than
``CLOCK_TOLERANCE`` earlier than the event before it is a break too (an event
back-dated, or a log put together out of order).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Iterable

import orjson

GENESIS = "0" * 64
FIELDS = ("seq", "at", "actor", "actor_agency", "action", "plan_id", "item_id", "instance_id", "task_id", "data",
          "evidence", "prev_hash")


#: How much earlier than the event before it an event may be stamped. A step reads the clock when it starts
#: and its events join the chain when it commits, so two steps can join it in the other order than they read
#: the clock, by as long as a step can take from its first reading to its commit: its work (the longest,
#: launching a plan of 10,000 instances in one transaction, takes about 30 s: bench/RESULTS.md) and waiting
#: for the database's write lock (SQLite gives up after its 30 s busy timeout; PostgreSQL holds the chain's
#: head only from the seal to the commit), and the clocks of several web hosts differ by milliseconds under
#: NTP. Five minutes is that twice over with room for a slow host; what it lets through is a reordering of
#: minutes, never an event back-dated by days.
CLOCK_TOLERANCE = timedelta(minutes=5)


def instant_text(at: datetime) -> str:
    """The instant as the chain writes it: UTC, microseconds, ``Z``."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(record: dict[str, Any]) -> bytes:
    """The bytes an event's hash is taken over (``record`` holds FIELDS; ``at`` as text or datetime)."""
    values = [instant_text(record[name]) if isinstance(record[name], datetime) else record[name] for name in FIELDS]
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def event_hash(record: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(record)).hexdigest()


def stored_json(text: str | None) -> Any:
    """A JSON column's text as the verifier reads it (fast; the standard library where orjson refuses)."""
    if text is None:
        return None
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def hash_matches(values: list[Any], stored: str) -> bool:
    """Whether the event whose FIELDS are ``values`` (in order, ``at`` as the chain's text) hashes to
    ``stored``. orjson writes the canonical line several times faster than the standard library and the
    same bytes for what planflow stores; where it would not (a number it writes otherwise, say), the
    standard library's line decides, so the answer is always the canonical line's."""
    try:
        if hashlib.sha256(orjson.dumps(values, option=orjson.OPT_SORT_KEYS)).hexdigest() == stored:
            return True
    except TypeError:  # an integer beyond 64 bits
        pass
    line = json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(line).hexdigest() == stored


def evidence_hashes(data: dict[str, Any]) -> list[str]:
    """The SHA-256 of each file an event's data names: one attached, or those a submitted form cites."""
    found = set()
    if isinstance(data.get("sha256"), str):
        found.add(data["sha256"])
    cited = data.get("evidence")
    if isinstance(cited, dict):
        found.update(value for value in cited.values() if isinstance(value, str))
    return sorted(found)


def runs_backwards(before: str, at: str, tolerance: timedelta = CLOCK_TOLERANCE) -> bool:
    """Whether the instant ``at`` is earlier than ``before``, the instant of the event before it, by more
    than ``tolerance`` (both as ``instant_text`` writes them; ValueError if one is not an instant)."""
    if at >= before and len(at) == len(before) == 27:  # the chain's own form: text order is time order
        return False
    return datetime.fromisoformat(at) < datetime.fromisoformat(before) - tolerance


@dataclass(frozen=True)
class Break:
    """The first link that does not hold."""

    seq: int
    reason: str


def first_break(records: Iterable[dict[str, Any]], previous: str = GENESIS,
                expected_seq: int | None = 1) -> Break | None:
    """Walk events in sequence order; the first whose stored hash, link, number or time is not what it must be.

    ``records`` hold FIELDS and ``hash``. With ``expected_seq`` None the numbers
    are not required to be consecutive (a filtered export): each event is
    still re-hashed and linked to the one before when that one is present.
    """
    last_seq, before_at = None, ""
    for record in records:
        seq = record["seq"]
        if expected_seq is not None and seq != expected_seq:
            return Break(seq, f"event {expected_seq} is missing (found {seq} after {expected_seq - 1})")
        consecutive = last_seq is not None and seq == last_seq + 1
        if (expected_seq is not None or consecutive) and record["prev_hash"] != previous:
            return Break(seq, "its link to the event before does not match that event's hash")
        if event_hash(record) != record["hash"]:
            return Break(seq, "its content does not match its hash (it was changed after it was written)")
        at = instant_text(record["at"]) if isinstance(record["at"], datetime) else record["at"]
        if consecutive and runs_backwards(before_at, at):
            return Break(seq, f"it is stamped {at}, earlier than the event before it ({before_at})")
        previous, last_seq, before_at = record["hash"], seq, at
        if expected_seq is not None:
            expected_seq += 1
    return None
