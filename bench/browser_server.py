"""What the browser benchmarks share: a seeded database, `streamlit run` on a free port,
headless Chromium, the server's memory and percentiles. Timings stay out of the tests."""

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

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"
TIMEOUT_MS = 180_000
# True once no run is going on: checked on each animation frame after an interaction.
IS_IDLE = """() => {
    const app = document.querySelector("[data-testid='stApp']");
    return app && app.getAttribute("data-test-script-state") === "notRunning";
}"""


class Server:
    """A running `streamlit run` process: its URL and its memory."""

    def __init__(self, process: subprocess.Popen[bytes], url: str) -> None:
        self.process = process
        self.url = url

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server used so far, from /proc (Linux): a
        fairer comparison than wall time on a busy machine."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> tuple[float, float]:
        """(resident now, peak resident) in MB, from /proc (Linux)."""
        fields = {}
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            name, _, value = line.partition(":")
            fields[name] = value.strip()
        return _kb(fields.get("VmRSS", "0 kB")) / 1024, _kb(fields.get("VmHWM", "0 kB")) / 1024


@contextmanager
def streamlit_server(
    script: str | Path, database_url: str | None = None, port: int | None = None
) -> Iterator[Server]:
    """`streamlit run script` on `port` (default: a free one) against `database_url`;
    stopped on exit."""
    port = port or _free_port()
    command = [
        sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
        f"--server.port={port}", "--server.fileWatcherType=none",
        "--browser.gatherUsageStats=false",
    ]  # fmt: skip
    env = dict(os.environ)
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, process)
        yield Server(process, url)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def load_average() -> float:
    return os.getloadavg()[0]


def _kb(text: str) -> float:
    return float(text.split()[0])


def _wait_until_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("streamlit exited early")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.read().decode().strip() == "ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.25)
    raise SystemExit("streamlit did not become healthy within 120 s")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
