"""The web app served on a free local port, and Debian's chromium driven by playwright (skipped, saying why,
where either is missing). Screenshots go to tests/artifacts/web/."""
from __future__ import annotations

import shutil
import socket
import threading
from pathlib import Path

import pytest

from engine.model.clock import FixedClock, parse_instant
from engine.store import Database, UnitOfWork

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "web"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PASSWORD = "planflow-demo-2022"
VENDOR = ROOT / "web" / "static" / "vendor"


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run installs it)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[test]')"
    if not (VENDOR / ".built").exists():
        return "the pages' assets are not built (make assets)"
    return None


@pytest.fixture(scope="session")
def server(databases, empty_schema, tmp_path_factory):
    reason = _missing()
    if reason:
        pytest.skip(reason)
    from werkzeug.serving import make_server

    from seed.loader import load_seed
    from server import create_app
    folder = tmp_path_factory.mktemp("web")
    url = databases.copy(empty_schema, folder, "web")
    database = Database(url)
    clock = FixedClock(parse_instant("2022-06-01T08:00+07:00"))
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANFLOW_DEMO_PASSWORD", PASSWORD)
        load_seed(UnitOfWork(database.sessions), clock, lambda _: None)
    database.dispose()
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "browser-tests",
                      "CLOCK": clock, "EVIDENCE_DIR": str(folder / "evidence"), "SESSION_COOKIE_SECURE": False,
                      "REMEMBER_COOKIE_SECURE": False})
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    http = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    http.shutdown()
    app.extensions["planflow"].database.dispose()


@pytest.fixture(scope="session")
def browser(server):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


class Person:
    """One user in a browser window of their own."""

    def __init__(self, browser, base: str, username: str, width: int = 1366, height: int = 900) -> None:
        self.base, self.username = base, username
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.dialogs: list[str] = []
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))
        # What the pages' Content-Security-Policy blocked: planflow's own pages must need nothing it forbids.
        self.blocked: list[str] = []
        self.page.on("console", lambda message: self.blocked.append(message.text)
                     if "Content Security Policy" in message.text else None)
        self.page.goto(f"{base}/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()

    def open(self, path: str):
        self.page.goto(self.base + path)
        self.page.wait_for_load_state()
        return self.page

    def shot(self, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path

    def serious_accessibility_problems(self) -> list[str]:
        """axe-core (from the npm registry, built into the app's static folder) run in the page: loaded from the
        app's address, as the pages' policy allows no inline script."""
        assert (VENDOR / "axe-core" / "axe.min.js").exists()
        self.page.add_script_tag(url=f"{self.base}/static/vendor/axe-core/axe.min.js")
        result = self.page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
                for v in result["violations"] if v["impact"] in ("serious", "critical")]

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def person(browser, server):
    opened = []

    def open_as(username: str, **size) -> Person:
        opened.append(Person(browser, server, username, **size))
        return opened[-1]
    yield open_as
    blocked = [text for each in opened for text in each.blocked]
    for each in opened:
        each.close()
    assert not blocked, f"the pages' Content-Security-Policy blocked: {blocked}"


@pytest.fixture(scope="session", autouse=True)
def _clean_artifacts():
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
