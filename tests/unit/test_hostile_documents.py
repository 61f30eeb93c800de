"""Hostile plan documents are refused plainly, fast, by a reading process that alone bears them: each malformed
.docx, PDF or text is an ``Invalid`` naming the file and what is wrong, within seconds; a zip bomb or a PDF of
99,000 pages no longer grows the process that asked; a reading process that overruns its time or memory, or
crashes, becomes the same plain refusal; and ``planflow templates draft`` says so and exits 2.

Every document is made here, byte by byte (tests/unit/hostile_files.py)."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
import zlib
from time import perf_counter

import pytest
import yaml
from click.testing import CliRunner

from engine.drafting import draft_template, sandbox
from engine.drafting.archive import MAX_MEMBERS
from engine.errors import Invalid
from engine.model.agencies import Agency, AgencyDirectory
from tests.conftest import ROOT
from tests.unit import hostile_files as hostile

SECONDS = 5  # what any one refusal may take, the reading process's start included


@pytest.fixture(scope="module")
def directory() -> AgencyDirectory:
    rows = yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text(encoding="utf-8"))["agencies"]
    return AgencyDirectory.of(Agency(**{key: tuple(value) if isinstance(value, list) else value
                                        for key, value in row.items()}) for row in rows)


def refusal(directory, data: bytes, name: str, limits=None) -> Invalid:
    started = perf_counter()
    with pytest.raises(Invalid) as refused:
        draft_template(data, name, directory, limits)
    assert perf_counter() - started < SECONDS
    assert name in refused.value.message  # every refusal names the file
    return refused.value


def damaged_crc() -> bytes:
    members = hostile.word_members()
    members[2].crc = zlib.crc32(members[2].content) ^ 1
    return hostile.zip_of(members)


def with_member(**fields) -> bytes:
    members = hostile.word_members()
    for name, value in fields.items():
        setattr(members[2], name, value)
    return hostile.zip_of(members)


ENTITY_BOMB = '<!DOCTYPE w [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
EXTERNAL = '<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'


def declared(encoding: str) -> str:
    return f'<?xml version="1.0" encoding="{encoding}"?>'


MALFORMED_WORD = {  # (what the file is, what the refusal says, its id)
    "a bad CRC": (damaged_crc, "checksum does not match", "bad crc"),
    "the encrypted flag set": (lambda: with_member(flags=1), "is encrypted", "encrypted"),
    "compression method 99": (lambda: with_member(method=99, packed=b"AE\x00\x01"), "compression method 99",
                              "unknown compression"),
    "a word/document.xml that is not XML": (lambda: hostile.word({"word/document.xml": "Kế hoạch, không phải XML"}),
                                            "not well-formed XML", "not xml"),
    "no [Content_Types].xml": (lambda: hostile.word({"[Content_Types].xml": None}), "has no [Content_Types].xml",
                               "not a docx"),
    "an entity bomb in a UTF-16 part": (lambda: hostile.word({"word/document.xml": hostile.body(
        head=declared("UTF-16") + ENTITY_BOMB).encode("utf-16")}), "declares XML entities (word/document.xml)",
        "xml entities"),
    "an entity in a UTF-16 BE part without a mark": (lambda: hostile.word({"word/document.xml": hostile.body(
        head=declared("UTF-16BE") + ENTITY_BOMB).encode("utf-16-be")}), "declares XML entities", "xml entities"),
    "an entity in a UTF-16 part with neither mark nor declaration": (lambda: hostile.word({
        "word/document.xml": hostile.body(lines=("Ke hoach",), head=ENTITY_BOMB).encode("utf-16-le")}),
        "not well-formed XML", "not xml"),
    "an entity in a UTF-32 part": (lambda: hostile.word({"word/document.xml": hostile.body(
        head=declared("UTF-32") + ENTITY_BOMB).encode("utf-32")}), "declares XML entities", "xml entities"),
    "a DOCTYPE in _rels/.rels": (lambda: hostile.word({"_rels/.rels": EXTERNAL + hostile.RELATIONSHIPS.split("?>")[1]}),
                                 "declares XML entities (_rels/.rels)", "xml entities"),
    "a DOCTYPE in [Content_Types].xml": (lambda: hostile.word({"[Content_Types].xml": EXTERNAL + hostile.CONTENT_TYPES
                                                               .split("?>")[1]}), "([Content_Types].xml)",
                                         "xml entities"),
    "a DOCTYPE in a part typed XML whatever its name": (lambda: hostile.word({
        "[Content_Types].xml": hostile.CONTENT_TYPES.replace("</Types>", '<Override PartName="/word/extra.bin" '
                                                             'ContentType="application/xml"/></Types>'),
        "word/extra.bin": EXTERNAL + "<r/>"}), "(word/extra.bin)", "xml entities"),
    "a part in an encoding Word does not write": (lambda: hostile.word({"word/document.xml": hostile.body(
        lines=("Ke hoach",), head=declared("ISO-8859-1"))}), "encoding Word does not write (ISO-8859-1)",
        "xml encoding"),
    "a zip bomb whose body states a small size": (hostile.zip_bomb, "unpacks to more than its declared size",
                                                  "zip bomb"),
    "a zip bomb that states its size": (lambda: hostile.zip_bomb(declared=None), "zip bomb", "zip bomb"),
    "a part that unpacks to a little more than it says": (lambda: with_member(size=100), "more than its declared",
                                                          "zip bomb"),
    "a damaged deflate stream": (lambda: with_member(packed=b"\xff" * 40), "damaged", "damaged part"),
    "a part named twice": (lambda: hostile.zip_of(hostile.word_members() + hostile.word_members()[2:]),
                           "appears twice", "duplicate part"),
    "more parts than a Word document has": (lambda: hostile.zip_of(hostile.word_members() + [
        hostile.Member(f"media/{number}.bin", b"") for number in range(MAX_MEMBERS)]), "parts", "too many parts"),
}


def test_the_word_document_the_hostile_ones_are_made_from_is_read(directory):
    draft = draft_template(hostile.word(), "plan.docx", directory)
    assert draft.template["items"][0]["lead"] == "QNG-STTTT" and draft.flags == []


@pytest.mark.parametrize("case", MALFORMED_WORD)
def test_a_malformed_word_document_is_refused_naming_the_file_and_what_is_wrong(directory, case):
    make, says, kind = MALFORMED_WORD[case]
    refused = refusal(directory, make(), "plan.docx")
    assert says in refused.message and refused.errors == {"file": [kind]}


PDFS = {
    "99,000 pages sharing one content stream": (hostile.pdf_of_pages, "has 99000 pages; at most 300"),
    "99,000 pages the page tree says are one": (lambda: hostile.pdf_of_pages(declared=1), "more than 300 pages"),
    "99,225 pages from a few kilobytes (one node listed 315 times)": (hostile.pdf_of_shared_pages,
                                                                     "more than 300 pages"),
    "a page of 10 MiB of drawing instructions": (hostile.pdf_of_a_heavy_page, "page 1 holds more drawing"),
}


@pytest.mark.parametrize("case", PDFS)
def test_a_pdf_beyond_a_plan_is_refused_before_its_text_is_extracted(directory, case):
    make, says = PDFS[case]
    assert says in refusal(directory, make(), "plan.pdf").message


def test_400_names_in_one_sentence_are_refused_at_once(directory):
    assert "no plan structure" in refusal(directory, hostile.names_sentence().encode(), "names.txt").message
    refused = refusal(directory, hostile.plan_with(hostile.names_sentence()).encode(), "names.txt")
    assert "items.1.lead names more than 100 agencies in one sentence" in refused.message


def test_100_kb_of_giao_is_refused_and_a_plan_holding_it_drafted_at_once(directory):
    assert "no plan structure" in refusal(directory, ("Giao " * 20_000).encode(), "giao.txt").message
    started = perf_counter()
    draft = draft_template(hostile.plan_with(organisation=("1. " + "Giao " * 20_000,)).encode(), "giao.txt",
                           directory)
    assert perf_counter() - started < SECONDS and draft.template["standing_body"] == "QNG-UBND"


def test_a_text_over_its_limit_is_refused_before_it_is_decoded(directory):
    assert "a text of more than 4 MB" in refusal(directory, b"a" * (4 * 1024 * 1024 + 1), "big.txt").message


def test_a_reading_that_overruns_its_time_is_killed_and_refused(directory):
    refused = refusal(directory, hostile.pdf_of_pages(300), "slow.pdf", sandbox.ReadingLimits(seconds=0.01))
    assert "took longer than 0.01 s" in refused.message and refused.errors == {"file": ["too slow"]}


def test_a_reading_that_needs_more_memory_than_its_limit_is_refused(directory):
    text = hostile.plan_with(*["Tuyên truyền pháp luật về an ninh mạng."] * 50_000).encode()
    refused = refusal(directory, text, "big.txt", sandbox.ReadingLimits(memory_mib=8))
    assert "needed more memory" in refused.message and refused.errors == {"file": ["too large"]}


@pytest.mark.parametrize("boot, says", [
    ("import os, sys; print('ready', flush=True); sys.stdin.buffer.read(); os.abort()", "stopped its process"),
    ("import os, signal, sys; print('ready', flush=True); sys.stdin.buffer.read(); os.kill(os.getpid(), "
     "signal.SIGXCPU)", "took longer than 40 s"),  # its CPU time limit
    ("import sys; print('ready', flush=True); sys.stdin.buffer.read(); print('{not json')", "could not be read"),
    ("import sys; print('ready', flush=True); sys.stdin.buffer.read(); print('x' * 40_000_000)", "draft of more"),
])
def test_a_reading_process_that_crashes_runs_out_of_cpu_or_answers_nonsense_is_a_plain_refusal(
        directory, monkeypatch, boot, says):
    monkeypatch.setattr(sandbox, "_BOOT", boot)
    assert says in refusal(directory, hostile.word(), "plan.docx").message


MEASURE = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
from engine.drafting import draft_template
from engine.errors import Invalid
from engine.model.agencies import AgencyDirectory
from tests.unit import hostile_files as hostile
bomb, pages = hostile.zip_bomb(), hostile.pdf_of_pages()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for data, name in ((bomb, "bomb.docx"), (pages, "pages.pdf")):
    try:
        draft_template(data, name, AgencyDirectory())
    except Invalid:
        pass
print(json.dumps({"before": before, "after": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def test_the_zip_bomb_and_the_99000_pages_leave_the_asking_process_as_it_was_and_the_reader_under_its_limit():
    run = subprocess.run([sys.executable, "-c", MEASURE, str(ROOT)], capture_output=True, text=True, timeout=60,
                         cwd=ROOT)
    kib = json.loads(run.stdout.splitlines()[-1])
    assert kib["after"] - kib["before"] < 48 * 1024  # it was 2 GB and 476 MB before the reading had its process
    assert kib["children"] < (sandbox.ReadingLimits().memory_mib + 100) * 1024


def test_this_process_does_not_grow_while_the_hostile_documents_are_refused(directory):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for data, name in ((hostile.zip_bomb(), "bomb.docx"), (hostile.pdf_of_shared_pages(), "pages.pdf")):
        refusal(directory, data, name)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 48 * 1024


def test_the_command_line_refuses_a_hostile_document_with_its_message_and_exit_status_2(databases, tmp_path):
    from cli import main
    url = databases.new(tmp_path, "cli")
    runner = CliRunner()
    assert runner.invoke(main, ["--database-url", url, "init-db", "--no-deploy"]).exit_code == 0
    bomb = tmp_path / "ke-hoach.docx"
    bomb.write_bytes(hostile.zip_bomb())
    result = runner.invoke(main, ["--database-url", url, "templates", "draft", str(bomb)])
    databases.drop(url)
    assert result.exit_code == 2
    assert "ke-hoach.docx: the part word/document.xml unpacks to more than its declared size (a zip bomb)" \
        in result.output
