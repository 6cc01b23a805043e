"""The home page in a real browser: it loads, draws the funnel and reacts to a filter."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from domain.engine.stages import FUNNEL_STAGES
from tests.browser.pages import TIMEOUT_MS, wait_for_idle

pytestmark = pytest.mark.browser

# Streamlit marks the app root with its script state; "notRunning" means a rerun finished.


def open_home(page: Page, url: str) -> None:
    page.goto(url, timeout=TIMEOUT_MS)
    wait_for_idle(page)


def leads_tile(page: Page) -> str:
    return page.locator(".st-key-kpi_leads [data-testid='stMetricValue']").inner_text()


def test_home_page_draws_the_funnel_with_every_stage(
    page: Page, server_url: str, seeded_leads: int, screenshot_dir: Path
) -> None:
    open_home(page, server_url)
    chart = page.locator(".st-key-funnel_chart")
    chart.locator("svg.main-svg").first.wait_for(timeout=TIMEOUT_MS)
    labels = chart.locator("svg text").all_text_contents()
    for stage in FUNNEL_STAGES:
        assert stage in labels, f"{stage} missing from the funnel axis: {labels}"
    expect(page.locator(".st-key-kpi_leads")).to_contain_text(f"{seeded_leads:,}")
    expect(page.get_by_text("Baton — one shared definition")).to_be_visible()
    shot = screenshot_dir / "home.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_source_filter_narrows_the_leads_tile(
    page: Page, server_url: str, seeded_leads: int, source_counts: dict[str, int]
) -> None:
    source, count = min(source_counts.items(), key=lambda item: item[1])
    open_home(page, server_url)
    expect(page.locator(".st-key-kpi_leads")).to_contain_text(f"{seeded_leads:,}")
    page.locator(".st-key-filter_source input[role='combobox']").click()
    # By name: the list also offers "Select all" first.
    page.get_by_role("option", name=source, exact=True).click()
    page.keyboard.press("Escape")
    expect(page.locator(".st-key-kpi_leads")).to_contain_text(f"{count:,}", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    assert leads_tile(page) == f"{count:,}"
    page.locator(".st-key-funnel_chart svg.main-svg").first.wait_for(timeout=TIMEOUT_MS)
