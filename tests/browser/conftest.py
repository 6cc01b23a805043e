"""A real `streamlit run app.py` on a small seeded database, driven by Debian's chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from data.seed import ensure_seeded
from db import repository as repo
from db.engine import get_engine

ROOT = Path(__file__).resolve().parents[2]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SMALL_SEED = 1_500
STARTUP_TIMEOUT_S = 60
# Playwright's `expect` gives up after 5 s by default: a rerun on a loaded 2-core machine
# can take longer than that. Waiting longer costs a passing test nothing.
expect.set_options(timeout=30_000)


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    if not CHROMIUM.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} not found: install chromium to run the browser tests")
    return CHROMIUM


@pytest.fixture(scope="session")
def seeded_leads() -> int:
    return SMALL_SEED


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    # Seeded here, not by the app, so the server starts fast and the size is known.
    url = f"sqlite:///{tmp_path_factory.mktemp('baton-browser') / 'browser.db'}"
    ensure_seeded(get_engine(url), n_leads=SMALL_SEED)
    return url


@pytest.fixture(scope="session")
def source_counts(database_url: str) -> dict[str, int]:
    leads = repo.load_leads(get_engine(database_url))
    return {str(k): int(v) for k, v in leads["source"].value_counts().items()}


@contextmanager
def streamlit_server(
    database_url: str, log_path: Path, *, port: int | None = None, args: tuple[str, ...] = ()
) -> Iterator[str]:
    """`streamlit run app.py` on `port` (default: a free one) against `database_url`;
    yields its URL. `args` are extra Streamlit options, e.g. `--secrets.files=...`."""
    port = port or free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless=true",
        f"--server.port={port}", "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false", *args,
    ]  # fmt: skip
    env = {**os.environ, "DATABASE_URL": database_url}
    with log_path.open("w") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_until_healthy(url, server, log_path)
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


@pytest.fixture(scope="session")
def server_url(
    chromium_path: Path, database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("streamlit-log") / "server.log"
    with streamlit_server(database_url, log_path) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium_path), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(STARTUP_TIMEOUT_S * 1000)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture(scope="session")
def screenshot_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    wanted = os.environ.get("BATON_SCREENSHOT_DIR")
    if wanted:
        Path(wanted).mkdir(parents=True, exist_ok=True)
        return Path(wanted)
    return tmp_path_factory.mktemp("screenshots")


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    pytest.fail(f"streamlit not healthy after {STARTUP_TIMEOUT_S}s:\n{log_path.read_text()}")
