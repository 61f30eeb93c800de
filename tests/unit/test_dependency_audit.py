"""The dependency audit counts what it really checked: a service that answers nothing is 'not audited',
never 'no known vulnerabilities'; and the lock pins every requirement of setup.cfg, with hashes."""
from __future__ import annotations

import configparser
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def auditor():
    spec = importlib.util.spec_from_file_location("audit_dependencies", ROOT / "deploy" / "audit_dependencies.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run(auditor, monkeypatch, capsys, answers):
    monkeypatch.setattr(auditor, "audit", lambda lock, service: answers[service])
    monkeypatch.setattr("sys.argv", ["audit_dependencies.py"])
    status = auditor.main()
    return status, capsys.readouterr().out


def test_packages_no_service_could_check_are_named_not_audited(auditor, monkeypatch, capsys):
    skipped = [{"name": "flask", "version": "3.1.3", "skip_reason": "Dependency not found on PyPI"}]
    status, said = run(auditor, monkeypatch, capsys, {"pypi": (skipped, None), "osv": ([], "ConnectionError")})
    assert status == auditor.NOT_AUDITED
    assert "0 of 1 locked packages audited" in said and "NOT AUDITED (1)" in said and "flask" in said
    assert "service not reachable, osv: ConnectionError" in said


def test_a_known_vulnerability_fails_the_audit_naming_the_fix(auditor, monkeypatch, capsys):
    found = [{"name": "jinja2", "version": "3.1.2", "vulns": [
        {"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "description": "xmlattr accepts keys with spaces"}]}]
    status, said = run(auditor, monkeypatch, capsys, {"pypi": (found, None), "osv": (found, None)})
    assert status == 1
    assert "VULNERABLE jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)" in said


def test_everything_audited_and_clean_passes(auditor, monkeypatch, capsys):
    clean = [{"name": "flask", "version": "3.1.3", "vulns": []}]
    status, said = run(auditor, monkeypatch, capsys, {"pypi": (clean, None), "osv": (clean, None)})
    assert status == 0 and "1 of 1 locked packages audited (pypi); 0 with a known vulnerability" in said


def pinned(lock: str) -> tuple[dict[str, str], list[str]]:
    text = (ROOT / lock).read_text()
    entries = re.findall(r"^[a-z0-9][a-z0-9._-]*==\S+ \\\n((?:    .*\n)+)", text, re.M)
    return dict(re.findall(r"^([a-z0-9][a-z0-9._-]*)==(\S+) \\$", text, re.M)), entries


def required(*extras: str) -> set[str]:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    wanted = config["options"]["install_requires"].split("\n")
    for extra in extras:
        wanted += config["options.extras_require"][extra].split("\n")
    return {re.split(r"[\[<>=!~; ]", line.strip(), maxsplit=1)[0].lower().replace("_", "-")
            for line in wanted if line.strip()}


@pytest.mark.parametrize("lock, extras", [("requirements-test.lock", ("test", "postgres")),
                                          ("requirements.lock", ("postgres",))])
def test_each_lock_pins_every_requirement_with_hashes(lock, extras):
    releases, entries = pinned(lock)
    assert required(*extras) - releases.keys() == set(), f"run 'make lock': setup.cfg asks for what {lock} lacks"
    assert len(entries) == len(releases) and all("--hash=sha256:" in entry for entry in entries)


def test_a_deployment_installs_the_releases_the_tests_ran_on():
    deployed, _ = pinned("requirements.lock")
    tested, _ = pinned("requirements-test.lock")
    assert {name: tested.get(name) for name in deployed} == deployed
    assert "pytest" not in deployed and "schemathesis" not in deployed
