"""The Calibration page in a real browser: a click on the threshold curve picks a threshold."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser.pages import TIMEOUT_MS, open_page, wait_for_idle

pytestmark = pytest.mark.browser

CURVE = ".st-key-calib_threshold_curve"
CHOSEN = ".st-key-calib_threshold_chosen_value"


def curve_points(page: Page) -> Locator:
    """The points of the wins-captured line, one per threshold (the chart's first symbol
    mark holds both lines' points, wins captured first)."""
    chart = page.locator(CURVE)
    chart.locator("svg.marks").first.wait_for(timeout=TIMEOUT_MS)
    return chart.locator("g.mark-symbol.role-mark").first.locator("path")


def click_point(page: Page, point: Locator) -> None:
    """Click a point at its centre: the chart picks the point nearest the pointer (its
    hit area lies over the points)."""
    box = point.bounding_box()
    assert box is not None, "the point is not drawn"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.click(x, y)


def test_clicking_the_threshold_curve_picks_that_threshold(
    page: Page, server_url: str, screenshot_dir: Path
) -> None:
    open_page(page, server_url, "Calibration")
    points = curve_points(page)
    expect(page.locator(CHOSEN)).not_to_be_empty(timeout=TIMEOUT_MS)
    before = page.locator(CHOSEN).inner_text().strip()
    count = points.count() // 2  # the wins-captured line's points come first
    assert count > 4, f"only {count} points on the curve"
    # A point in the steep part, well left of the capacity and trade-off picks.
    target = points.nth(count // 5)
    target.scroll_into_view_if_needed()
    page.locator(CURVE).screenshot(path=str(screenshot_dir / "calibration_curve_before.png"))
    click_point(page, target)
    expect(page.locator(CHOSEN)).not_to_have_text(before, timeout=TIMEOUT_MS)
    wait_for_idle(page)
    chosen = page.locator(CHOSEN).inner_text().strip()
    float(chosen)  # a plain number
    use = page.get_by_role("button", name=f"Use threshold {chosen} in the draft")
    expect(use).to_be_visible(timeout=TIMEOUT_MS)
    curve_points(page).first.wait_for(timeout=TIMEOUT_MS)
    page.locator(CURVE).screenshot(path=str(screenshot_dir / "calibration_curve.png"))
    shot = screenshot_dir / "calibration.png"
    page.set_viewport_size({"width": 1440, "height": 3600})  # the app scrolls inside
    wait_for_idle(page)
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_the_definitions_page_judges_the_draft(
    page: Page, server_url: str, screenshot_dir: Path
) -> None:
    open_page(page, server_url, "Definitions")
    section = page.locator(".st-key-defs_calib_auc_draft [data-testid='stMetricValue']")
    expect(section).to_contain_text("0.", timeout=TIMEOUT_MS)
    bands = page.locator(".st-key-defs_calib_bands svg.marks").first
    bands.wait_for(timeout=TIMEOUT_MS)
    bands.scroll_into_view_if_needed()
    wait_for_idle(page)
    page.screenshot(path=str(screenshot_dir / "definitions_calibration.png"))
