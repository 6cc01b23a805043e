"""The definitions page and the follow-up queue on a shared screen: every column visible.

At 1280x720, 1440x900 and 1920x1080 the fit and engagement rule tables show every column
without sideways scrolling, and the tiles and charts beside them do not overlap the
tables. A full-page screenshot of each size is kept (BATON_SCREENSHOT_DIR to keep them).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser.pages import TIMEOUT_MS, wait_for_idle

SIZES = ((1280, 720), (1440, 900), (1920, 1080))
TABLES = {
    "Fit rules": ".st-key-defs_fit_rules",
    "Engagement rules": ".st-key-defs_engagement_rules",
}
SCROLL = """e => { const s = e.querySelector('.dvn-scroller');
  return s ? [s.scrollWidth, s.clientWidth] : null }"""


def _open_definitions(page: Page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT_MS)
    wait_for_idle(page)
    page.get_by_role("link", name="Definitions").first.click()
    heading = page.get_by_role("heading", name="Definitions workspace", level=1)
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)


def _overlaps(a: dict, b: dict) -> bool:
    return not (
        a["x"] + a["width"] <= b["x"]
        or b["x"] + b["width"] <= a["x"]
        or a["y"] + a["height"] <= b["y"]
        or b["y"] + b["height"] <= a["y"]
    )


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_rule_table_column_is_visible_without_sideways_scrolling(
    browser: Browser, server_url: str, screenshot_dir: Path, size: tuple[int, int]
) -> None:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    try:
        _open_definitions(page, server_url)
        for tab, selector in TABLES.items():
            page.get_by_role("tab", name=tab).click()
            wait_for_idle(page)
            grid = page.locator(selector).first
            expect(grid).to_be_visible(timeout=TIMEOUT_MS)
            grid.scroll_into_view_if_needed()
            # The grid draws its scroller a moment after the tab shows (later under load).
            grid.locator(".dvn-scroller").first.wait_for(timeout=TIMEOUT_MS)
            content, visible = grid.evaluate(SCROLL)
            assert content <= visible + 1, f"{tab} at {size}: {content}px in {visible}px"
            table = grid.bounding_box()
            assert table is not None and table["x"] + table["width"] <= size[0]
            impact = page.locator(".st-key-draft_mql_count").bounding_box()
            assert impact is not None and not _overlaps(table, impact)
            page.screenshot(
                path=str(screenshot_dir / f"definitions-{tab.split()[0].lower()}-{size[0]}.png"),
            )
    finally:
        context.close()


def _queue_width(page: Page) -> tuple[int, int]:
    grid = page.locator("[class*='st-key-fu_queue_table_']").first
    grid.locator(".dvn-scroller").first.wait_for(timeout=TIMEOUT_MS)
    grid.scroll_into_view_if_needed()
    return grid.evaluate(SCROLL)


def test_the_follow_up_queue_shows_every_column_at_1440x900(
    browser: Browser, server_url: str, screenshot_dir: Path
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{server_url}/follow_up", timeout=TIMEOUT_MS)
        wait_for_idle(page)
        content, visible = _queue_width(page)
        page.screenshot(path=str(screenshot_dir / "follow-up-queue-1440.png"))
        assert content <= visible + 1, f"queue at 1440x900: {content}px in {visible}px"
    finally:
        context.close()
