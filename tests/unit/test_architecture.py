"""The rooms of the code and the directions imports take (docs/architecture.md), held by import-linter's
contracts in setup.cfg; and the sizes a newcomer can read in one sitting."""
from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
PACKAGES = ("cli", "server", "api", "web", "frontdoor", "seed", "bootstrap", "engine", "forms")


def lint_imports(where: Path) -> subprocess.CompletedProcess:
    """import-linter over the packages found at ``where`` (a copy comes before the installed checkout)."""
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", str(where / "setup.cfg")], cwd=where, text=True,
                          capture_output=True, env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"}, timeout=120)


def test_every_import_follows_the_rules_of_docs_architecture():
    run = lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


@pytest.fixture
def copy_of_the_code(tmp_path) -> Path:
    for package in PACKAGES:
        shutil.copytree(ROOT / package, tmp_path / package, ignore=shutil.ignore_patterns("__pycache__", "static",
                                                                                          "translations"))
    shutil.copy(ROOT / "setup.cfg", tmp_path / "setup.cfg")
    return tmp_path


def add_line(path: Path, line: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")


def test_a_use_case_writing_sql_a_page_reading_the_store_and_the_api_importing_a_page_are_each_caught(
        copy_of_the_code):
    add_line(copy_of_the_code / "engine" / "services" / "plans.py", "import sqlalchemy  # noqa")
    add_line(copy_of_the_code / "web" / "work.py", "from engine.store.uow import UnitOfWork  # noqa")
    add_line(copy_of_the_code / "api" / "tasks" / "routes.py", "from web import widgets  # noqa")
    add_line(copy_of_the_code / "engine" / "model" / "policy.py", "from engine.services import plans  # noqa")
    run = lint_imports(copy_of_the_code)
    assert run.returncode == 1
    said = " ".join(run.stdout.split())
    assert "3 broken" in said  # the layers (twice), SQL in a use case, the store read by a page
    assert "engine.services.plans -> sqlalchemy" in said
    assert "web.work -> engine.store.uow" in said
    assert "api.tasks.routes -> web.widgets" in said
    assert "engine.model.policy -> engine.services.plans" in said


def python_files() -> list[Path]:
    return [path for package in PACKAGES for path in (ROOT / package).rglob("*.py")
            if "migrations" not in path.parts] + list((ROOT / "tests").rglob("*.py")) + list((ROOT / "bench").glob("*.py"))


def test_no_module_is_longer_than_400_lines():
    long = {str(path.relative_to(ROOT)): lines for path in python_files()
            if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}


def test_no_function_is_longer_than_80_lines():
    long = {}
    for path in python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                start = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                if node.end_lineno - start + 1 > 80:
                    long[f"{path.relative_to(ROOT)}:{node.name}"] = node.end_lineno - start + 1
    assert long == {}
