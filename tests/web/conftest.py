"""Fixtures of the dashboard's browser tests: a real server on a free port, Debian's headless Chromium.

The server is started in a subprocess (uvicorn) on a fresh SQLite database in
a temporary folder.  The browser is Debian's ``/usr/bin/chromium`` driven by
Playwright (never ``playwright install``).  Without Chromium the browser tests
are skipped with the reason, unless ``ROADCARBON_REQUIRE_BROWSER=1`` (CI), in
which case they fail.  Screenshots go to ``test-artifacts/web/``.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("ROADCARBON_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
SERVE = Path(__file__).with_name("serve_app.py")


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(tmp: Path) -> tuple[subprocess.Popen[bytes], str]:
    """Start the platform on a free port with a fresh SQLite database; return the process and base URL."""
    port = free_port()
    env = {
        **os.environ,
        "ROADCARBON_DATABASE_URL": f"sqlite:///{tmp / 'web-test.sqlite3'}",
        "ROADCARBON_SECRET_KEY": "web-tests-secret-key-not-for-production",
        "ROADCARBON_DATA_DIR": str(tmp),
        # the browser tests sign in dozens of times from one address; the per-source backoff has its own
        # tests (tests/api/test_auth.py), so it must not make a browser test depend on the suite's order
        "ROADCARBON_LOGIN_ATTEMPTS_PER_MINUTE": "100000",
    }
    with (tmp / "server.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, str(SERVE), "--port", str(port), "--credentials", str(tmp / "credentials.json")],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{(tmp / 'server.log').read_text()}")
        try:
            with urllib.request.urlopen(base + "/static/app.css", timeout=2):
                return proc, base
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError(f"server did not answer within 60 s:\n{(tmp / 'server.log').read_text()}")


@pytest.fixture(scope="session")
def server_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Folder of the test server's database, log and seeded demo credentials."""
    return tmp_path_factory.mktemp("web-server")


@pytest.fixture(scope="session")
def server(server_dir: Path) -> Iterator[str]:
    """Base URL of a running platform on a fresh database."""
    proc, base = start_server(server_dir)
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's headless Chromium through Playwright."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found: apt-get install chromium"
        if os.environ.get("ROADCARBON_REQUIRE_BROWSER") == "1":
            pytest.fail(f"ROADCARBON_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="session")
def credentials(server: str, server_dir: Path) -> dict[str, dict[str, str]]:
    """The seeded demo accounts by role (first of each) and by ``role@organisation``."""
    path = server_dir / "credentials.json"
    assert path.exists(), "the seeded platform must write the demo accounts' credentials"
    found: dict[str, dict[str, str]] = {}
    for account in json.loads(path.read_text(encoding="utf-8")):
        found.setdefault(account["role"], account)  # the first account of each role
        found[f"{account['role']}@{account['organisation']}"] = account
    return found


class Tab:
    """A browser page that records console errors and uncaught exceptions."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.expected: list[str] = []
        page.on(
            "console",
            lambda msg: self.errors.append(f"{msg.text} {msg.location}") if msg.type == "error" else None,
        )
        page.on(
            "response", lambda r: self.errors.append(f"HTTP {r.status} {r.url}") if r.status >= 500 else None
        )
        page.on("requestfailed", self._request_failed)
        page.on("pageerror", lambda exc: self.errors.append(f"{exc} {getattr(exc, 'stack', '')}"[:800]))

    def _request_failed(self, request: Any) -> None:
        # the browser cancels the favicon's request when a test leaves the page at once (net::ERR_ABORTED,
        # seen under load): not something a user sees; every other failed request is an error
        if request.url.endswith("/favicon.svg") and "ERR_ABORTED" in str(request.failure or ""):
            return
        self.errors.append(f"request failed {request.url} ({request.failure})")

    def expect_console(self, text: str) -> None:
        """Accept console errors containing ``text`` (e.g. the 400 of a page tested for bad input)."""
        self.expected.append(text)

    def unexpected(self) -> list[str]:
        """Console errors not declared with :meth:`expect_console`."""
        return [e for e in self.errors if not any(x in e for x in self.expected)]

    def open(self, path: str) -> Any:
        """Load ``path`` and wait until the network is idle; return the HTTP response."""
        return self.page.goto(self.base + path, wait_until="networkidle")

    def drawn_share(self, chart_id: str) -> float:
        """Share of the chart's canvas pixels that are painted (alpha > 0): 0 when nothing was drawn."""
        self.page.wait_for_selector(f"#{chart_id} canvas")
        self.page.wait_for_timeout(300)  # let ECharts finish its first frame
        return float(
            self.page.evaluate(
                """(id) => {
                  const c = document.querySelector('#' + id + ' canvas');
                  const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                  let n = 0;
                  for (let i = 3; i < d.length; i += 4) { if (d[i] > 0) { n++; } }
                  return n / (c.width * c.height);
                }""",
                chart_id,
            )
        )

    def shot(self, name: str) -> Path:
        """Save a full-page screenshot as a test artefact."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def tab(browser: Any, server: str) -> Iterator[Tab]:
    """A fresh browser context (no cookies) on the test server; fails the test on console errors."""
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, accept_downloads=True, reduced_motion="reduce"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)  # generous: CI machines are shared
    t = Tab(page, server)
    try:
        yield t
    finally:
        context.close()
    assert t.unexpected() == [], f"console errors: {t.unexpected()}"
