"""Audit the locked dependencies for known vulnerabilities, and say plainly what was not.

    .venv/bin/python deploy/audit_dependencies.py [--lock requirements-test.lock]

The default lock holds every release planflow installs, the tests' included (requirements.lock, what a
deployment installs, is a part of it).

pip-audit asks a vulnerability service about each pinned release: PyPI's JSON API first, then OSV. Where
neither answers for a package (no network, or a mirror that serves packages but no advisories), pip-audit
skips it and would still print "No known vulnerabilities found"; this script counts what was really checked.

Exit status: 0 every package audited, none vulnerable; 1 a known vulnerability (listed, with the release
that fixes it); 3 some or all packages could not be audited (named: the data source is unreachable here).
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("pypi", "osv")
NOT_AUDITED = 3


def audit(lock: Path, service: str) -> tuple[list[dict], str | None]:
    """pip-audit's account of every dependency of the lock, as asked of ``service``; none, and why, when the
    service could not be asked at all."""
    done = subprocess.run([sys.executable, "-m", "pip_audit", "-r", str(lock), "--require-hashes", "--disable-pip",
                           "--vulnerability-service", service, "--format", "json", "--progress-spinner", "off"],
                          capture_output=True, text=True)
    try:
        return json.loads(done.stdout)["dependencies"], None
    except (ValueError, KeyError):
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return [], last[0][:300]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=ROOT / "requirements-test.lock")
    args = parser.parse_args()
    audited: dict[str, dict] = {}
    packages: set[str] = set()
    unreachable = []
    for service in SERVICES:
        dependencies, failure = audit(args.lock, service)
        if failure:
            unreachable.append(f"{service}: {failure}")
        for dependency in dependencies:
            packages.add(dependency["name"])
            if "skip_reason" not in dependency:
                audited.setdefault(dependency["name"], {**dependency, "service": service})
        if len(audited) == len(packages):
            break
    vulnerable = {name: found for name, found in audited.items() if found.get("vulns")}
    for name, found in sorted(vulnerable.items()):
        for vuln in found["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fixed release yet"
            print(f"VULNERABLE {name} {found['version']}: {vuln['id']} (fixed in {fixed}) {vuln.get('description', '')[:200]}")
    for reason in unreachable:
        print(f"service not reachable, {reason}")
    if not packages:
        print("NOT AUDITED: no vulnerability service could be asked about any package")
        return NOT_AUDITED
    missing = sorted(packages - audited.keys())
    print(f"{len(audited)} of {len(packages)} locked packages audited "
          f"({', '.join(sorted({found['service'] for found in audited.values()})) or 'no service answered'}); "
          f"{len(vulnerable)} with a known vulnerability")
    if missing:
        print(f"NOT AUDITED ({len(missing)}): no vulnerability service ({', '.join(SERVICES)}) answered for "
              f"{', '.join(missing)}. Their safety is unknown, not proved: run this where the services are "
              "reachable.")
    if vulnerable:
        return 1
    return NOT_AUDITED if missing else 0


if __name__ == "__main__":
    sys.exit(main())
