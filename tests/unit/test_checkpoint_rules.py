"""The rules of checkpoints and of time along the chain, without a database: what a signature covers, when
the head is due to be signed, between which checkpointed events a log was rewritten, and how far back an
event may be stamped."""
from __future__ import annotations

from datetime import timedelta

import pytest

from engine.model import checkpoints
from engine.model.audit_chain import CLOCK_TOLERANCE, instant_text, runs_backwards
from engine.model.clock import parse_instant

MORNING = parse_instant("2022-06-01T08:00+07:00")
KEY = checkpoints.new_private_key()
TRUSTED = {checkpoints.key_id(KEY.public_key()): KEY.public_key()}
DAY = timedelta(hours=24)


def signed(seq: int, hash: str = "a" * 64, at=MORNING) -> checkpoints.Checkpoint:
    return checkpoints.sign(KEY, seq, hash, at)


def test_a_checkpoint_read_back_from_its_line_still_holds():
    line = signed(7).as_json()
    assert checkpoints.signature_problem(checkpoints.Checkpoint.from_json(line), TRUSTED) is None


@pytest.mark.parametrize("change", [{"seq": 8}, {"hash": "b" * 64}, {"at": "2022-06-02T01:00:00.000000Z"}])
def test_changing_what_a_checkpoint_says_breaks_its_signature(change):
    line = {**signed(7).as_json(), **change}
    assert checkpoints.signature_problem(checkpoints.Checkpoint.from_json(line), TRUSTED) == "bad_signature"


def test_a_checkpoint_carrying_another_public_key_under_a_trusted_id_is_unknown():
    other = checkpoints.new_private_key().public_key()
    line = {**signed(7).as_json(), "public_key": checkpoints.public_hex(other)}
    assert checkpoints.signature_problem(checkpoints.Checkpoint.from_json(line), TRUSTED) == "unknown_key"


@pytest.mark.parametrize("line", [{"version": 2}, {**signed(7).as_json(), "seq": "7"},
                                  {**signed(7).as_json(), "at": "yesterday"}])
def test_a_line_that_is_not_a_checkpoint_is_refused(line):
    with pytest.raises(ValueError):
        checkpoints.Checkpoint.from_json(line)


@pytest.mark.parametrize("last_seq, hours, head, due", [
    (None, 0, 5, True),     # none yet: the head is signed
    (None, 0, 0, False),    # an empty log: nothing to sign
    (5, 25, 9, True),       # the log moved on and the last is a day old
    (5, 23, 9, False),      # not a day old yet
    (9, 72, 9, False),      # old, but the log has not moved: nothing new to vouch for
    (9, 72, 4, False),      # the log is shorter than was signed: not signed over
])
def test_the_head_is_due_to_be_signed_once_the_log_has_moved_and_the_last_checkpoint_is_a_period_old(
        last_seq, hours, head, due):
    last = None if last_seq is None else signed(last_seq)
    assert checkpoints.checkpoint_due(last, head, MORNING + timedelta(hours=hours), DAY) is due


def test_the_report_names_the_first_rewritten_event_and_the_last_that_still_matches():
    lines = [(1, signed(3, "c" * 64)), (2, signed(6, "d" * 64)), (3, signed(9, "e" * 64)), (4, "not JSON")]
    report = checkpoints.compare(lines, TRUSTED, {3: "c" * 64, 6: "f" * 64, 9: "0" * 64})
    assert (report.first_rewritten.seq, report.first_rewritten.line, report.last_matching.seq) == (6, 2, 3)
    assert [(p.line, p.problem) for p in report.problems] == [(2, "rewritten"), (3, "rewritten"), (4, "unreadable")]


def test_a_checkpointed_event_no_longer_in_the_log_is_named_as_missing():
    report = checkpoints.compare([(1, signed(12))], TRUSTED, {})
    assert report.first_rewritten.problem == "missing" and report.last_matching is None and not report.ok


def test_an_event_may_be_stamped_earlier_than_the_one_before_it_only_within_the_tolerance():
    before = instant_text(MORNING)
    assert not runs_backwards(before, instant_text(MORNING - CLOCK_TOLERANCE))
    assert runs_backwards(before, instant_text(MORNING - CLOCK_TOLERANCE - timedelta(microseconds=1)))
    assert not runs_backwards(before, "2022-06-01T01:00:00Z")  # another form of the same instant
