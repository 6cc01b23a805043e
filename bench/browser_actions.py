"""Follow-up actions in a real browser: `python bench/browser_actions.py [--leads N ...]`.

For each size (default 10,000 and 100,000 demo leads) it seeds a temporary SQLite
database, starts `streamlit run app.py` on it and, in headless Chromium (Debian's
/usr/bin/chromium), times: the first page after the first start (nothing stored yet),
a switch to every page through the menu, logging a touch on the first lead of the
follow-up queue, undoing it, a bulk reassign of 20 leads, the first page after a
restart (the scored model stored on disk), the first page after a restart without that
model (as after more than an hour: only the engine's stored inputs), and reads the
server's resident memory (now and peak) after the first run. Each step is timed from the
click until its result shows and the app is idle. Timings stay out of the test suite. The
last lines are machine-readable, one per size:
leads=<n> load_before=<x> first_start_ms=<x> touch_ms=<x> touch_cpu_ms=<x> undo_ms=<x>
undo_cpu_ms=<x> reassign20_ms=<x> reassign20_cpu_ms=<x> rss_mb=<x> peak_rss_mb=<x>
restart_first_page_ms=<x> restart_first_page_cpu_ms=<x> restart_follow_up_ms=<x>
restart_inputs_only_ms=<x> restart_inputs_only_cpu_ms=<x> page_ms_median=<x>
page_ms_max=<x> page_cpu_ms_median=<x> page_cpu_ms_max=<x> load_after=<x>
(`*_cpu_ms`: the server's CPU time over the step, fairer than wall time on a busy machine.)
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, expect, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(ROOT))

from bench.browser_server import (  # noqa: E402
    CHROMIUM,
    IS_IDLE,
    TIMEOUT_MS,
    Server,
    load_average,
    streamlit_server,
)
from data.seed import ensure_seeded  # noqa: E402
from db.engine import get_engine  # noqa: E402
from db.scoring.engine_cache import cache_dir_for  # noqa: E402

PAGES = ("Definitions", "Calibration", "Funnel", "Conversion", "Data", "Home", "Follow-up")
HEADINGS = {"Definitions": "Definitions workspace", "Home": "Baton"}  # else the menu title
ME = "Bench Runner"
NEW_OWNER = "Bench Owner"
# st.dataframe draws on a canvas: 35 px rows under a 35 px header, boxes on the left.
ROW_PX, HEADER_PX, BOX_X_PX = 35, 35, 18
# A cold start at 100,000 leads on a machine under load 20+ takes minutes: wait that long.
SLOW_MS = max(TIMEOUT_MS, 600_000)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    expect.set_options(timeout=SLOW_MS)  # the default 5 s is shorter than a cold start
    lines = []
    for leads in args.leads:
        lines.append(_run_size(leads, args.port))
        print(lines[-1], flush=True)  # kept even if a larger size fails later
    print("\n".join(lines))
    return 0


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--port", type=int, default=0, help="the server's port (default: free)")
    return parser.parse_args(argv)


def _run_size(leads: int, port: int = 0) -> str:
    figures: dict[str, float] = {"leads": leads, "load_before": load_average()}
    with tempfile.TemporaryDirectory(prefix="baton-bench-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        started = time.perf_counter()
        ensure_seeded(get_engine(url), n_leads=leads)
        print(f"seeded {leads:,} leads in {time.perf_counter() - started:.1f} s", flush=True)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1440, "height": 1000})
            page.set_default_timeout(SLOW_MS)
            with streamlit_server("app.py", url, port) as server:
                figures["first_start_ms"] = _first_page(page, server)
                pages = [_switch(page, title, _Clock(server)) for title in PAGES]
                _say_who_i_am(page)
                for name, step in (
                    ("touch", _log_touch), ("undo", _undo), ("reassign20", _reassign_twenty)
                ):  # fmt: skip
                    figures[f"{name}_ms"], figures[f"{name}_cpu_ms"] = step(page, _Clock(server))
                pages += [_switch(page, title, _Clock(server)) for title in PAGES]
                figures["rss_mb"], figures["peak_rss_mb"] = server.rss_mb()
            with streamlit_server("app.py", url, port) as server:
                wall, cpu = _timed_first_page(page, server)
                figures["restart_first_page_ms"], figures["restart_first_page_cpu_ms"] = wall, cpu
                figures["restart_follow_up_ms"] = _switch(page, "Follow-up", _Clock(server))[0]
            _forget_scored_models(url)
            with streamlit_server("app.py", url, port) as server:
                wall, cpu = _timed_first_page(page, server)
                figures["restart_inputs_only_ms"], figures["restart_inputs_only_cpu_ms"] = wall, cpu
            browser.close()
    walls, cpus = [wall for wall, _ in pages], [cpu for _, cpu in pages]
    figures["page_ms_median"] = statistics.median(walls)
    figures["page_ms_max"] = max(walls)
    figures["page_cpu_ms_median"] = statistics.median(cpus)
    figures["page_cpu_ms_max"] = max(cpus)
    figures["load_after"] = load_average()
    _print_table(figures, pages)
    return " ".join(
        f"{k}={v:.2f}" if k.startswith("load") else f"{k}={v:.0f}" for k, v in figures.items()
    )


def _timed_first_page(page: Page, server: Server) -> tuple[float, float]:
    """Wall and server CPU ms until a freshly started server's first page shows."""
    clock = _Clock(server)
    clock.start()
    _first_page(page, server)
    return clock.stop()


