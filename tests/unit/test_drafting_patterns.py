"""Every regular expression of the drafting stays linear: each is a module-level constant (no pattern is
written inline in a function, so this list is all of them), each runs over 10^5 characters of what almost
matches it (runs of "Giao ", 400 names and more in one sentence, digits and dots, spaces) within a small
time; the readers that replace the patterns that backtracked give exactly what those patterns gave, and the
whole drafting of a plan holding such a run takes well under a second."""
from __future__ import annotations

import ast
import random
import re
from pathlib import Path
from time import perf_counter

import pytest
import yaml

import engine.drafting as drafting
from engine.drafting import (archive, assigning, items, legacy, naming, numbering, outline, pdf, reading, regime, reported,
                             sandbox, sentences, structure, tables, timing, unwrap)
from engine.errors import Invalid
from engine.model.agencies import Agency, AgencyDirectory
from tests.conftest import ROOT
from tests.unit import hostile_files as hostile

MODULES = (drafting, structure, naming, sentences, archive, reading, pdf, sandbox, assigning, items, legacy, numbering,
           outline, regime, reported, tables, timing, unwrap)
BOUND = 1.5  # seconds for 10^5 characters; a backtracking pattern takes minutes
N = 100_000


def patterns() -> dict[str, re.Pattern]:
    found = {}
    for module in MODULES:
        for name, value in vars(module).items():
            values = value if isinstance(value, (tuple, list)) else [value]
            for index, item in enumerate(values):
                for inner in (item if isinstance(item, tuple) else (item,)):
                    if isinstance(inner, re.Pattern):
                        found[f"{module.__name__}.{name}" + (f"[{index}]" if values is value else "")] = inner
    return found


def run_of(unit: str) -> str:
    return (unit * (N // len(unit) + 1))[:N]


ADVERSARIAL = {
    "giao": run_of("Giao "), "giao then standing": run_of("Giao ") + " là cơ quan thường trực",
    "names": run_of(hostile.names_sentence(400)[1:-1] + ", "), "spaces": " " * N, "spaces then x": " " * N + "x",
    "digits": "9" * N, "digit dots": run_of("1."), "sub-item dots": run_of("1.1."), "roman": run_of("I."),
    "so": run_of("Số:"), "so then word": "Số: " + "a" * N, "leads": run_of("chủ trì "),
    "partners": run_of("phối hợp "), "verbs": run_of("thực hiện "), "standing": run_of("cơ quan thường trực "),
    "connectives": run_of("là - "), "months": run_of("tháng 1/"), "dates": run_of("ngày 1/1/"),
    "quarters": run_of("quý I/"), "commas": run_of("a, "), "folded groups": run_of("ubnd huyen "),
    "folded units": run_of("cac don vi "), "bullets": run_of("- "), "bars": run_of(" | "),
    "label then spaces": "Cơ quan chủ trì" + " " * N, "declarations": run_of("<!"),
    "xml head then spaces": '<?xml version="1.0" encoding=' + " " * N,
}


def test_no_pattern_is_written_inline_so_the_list_below_is_every_one():
    inline = []
    for path in sorted((ROOT / "engine" / "drafting").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for call in ast.walk(node):
                    if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) \
                            and isinstance(call.func.value, ast.Name) and call.func.value.id == "re":
                        inline.append(f"{path.name}:{call.lineno}")
    assert inline == []
    assert len(patterns()) >= 30


@pytest.mark.parametrize("name", sorted(patterns()))
def test_each_pattern_runs_over_10_5_characters_of_what_almost_matches_it_in_linear_time(name):
    pattern = patterns()[name]
    for case, text in ADVERSARIAL.items():
        subject = text.encode() if isinstance(pattern.pattern, bytes) else text
        started = perf_counter()
        pattern.match(subject)
        for _ in pattern.finditer(subject):  # search, sub and split walk the same matches
            pass
        assert perf_counter() - started < BOUND, case


READERS = {  # each linear reader, and the pattern (which backtracks) whose answer it gives
    "standing_body": (sentences.standing_body, re.compile(
        r"Giao (.+?)\s*(?:là|làm|-|–)\s*cơ quan thường trực", re.IGNORECASE), lambda m: (m.start(1), m.end(1))),
}
WORDS = ("Giao ", "giao", " ", "  ", "là", "làm", "LÀ", "-", "–", "cơ quan thường trực", "Cơ Quan Thường Trực", "x",
         ",", ", ", "chủ trì", "phối hợp", "thực hiện", "Số", ":", "/", "12", "\t", "a/b", "Số: ")


@pytest.mark.parametrize("name", READERS)
def test_each_linear_reader_gives_what_its_backtracking_pattern_gave(name):
    read, pattern, answer = READERS[name]
    chance = random.Random(name)
    for _ in range(3000):
        text = "".join(chance.choice(WORDS) for _ in range(chance.randint(0, 14)))
        match = pattern.search(text)
        assert read(text) == (answer(match) if match else None), text


@pytest.mark.parametrize("name", READERS)
def test_each_linear_reader_runs_over_10_5_characters_in_linear_time(name):
    read = READERS[name][0]
    for case, text in ADVERSARIAL.items():
        started = perf_counter()
        read(text)
        assert perf_counter() - started < BOUND, case


@pytest.fixture(scope="module")
def directory() -> AgencyDirectory:
    rows = yaml.safe_load((ROOT / "seed" / "plan_agencies.yaml").read_text(encoding="utf-8"))["agencies"]
    return AgencyDirectory.of(Agency(**{key: tuple(value) if isinstance(value, list) else value
                                        for key, value in row.items()}) for row in rows)


@pytest.mark.parametrize("case", ADVERSARIAL)
def test_a_plan_holding_a_run_that_almost_matches_is_drafted_or_refused_well_under_a_second(directory, case):
    run = ADVERSARIAL[case][:20_000]  # a paragraph may hold 10^5 characters; the plan puts the run in five places
    text = hostile.plan_with(run, f"({run} chủ trì, {run} phối hợp thực hiện {run})", f"Sản phẩm: {run}",
                             organisation=(f"1. {run}", f"2. Giao {run} là cơ quan thường trực"))
    started = perf_counter()
    try:
        drafting.draft_here(text.encode(), "plan.txt", directory)
    except Invalid as refused:
        assert "plan.txt" in refused.message
    assert perf_counter() - started < 1.0


def test_this_file_lists_the_modules_of_the_drafting():
    listed = {Path(module.__file__).name for module in MODULES}
    present = {path.name for path in (ROOT / "engine" / "drafting").glob("*.py")}
    assert present - listed == {"drafts.py", "writing.py", "sandbox_child.py"}  # these hold no pattern
