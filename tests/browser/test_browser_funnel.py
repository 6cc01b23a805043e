"""The funnel page in a real browser: clicking the MQL bar lists the MQL leads."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from db import repository as repo
from db.engine import get_engine
from db.scoring.scoring_source import load_model
from domain.engine.lead_table import lead_table
from domain.engine.stages import FUNNEL_STAGES
from domain.funnel.metrics import funnel
from tests.browser.pages import TIMEOUT_MS, open_page, wait_for_idle

pytestmark = pytest.mark.browser

# Streamlit marks the app root with its script state; "notRunning" means a rerun finished.
DRILLDOWN = ".st-key-funnel_drilldown"


@pytest.fixture(scope="module")
def stage_counts(database_url: str) -> dict[str, int]:
    engine = get_engine(database_url)
    model = load_model(engine)
    published = repo.get_published(engine)
    assert published is not None
    frame = funnel(lead_table(model.leads, model.score(published[1])))
    return dict(zip(frame["stage"], frame["leads"].astype(int), strict=True))


def click_bar(page: Page, stage: str) -> None:
    """Click a funnel bar at its centre: Plotly's drag layer takes element clicks."""
    chart = page.locator(".st-key-funnel_chart")
    chart.locator("svg.main-svg").first.wait_for(timeout=TIMEOUT_MS)
    bar = chart.locator("g.trace").first.locator("g.point path").nth(FUNNEL_STAGES.index(stage))
    box = bar.bounding_box()
    assert box is not None, f"the {stage} bar is not drawn"
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)  # Plotly picks the clicked point from the hover
    page.mouse.click(x, y)


def test_clicking_the_mql_bar_lists_the_mql_leads(
    page: Page, server_url: str, stage_counts: dict[str, int], screenshot_dir: Path
) -> None:
    open_page(page, server_url, "Funnel")
    expect(page.locator(DRILLDOWN)).to_contain_text("Click a bar", timeout=TIMEOUT_MS)
    click_bar(page, "MQL")
    mqls = stage_counts["MQL"]
    expect(page.locator(DRILLDOWN)).to_contain_text(f"MQL: {mqls:,} leads", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    grid = page.locator(f"{DRILLDOWN} table[role='grid']")
    expect(grid).to_have_attribute("aria-rowcount", str(mqls + 1), timeout=TIMEOUT_MS)
    first_row = grid.locator("tbody tr").first.locator("td").all_inner_texts()
    assert first_row[0].startswith("lead?lead_id=L"), first_row
    assert first_row[4] in FUNNEL_STAGES[FUNNEL_STAGES.index("MQL") :], first_row
    shot = screenshot_dir / "funnel.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000


def test_the_conversion_page_shows_the_key_rates(
    page: Page, server_url: str, screenshot_dir: Path
) -> None:
    open_page(page, server_url, "Conversion")
    tiles = page.locator(".st-key-rate_tile_MQL_SQL [data-testid='stMetricValue']")
    expect(tiles).to_contain_text("%", timeout=TIMEOUT_MS)
    page.locator(".st-key-rates_source_chart svg.main-svg").first.wait_for(timeout=TIMEOUT_MS)
    # Widgets are drawn as placeholders until their code has loaded: wait for the real ones.
    expect(page.get_by_text("Show the working draft")).to_be_visible(timeout=TIMEOUT_MS)
    page.locator("[data-testid='stNumberInput'] input").first.wait_for(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    shot = screenshot_dir / "conversion.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