def _forget_scored_models(url: str) -> None:
    """What a restart more than an hour later finds: the engine's inputs, no scored model."""
    folder = cache_dir_for(url)
    for path in folder.glob("*.model.*") if folder else ():
        path.unlink()


class _Clock:
    """Wall time and the server's CPU time (ms) from `start` to `stop`: on a busy machine
    the server's CPU time is the fairer comparison."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.wall = self.cpu = 0.0

    def start(self) -> None:
        self.wall, self.cpu = time.perf_counter(), self.server.cpu_s()

    def stop(self) -> tuple[float, float]:
        wall, cpu = time.perf_counter() - self.wall, self.server.cpu_s() - self.cpu
        return wall * 1000, cpu * 1000


def _first_page(page: Page, server: Server) -> float:
    started = time.perf_counter()
    page.goto(server.url)
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=SLOW_MS)
    _idle(page)
    return (time.perf_counter() - started) * 1000


def _switch(page: Page, title: str, clock: _Clock) -> tuple[float, float]:
    """(wall, server CPU) in ms from the click until the page is shown and idle."""
    clock.start()
    page.get_by_role("link", name=title, exact=True).first.click()
    heading = re.compile("^" + re.escape(HEADINGS.get(title, title)))
    expect(page.get_by_role("heading", name=heading, level=1)).to_be_visible(timeout=SLOW_MS)
    page.wait_for_timeout(50)  # let the run the click started begin
    _idle(page)
    return clock.stop()


def _say_who_i_am(page: Page) -> None:
    field = page.locator(".st-key-identity_name input, .st-key-acting_user input").first
    field.fill(ME)
    field.press("Enter")
    expect(page.get_by_text(f"Acting as {ME}")).to_be_visible(timeout=SLOW_MS)
    _settle(page)


def _log_touch(page: Page, clock: _Clock) -> tuple[float, float]:
    _click_box(page, row=0)
    submit = page.get_by_role("button", name=re.compile(r"^Log a touch · "))
    expect(submit).to_be_visible()
    external_id = (submit.inner_text() or "").split("·")[-1].strip()
    clock.start()
    submit.click()
    expect(page.get_by_text(f"{external_id}: Logged a call").first).to_be_visible()
    _idle(page)
    return clock.stop()


def _undo(page: Page, clock: _Clock) -> tuple[float, float]:
    clock.start()
    page.locator(".st-key-fu_queue_act_undo button").click()
    expect(page.get_by_text("Undone (1 of 1).").first).to_be_visible()
    _idle(page)
    return clock.stop()


def _reassign_twenty(page: Page, clock: _Clock) -> tuple[float, float]:
    page.locator(".st-key-fu_queue_act_dismiss button").click()
    _settle(page)
    page.locator(".st-key-fu_queue_size").click()
    page.get_by_role("option", name="25", exact=True).click()
    _settle(page)
    _click_box(page, row=-1)  # the header's box: the whole page of 25
    for row in range(5):  # and five of them off again: 20 leads
        _click_box(page, row=row)
    page.locator(".st-key-fu_queue_act_kind").get_by_text("Reassign", exact=True).click()
    _settle(page)
    owner = page.locator("[class*='st-key-fu_queue_act_reassign_'][class*='_owner'] input")
    owner.fill(NEW_OWNER)
    owner.press("Enter")
    submit = page.get_by_role("button", name="Reassign · 20 leads")
    expect(submit).to_be_visible()
    clock.start()
    submit.click()
    expect(page.get_by_text("Reassign: done for 20 of 20 leads").first).to_be_visible()
    _idle(page)
    return clock.stop()


def _click_box(page: Page, row: int) -> None:
    box = page.locator("[data-testid='stDataFrame'] canvas").first.bounding_box()
    assert box is not None
    y = box["y"] + (HEADER_PX // 2 if row < 0 else HEADER_PX + ROW_PX * row + ROW_PX // 2)
    page.mouse.click(box["x"] + BOX_X_PX, y)
    _settle(page)


def _settle(page: Page) -> None:
    page.wait_for_timeout(300)  # let the rerun an interaction triggers start
    _idle(page)


def _idle(page: Page) -> None:
    page.wait_for_function(IS_IDLE, polling="raf", timeout=SLOW_MS)


def _print_table(figures: dict[str, float], pages: list[tuple[float, float]]) -> None:
    print(f"{int(figures['leads']):,} leads (load average {figures['load_before']:.2f} before):")
    for name, value in figures.items():
        if name.endswith("_ms") or name.endswith("_mb"):
            print(f"  {name:<24} {value:>9,.0f}")
    switches = ", ".join(
        f"{t}: {wall:,.0f} ({cpu:,.0f} CPU)"
        for t, (wall, cpu) in zip(PAGES * 2, pages, strict=False)
    )
    print(f"  page switches (ms): {switches}", flush=True)


if __name__ == "__main__":
    raise SystemExit(main())
