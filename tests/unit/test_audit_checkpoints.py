"""Signed checkpoints of the audit chain: someone with the database's password can re-hash the log from its
first event so that the plain walk passes again, but not the checkpoints kept outside the database, which
name the first checkpointed event that no longer matches and the last one that still does; a forged
checkpoint, or one signed by a key nobody gave, is named too. The worker signs the head once a period."""
from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from cli import main
from engine.model.audit_chain import GENESIS, event_hash
from engine.store.audit.tables import AuditHeadRow, AuditRow

from ..databases import bypass_append_only

AUDIT, HEAD = AuditRow.__table__, AuditHeadRow.__table__


@pytest.fixture
def log(uow, clock):
    """Six events, an hour apart, the fourth a report's summary."""
    for number in range(1, 7):
        with uow:
            uow.audit.append(clock.now(), "congan", "test.event",
                             data={"number": number, "summary": "Đã tổ chức tọa đàm" if number == 4 else ""})
            uow.commit()
        clock.advance(hours=1)


@pytest.fixture
def run(database, tmp_path, monkeypatch):
    """``planflow …`` on the test's database, in a folder of the test's own (PLANFLOW_* of the shell unset)."""
    for name in ("PLANFLOW_AUDIT_KEY", "PLANFLOW_AUDIT_CHECKPOINTS", "PLANFLOW_CHECKPOINT_HOURS", "PLANFLOW_NOW"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return lambda *args, env=None: CliRunner().invoke(main, ["--database-url", database.url, *args], env=env,
                                                      catch_exceptions=False)


@pytest.fixture
def key(run):
    made = run("audit", "keygen", "--private", "signing.pem", "--public", "public.pem")
    assert made.exit_code == 0, made.output
    return made


def add_event(uow, clock, number: int) -> None:
    clock.advance(hours=1)
    with uow:
        uow.audit.append(clock.now(), "congan", "test.event", data={"number": number})
        uow.commit()


def rehash_from_the_first_event(database, seq: int, summary: str) -> None:
    """What someone with the database's password can do: change event ``seq``, then re-hash and re-link every
    event from the first and move the chain's head, so that the plain walk over the log passes again."""
    with database.engine.begin() as connection:
        bypass_append_only(connection)  # the attacker drops the append-only triggers first
        previous = GENESIS
        for row in connection.execute(select(AUDIT).order_by(AUDIT.c.seq)).mappings().all():
            record = dict(row)
            if record["seq"] == seq:
                record["data"] = {**record["data"], "summary": summary}
            record["prev_hash"] = previous
            record["hash"] = previous = event_hash(record)
            connection.execute(AUDIT.update().where(AUDIT.c.seq == record["seq"])
                               .values(data=record["data"], prev_hash=record["prev_hash"], hash=record["hash"]))
        connection.execute(HEAD.update().values(hash=previous))


def checkpoint_lines(tmp_path) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / "checkpoints.jsonl").read_text().splitlines()]


def test_a_new_signing_key_is_its_owners_alone_and_printed_with_its_id(key, tmp_path):
    assert stat.S_IMODE((tmp_path / "signing.pem").stat().st_mode) == 0o600
    assert "BEGIN PUBLIC KEY" in key.output and "BEGIN PUBLIC KEY" in (tmp_path / "public.pem").read_text()
    [key_id] = [line.split(": ")[1] for line in key.output.splitlines() if line.startswith("key id: ")]
    assert len(key_id) == 16 and int(key_id, 16) >= 0


def test_a_signing_key_is_never_overwritten(run, key, tmp_path):
    before = (tmp_path / "signing.pem").read_bytes()
    again = run("audit", "keygen", "--private", "signing.pem")
    assert again.exit_code == 2 and "already exists" in again.output
    assert (tmp_path / "signing.pem").read_bytes() == before


def test_a_checkpoint_signs_the_head_event_and_its_hash_with_the_key(run, key, log, uow, tmp_path):
    written = run("audit", "checkpoint", "--key", "signing.pem", "--output", "checkpoints.jsonl")
    assert written.exit_code == 0, written.output
    [line] = checkpoint_lines(tmp_path)
    with uow:
        assert (line["seq"], line["hash"]) == (6, uow.audit.record(6)["hash"])
    assert f"key id: {line['key_id']}" in key.output and len(line["signature"]) == 128


def test_a_log_rehashed_from_its_first_event_passes_the_plain_walk_but_not_its_checkpoints(run, key, log, uow,
                                                                                            clock, database):
    assert run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl").exit_code == 0  # at 6
    add_event(uow, clock, 7)
    assert run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl").exit_code == 0  # at 7
    rehash_from_the_first_event(database, 4, "Đã tổ chức tọa đàm và hội thảo")
    plain = run("audit", "verify", "--no-evidence")
    assert plain.exit_code == 0 and "the chain verifies" in plain.output
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert checked.exit_code == 1
    assert "REWRITTEN at event 6: event 6 no longer has the hash checkpoint line 1 signed at" in checked.output
    assert "no checkpointed event still matches: the log was rewritten at or before event 6" in checked.output


