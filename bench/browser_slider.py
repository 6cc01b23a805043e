"""Slider benchmark in a real browser: `python bench/browser_slider.py [--leads N] [--moves M]`.

Seeds a temporary SQLite database with N demo leads (default 10,000), starts
`streamlit run app.py` on it, opens the definitions workspace in headless Chromium
(Debian's /usr/bin/chromium) and moves the MQL threshold slider M times with the keyboard
(ArrowRight, then back with ArrowLeft), pausing between moves. Each move is timed from the
key press until the draft's MQL count (`.st-key-draft_mql_count`) shows a new number and
the app is idle (checked on each animation frame). Every step of the threshold from the
default 60 must move some of the leads, which holds for the demo data.
In the same run it times the same moves on a trivial Streamlit app (one slider, one number:
bench/apps/trivial_slider.py), Streamlit's floor on this machine, and prints the ratio.
Timings stay out of the test suite. The last line is machine-readable:
slider_ms_median=<x> slider_ms_p90=<x> trivial_ms_median=<x> ratio=<x> server_cpu_ms=<x>
browser_cpu_ms=<x> load=<x> (one line)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench.browser_server import (  # noqa: E402
    CHROMIUM,
    IDLE,
    Server,
    load_average,
    percentile,
    streamlit_server,
)
from data.seed import ensure_seeded  # noqa: E402
from db.engine import get_engine  # noqa: E402

TRIVIAL_APP = Path("bench") / "apps" / "trivial_slider.py"
COUNT = ".st-key-draft_mql_count"
# Streamlit 1.67 draws the thumb as a visually hidden <input type="range"> (react-aria).
THUMB = ".st-key-mql_threshold input[type='range'], .st-key-mql_threshold [role='slider']"
TIMEOUT_MS = 120_000
# True once the count differs from the one before the key press and no run is going on.
CHANGED_AND_IDLE = """([selector, before]) => {
    const app = document.querySelector("[data-testid='stApp']");
    const count = document.querySelector(selector);
    return app && count && app.getAttribute("data-test-script-state") === "notRunning"
        && count.innerText.trim() !== before;
}"""


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    load = load_average()
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        ensure_seeded(get_engine(url), n_leads=args.leads)
        print(f"seeded {args.leads:,} leads in {time.perf_counter() - started:.1f} s")
        with streamlit_server("app.py", url, port=args.port) as server:
            timings, server_cpu, browser_cpu = _measure(
                server, "definitions", args.moves, args.pause_ms
            )
    with streamlit_server(TRIVIAL_APP, port=args.port and args.port + 1) as server:
        trivial, trivial_cpu, trivial_browser = _measure(server, None, args.moves, args.pause_ms)
    median, trivial_median = statistics.median(timings), statistics.median(trivial)
    p90 = percentile(timings, 0.9)
    load = max(load, load_average())
    print(
        f"{len(timings)} slider moves on {args.leads:,} leads: min {min(timings):.0f} ms, "
        f"median {median:.0f} ms, p90 {p90:.0f} ms, max {max(timings):.0f} ms; "
        f"a trivial Streamlit app: median {trivial_median:.0f} ms "
        f"({median / trivial_median:.1f}x); CPU per move: server {server_cpu:.0f} ms, browser "
        f"{browser_cpu:.0f} ms (trivial app {trivial_cpu:.0f} ms, {trivial_browser:.0f} ms); "
        f"load average up to {load:.2f}"
    )
    print(
        f"slider_ms_median={median:.1f} slider_ms_p90={p90:.1f} "
        f"trivial_ms_median={trivial_median:.1f} ratio={median / trivial_median:.2f} "
        f"server_cpu_ms={server_cpu:.1f} browser_cpu_ms={browser_cpu:.1f} load={load:.2f}"
    )
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=10_000)
    parser.add_argument("--moves", type=int, default=20)
    parser.add_argument(
        "--port", type=int, default=None, help="the app's port (the trivial app's: next one)"
    )
    parser.add_argument(
        "--pause-ms",
        type=int,
        default=300,
        help="wait between moves, so that one move's leftover drawing is not timed in the next",
    )
    return parser.parse_args(argv)


def _measure(
    server: Server, path: str | None, moves: int, pause_ms: int
) -> tuple[list[float], float, float]:
    """Each move's wall time (ms), and the server's and the browser's CPU time per move
    (ms): steadier than wall time on a busy machine."""
    base_url = server.url
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1440, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        _open_workspace(page, base_url, path)
        timings = []
        cpu = browser_cpu = 0.0
        for move in range(moves):
            key = "ArrowRight" if move < (moves + 1) // 2 else "ArrowLeft"
            page.wait_for_timeout(pause_ms)
            before, browser_before = server.cpu_s(), _browser_cpu_s(server.process.pid)
            timings.append(_one_move(page, key))
            cpu += server.cpu_s() - before
            browser_cpu += _browser_cpu_s(server.process.pid) - browser_before
        browser.close()
    return timings, cpu * 1000 / moves, browser_cpu * 1000 / moves


def _browser_cpu_s(server_pid: int) -> float:
    """CPU seconds (user + system) used so far by this process's descendants but the
    server: Playwright's driver and the Chromium it launched (Linux /proc)."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended meanwhile
            continue
        pid = int(stat.parent.name)
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    ours = {os.getpid()}
    grew = True
    while grew:
        grew = False
        for pid, parent in parents.items():
            if parent in ours and pid not in ours and pid != server_pid:
                ours.add(pid)
                grew = True
    total = sum(ticks[pid] for pid in ours - {os.getpid()})
    return total / os.sysconf("SC_CLK_TCK")


def _open_workspace(page: Page, base_url: str, path: str | None) -> None:
    # The root first: the server only leaves the legacy pages/ mode once app.py ran.
    page.goto(base_url)
    page.wait_for_selector(IDLE)
    if path is not None:
        page.goto(f"{base_url}/{path}")
    page.wait_for_selector(COUNT)
    page.wait_for_selector(IDLE)
    page.locator(THUMB).focus()
    # A warm-up move, so that the first timed one does not pay for first-time caches.
    _one_move(page, "ArrowRight")
    _one_move(page, "ArrowLeft")


def _one_move(page: Page, key: str) -> float:
    before = page.locator(COUNT).inner_text().strip()
    started = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(CHANGED_AND_IDLE, arg=[COUNT, before], polling="raf")
    return (time.perf_counter() - started) * 1000


if __name__ == "__main__":
    raise SystemExit(main())
