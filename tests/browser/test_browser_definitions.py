"""The definitions workspace in a real browser: the threshold slider moves the MQL count."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.funnel.impact import SCORE_BAND_EDGES
from tests.browser.pages import IDLE, TIMEOUT_MS

pytestmark = pytest.mark.browser

COUNT = ".st-key-draft_mql_count"
BANDS = ".st-key-defs_score_bands"
# Streamlit 1.67 draws the thumb as a visually hidden <input type="range"> (react-aria).
THUMB = ".st-key-mql_threshold input[type='range'], .st-key-mql_threshold [role='slider']"


def open_workspace(page: Page, url: str) -> None:
    # The root first: until app.py has run once, the server is in the legacy pages/ mode
    # and would run pages/definitions.py on its own, without navigation and sidebar.
    page.goto(url, timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    page.goto(f"{url}/definitions", timeout=TIMEOUT_MS)
    page.locator(COUNT).wait_for(timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def expect_shaded_band_around(page: Page, threshold: float) -> None:
    """The score-band chart shades the band the threshold is in (outer bands: one step)."""
    step = SCORE_BAND_EDGES[1] - SCORE_BAND_EDGES[0]
    value = min(max(threshold, SCORE_BAND_EDGES[0] - step), SCORE_BAND_EDGES[-1] + step)
    page.wait_for_function(
        """([selector, value]) => {
            const shape = document.querySelector(selector)?.layout?.shapes?.[0];
            return !!shape && shape.x0 <= value && value <= shape.x1;
        }""",
        arg=[f"{BANDS} .js-plotly-plot", value],
        timeout=TIMEOUT_MS,
    )


def mql_count(page: Page) -> int:
    return int(page.locator(COUNT).inner_text().strip().replace(",", ""))


def test_moving_the_threshold_slider_changes_the_mql_count(
    page: Page, server_url: str, screenshot_dir: Path
) -> None:
    open_workspace(page, server_url)
    before = page.locator(COUNT).inner_text().strip()
    thumb = page.locator(THUMB).first
    value = float(thumb.get_attribute("value") or 0)
    highest = float(thumb.get_attribute("max") or 200)
    thumb.focus()
    # PageUp moves a tenth of the range (20 points): enough to move leads on 1,500 leads.
    page.keyboard.press("PageUp" if value + 20 <= highest else "PageDown")
    expect(page.locator(COUNT)).not_to_have_text(before, timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    assert mql_count(page) != int(before.replace(",", ""))
    assert float(thumb.get_attribute("value") or 0) != value
    page.locator(".st-key-defs_histogram svg.marks").first.wait_for(timeout=TIMEOUT_MS)
    # The score-band chart reruns only when the threshold enters another band: it follows
    # this move of 20 points, and stays drawn through a move within the band.
    expect_shaded_band_around(page, float(thumb.get_attribute("value") or 0))
    revision = page.get_by_text("Working draft, revision")
    saved = revision.inner_text()
    page.keyboard.press(
        "ArrowRight" if float(thumb.get_attribute("value") or 0) < highest else "ArrowLeft"
    )
    expect(revision).not_to_have_text(saved, timeout=TIMEOUT_MS)
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)
    expect_shaded_band_around(page, float(thumb.get_attribute("value") or 0))
    shot = screenshot_dir / "definitions.png"
    page.set_viewport_size({"width": 1440, "height": 3200})
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
