"""The definitions page and the follow-up queue on a shared screen: every column visible.

At 1280x720, 1440x900 and 1920x1080 the fit and engagement rule tables show every column
without sideways scrolling, every header in full, and the tiles and charts beside them do
not overlap the tables; the charts' labels never overprint, stay inside their chart and
are at least 12 px. A screenshot of each size is kept (BATON_SCREENSHOT_DIR to keep them).
Each size is one browser tab, opened once, that the tests move through by the menu.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from components.common.literal import CHART_TEXT_PX
from tests.browser.pages import TIMEOUT_MS, wait_for_idle

SIZES = ((1280, 720), (1440, 900), (1920, 1080))
TABLES = {
    "Fit rules": ".st-key-defs_fit_rules",
    "Engagement rules": ".st-key-defs_engagement_rules",
}
SCROLL = """e => { const s = e.querySelector('.dvn-scroller');
  return s ? [s.scrollWidth, s.clientWidth] : null }"""
# The grid draws its headers on their own canvas. Per pixel column of the header row: is it
# a column border (light grey from top to bottom) and does it hold ink (text or icon)?
HEADER_PIXELS = """e => {
  const c = Array.from(e.querySelectorAll('canvas')).find(x => !x.dataset.testid);
  const ratio = c.width / c.getBoundingClientRect().width;
  const top = Math.round(6 * ratio), rows = Math.round(22 * ratio);
  const data = c.getContext('2d').getImageData(0, top, c.width, rows).data;
  const borders = [], ink = [];
  for (let x = 0; x < c.width; x++) {
    let line = 0, dark = false;
    for (let y = 0; y < rows; y++) {
      const i = 4 * (y * c.width + x), lum = (data[i] + data[i + 1] + data[i + 2]) / 3;
      if (lum > 195 && lum < 242) line++;
      if (lum < 200) dark = true;
    }
    if (line === rows) borders.push(x);
    ink.push(dark);
  }
  const names = Array.from(e.querySelectorAll('th')).map(th => th.textContent);
  return {borders, ink, names, ratio};
}"""
# Every visible text of every chart on the page, with its box relative to the chart.
CHART_TEXTS = """e => { const c = e.getBoundingClientRect();
  return Array.from(e.querySelectorAll('svg text')).filter(t => {
    const s = getComputedStyle(t), b = t.getBoundingClientRect();
    return t.textContent.trim() && b.width > 0 && s.visibility !== 'hidden' && s.opacity !== '0';
  }).map(t => { const b = t.getBoundingClientRect();
    return {text: t.textContent, x: b.x - c.x, y: b.y - c.y, width: b.width, height: b.height,
            px: parseFloat(getComputedStyle(t).fontSize)} }) }"""
CLEARANCE_PX = 4  # a header's text ends at least this far from its column's right border


class Screens:
    """One browser tab per screen size, kept for the whole module: each opens the app once
    and then moves between pages through the menu, as a user does. A tab's session only
    reads and runs suggestions, so the tests can share it."""

    def __init__(self, browser: Browser, url: str) -> None:
        self._browser, self._url = browser, url
        self._pages: dict[tuple[int, int], Page] = {}

    def show(self, size: tuple[int, int], link: str, heading: str) -> Page:
        page = self._pages.get(size)
        if page is None:
            context = self._browser.new_context(viewport={"width": size[0], "height": size[1]})
            page = self._pages[size] = context.new_page()
            page.goto(self._url, timeout=TIMEOUT_MS)
            wait_for_idle(page)
        title = page.get_by_role("heading", name=heading, level=1)
        if not title.is_visible():
            page.get_by_role("link", name=link).first.click()
            expect(title).to_be_visible(timeout=TIMEOUT_MS)
        wait_for_idle(page)
        return page

    def close(self) -> None:
        for page in self._pages.values():
            page.context.close()


@pytest.fixture(scope="module")
def screens(browser: Browser, server_url: str) -> Iterator[Screens]:
    shared = Screens(browser, server_url)
    try:
        yield shared
    finally:
        shared.close()


def _definitions(screens: Screens, size: tuple[int, int]) -> Page:
    return screens.show(size, "Definitions", "Definitions workspace")


def _overlaps(a: dict, b: dict, slack: float = 0) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"] + slack
        or b["x"] + b["width"] <= a["x"] + slack
        or a["y"] + a["height"] <= b["y"] + slack
        or b["y"] + b["height"] <= a["y"] + slack
    )


def _clipped_headers(grid: Locator) -> list[str]:
    """The headers whose text runs into their column's right border (or the grid's edge)."""
    header = grid.evaluate(HEADER_PIXELS)
    ink, clearance = header["ink"], round(CLEARANCE_PX * header["ratio"])
    ends = [*header["borders"][1:], len(ink)]  # the first border closes the row markers
    return [
        name
        for name, end in zip(header["names"], ends, strict=False)
        if any(ink[max(end - clearance, 0) : end])
    ]


def _assert_fits(grid: Locator, name: str, size: tuple[int, int]) -> None:
    """No sideways scrolling and every header in full."""
    content, visible = grid.evaluate(SCROLL)
    assert content <= visible + 1, f"{name} at {size}: {content}px in {visible}px"
    assert _clipped_headers(grid) == [], f"{name} at {size}: headers cut short"


def _page_chart_label_problems(page: Page) -> dict[int, list[str]]:
    """The label problems of every visible Plotly and Vega-Lite chart on the page."""
    charts = page.locator("[data-testid='stPlotlyChart'], [data-testid='stVegaLiteChart']")
    problems = {}
    for index in range(charts.count()):
        chart = charts.nth(index)
        if chart.is_visible():
            chart.scroll_into_view_if_needed()
            problems[index] = _chart_label_problems(chart)
    return problems


def _chart_label_problems(chart: Locator) -> list[str]:
    box = chart.bounding_box()
    assert box is not None
    texts = chart.evaluate(CHART_TEXTS)
    problems = [f"{t['text']!r} is {t['px']:g}px" for t in texts if t["px"] < CHART_TEXT_PX]
    problems += [
        f"{t['text']!r} is cut by the chart's edge"
        for t in texts
        if t["x"] < -1
        or t["y"] < -1
        or t["x"] + t["width"] > box["width"] + 1
        or t["y"] + t["height"] > box["height"] + 1
    ]
    problems += [
        f"{a['text']!r} overprints {b['text']!r}"
        for i, a in enumerate(texts)
        for b in texts[i + 1 :]
        if _overlaps(a, b, slack=1)
    ]
    return problems


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_rule_table_column_is_visible_without_sideways_scrolling(
    screens: Screens, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    page = _definitions(screens, size)
    for tab, selector in TABLES.items():
        page.get_by_role("tab", name=tab).click()
        wait_for_idle(page)
        grid = page.locator(selector).first
        expect(grid).to_be_visible(timeout=TIMEOUT_MS)
        grid.scroll_into_view_if_needed()
        # The grid draws its scroller a moment after the tab shows (later under load).
        grid.locator(".dvn-scroller").first.wait_for(timeout=TIMEOUT_MS)
        _assert_fits(grid, tab, size)
        table = grid.bounding_box()
        assert table is not None and table["x"] + table["width"] <= size[0]
        impact = page.locator(".st-key-draft_mql_count").bounding_box()
        assert impact is not None and not _overlaps(table, impact)
        page.screenshot(
            path=str(screenshot_dir / f"definitions-{tab.split()[0].lower()}-{size[0]}.png"),
        )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_chart_labels_never_overlap_and_read_at_12px_or_more(
    screens: Screens, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    """Tick labels, legends, axis titles and line labels of every chart on the definitions
    page, the score-band chart among them, compared box by box (Plotly and Vega-Lite both
    draw SVG text)."""
    page = _definitions(screens, size)
    bands = page.locator(".st-key-defs_score_bands").first
    expect(bands).to_be_visible(timeout=TIMEOUT_MS)
    bands.locator("svg text").first.wait_for(timeout=TIMEOUT_MS)
    for key in ("defs_histogram", "defs_calib_bands"):  # Vega-Lite: drawn a moment later
        page.locator(f".st-key-{key} svg.marks text").first.wait_for(timeout=TIMEOUT_MS)
    problems = _page_chart_label_problems(page)
    bands.screenshot(path=str(screenshot_dir / f"score-bands-{size[0]}.png"))
    assert len(problems) >= 3  # histogram, score bands and workload at least
    assert all(not found for found in problems.values()), f"at {size}: {problems}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_calibration_chart_labels_never_overlap_and_read_at_12px_or_more(
    screens: Screens, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    """The score-band chart and the threshold curve with its stacked mark labels."""
    page = screens.show(size, "Calibration", "Calibration")
    for key in ("calib_bands", "calib_threshold_curve"):
        page.locator(f".st-key-{key} svg.marks text").first.wait_for(timeout=TIMEOUT_MS)
    problems = _page_chart_label_problems(page)
    curve = page.locator(".st-key-calib_threshold_curve").first
    curve.screenshot(path=str(screenshot_dir / f"threshold-curve-{size[0]}.png"))
    assert len(problems) >= 2  # score bands and the threshold curve at least
    assert all(not found for found in problems.values()), f"at {size}: {problems}"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_suggested_and_current_rules_show_every_column(
    screens: Screens, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    page = screens.show(size, "Calibration", "Calibration")
    page.locator(".st-key-calib_suggest_run button").click()
    suggested = page.locator(".st-key-calib_suggest_rules").first
    expect(suggested).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    current = (
        page.locator("[data-testid='stColumn']")
        .filter(has_text="Current draft rules")
        .locator("[data-testid='stDataFrame']")
        .first
    )
    for name, grid in (("suggested", suggested), ("current", current)):
        grid.locator(".dvn-scroller").first.wait_for(state="attached", timeout=TIMEOUT_MS)
        grid.scroll_into_view_if_needed()
        _assert_fits(grid, name, size)
    page.screenshot(path=str(screenshot_dir / f"suggestion-{size[0]}.png"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_version_history_shows_every_column(
    screens: Screens, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    page = _definitions(screens, size)
    history = (
        page.locator("[data-testid='stDataFrame']")
        .filter(has=page.locator("th", has_text="Signed off by"))
        .first
    )
    history.locator(".dvn-scroller").first.wait_for(state="attached", timeout=TIMEOUT_MS)
    history.scroll_into_view_if_needed()
    _assert_fits(history, "version history", size)
    history.screenshot(path=str(screenshot_dir / f"history-{size[0]}.png"))


def _queue_width(page: Page) -> tuple[int, int]:
    grid = page.locator("[class*='st-key-fu_queue_table_']").first
    grid.locator(".dvn-scroller").first.wait_for(timeout=TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    return grid.evaluate(SCROLL)


def test_the_follow_up_queue_shows_every_column_at_1440x900(
    screens: Screens, screenshot_dir: Path
) -> None:
    page = screens.show((1440, 900), "Follow-up", "Follow-up")
    content, visible = _queue_width(page)
    page.screenshot(path=str(screenshot_dir / "follow-up-queue-1440.png"))
    assert content <= visible + 1, f"queue at 1440x900: {content}px in {visible}px"