def test_verifying_against_checkpoints_says_between_which_events_the_log_was_rewritten(run, key, log, uow, clock,
                                                                                        database):
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")  # at 6, before the change
    add_event(uow, clock, 7)
    add_event(uow, clock, 8)
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")  # at 8
    rehash_from_the_first_event(database, 7, "Đã sửa")
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert checked.exit_code == 1
    assert "REWRITTEN at event 8" in checked.output
    assert "the last checkpointed event that still matches is 6 (signed at " in checked.output
    assert "the log was rewritten after event 6, at or before event 8" in checked.output


def test_a_forged_checkpoint_is_named_by_its_line(run, key, log, uow, clock, tmp_path):
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")
    first = checkpoint_lines(tmp_path)[0]
    forged = {**first, "seq": 5, "hash": "0" * 64}  # signed by nobody: the signature is the other line's
    with (tmp_path / "checkpoints.jsonl").open("a") as file:
        file.write(json.dumps(forged) + "\n")
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert checked.exit_code == 1
    assert "CHECKPOINT bad_signature at line 2: checkpoint line 2 (event 5) does not carry a valid signature of " \
           f"key {first['key_id']}" in checked.output
    assert "REWRITTEN" not in checked.output  # the one true checkpoint still matches


def test_a_checkpoint_with_an_altered_signature_is_named(run, key, log, tmp_path):
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")
    line = checkpoint_lines(tmp_path)[0]
    altered = line["signature"][:-2] + ("00" if line["signature"][-2:] != "00" else "11")
    (tmp_path / "checkpoints.jsonl").write_text(json.dumps({**line, "signature": altered}) + "\n")
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert checked.exit_code == 1 and "CHECKPOINT bad_signature at line 1" in checked.output


def test_a_checkpoint_signed_by_a_key_nobody_gave_is_named_as_unknown(run, key, log, tmp_path):
    assert run("audit", "keygen", "--private", "other.pem").exit_code == 0
    run("audit", "checkpoint", "--key", "other.pem", "-o", "checkpoints.jsonl")
    other = checkpoint_lines(tmp_path)[0]["key_id"]
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert checked.exit_code == 1
    assert f"CHECKPOINT unknown_key at line 1: checkpoint line 1 is signed by key {other}" in checked.output


def test_checkpoints_are_checked_against_the_configured_key_when_no_public_key_is_named(run, key, log):
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  env={"PLANFLOW_AUDIT_KEY": "signing.pem"})
    assert checked.exit_code == 0, checked.output
    assert "every checkpoint is signed and matches the log" in checked.output
    assert run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl").exit_code == 2


def test_the_worker_signs_the_head_when_the_log_has_moved_and_the_last_checkpoint_is_a_day_old(run, key, log,
                                                                                                 uow, clock,
                                                                                                 tmp_path):
    env = {"PLANFLOW_AUDIT_KEY": "signing.pem", "PLANFLOW_AUDIT_CHECKPOINTS": "checkpoints.jsonl",
           "PLANFLOW_SMTP_URL": ""}

    def worker_at(when) -> None:
        assert run("worker", "--once", "--now", when.isoformat(), env=env).exit_code == 0

    worker_at(clock.now())
    assert [line["seq"] for line in checkpoint_lines(tmp_path)] == [6]  # none yet: the head is signed
    add_event(uow, clock, 7)
    worker_at(clock.now() + timedelta(hours=22))
    assert len(checkpoint_lines(tmp_path)) == 1  # the log moved, but the last checkpoint is not a day old
    worker_at(clock.now() + timedelta(hours=25))
    assert [line["seq"] for line in checkpoint_lines(tmp_path)] == [6, 7]
    worker_at(clock.now() + timedelta(days=3))
    assert len(checkpoint_lines(tmp_path)) == 2  # a day later still, but nothing new to vouch for


def test_a_fresh_demo_gives_a_chain_that_verifies(run):
    assert run("seed", "--demo").exit_code == 0
    verified = run("audit", "verify", "--no-evidence")
    assert verified.exit_code == 0, verified.output


def test_the_demo_refuses_to_stop_before_its_story_ends_rather_than_stamp_time_backwards(run, database):
    refused = run("seed", "--demo", "--as-of", "2022-09-01T08:00+07:00")
    assert refused.exit_code == 2 and "the demo plays its story until 2022-09-30T16:00+07:00" in refused.output


def test_a_line_cut_short_by_a_crash_is_named_and_the_next_checkpoint_still_counts(run, key, log, tmp_path):
    (tmp_path / "checkpoints.jsonl").write_text('{"version":1,"seq":3,"hash":"ab')  # no end of line
    run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")
    checked = run("audit", "verify", "--no-evidence", "--checkpoints", "checkpoints.jsonl",
                  "--public-key", "public.pem")
    assert "CHECKPOINT unreadable at line 1" in checked.output and "REWRITTEN" not in checked.output
    assert "2 checkpoint(s) checked" in checked.output and checked.exit_code == 1


def test_a_log_whose_last_events_were_cut_off_is_not_signed(run, key, log, database):
    with database.engine.begin() as connection:
        bypass_append_only(connection)
        connection.execute(AUDIT.delete().where(AUDIT.c.seq == 6))
    refused = run("audit", "checkpoint", "--key", "signing.pem", "-o", "checkpoints.jsonl")
    assert refused.exit_code == 2 and "the chain's head (event 6) is not the log's last event (5)" in refused.output
