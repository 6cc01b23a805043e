"""The follow-up queue in a real browser: log a touch on a never-followed-up lead."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from db import repository as repo
from db.engine import get_engine
from tests.browser.pages import IDLE, TIMEOUT_MS

pytestmark = pytest.mark.browser

TESTER = "Browser Tester"
# st.dataframe draws on a canvas: rows are 35 px under a 35 px header, and the
# selection boxes sit in a narrow column on the left.
ROW_PX, HEADER_PX, BOX_X_PX = 35, 35, 18


def wait_for_idle(page: Page) -> None:
    page.wait_for_timeout(300)  # let a rerun the last interaction triggered start
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def open_follow_up(page: Page, server_url: str) -> None:
    page.goto(f"{server_url}/follow_up", timeout=TIMEOUT_MS)
    page.locator(".st-key-fu_kpi_never [data-testid='stMetricDelta']").wait_for(timeout=TIMEOUT_MS)
    wait_for_idle(page)


def say_who_i_am(page: Page) -> None:
    # The shared sidebar asks for a name when it has a "You" section; else the page does.
    field = page.locator(".st-key-identity_name input, .st-key-acting_user input").first
    field.fill(TESTER)
    field.press("Enter")
    expect(page.get_by_text(f"Acting as {TESTER}")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)


def never_count(page: Page) -> int:
    text = page.locator(".st-key-fu_kpi_never [data-testid='stMetricDelta']").inner_text()
    return int(text.split(" of ")[0].replace(",", ""))


def select_first_row(page: Page) -> None:
    box = page.locator("[data-testid='stDataFrame'] canvas").first.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + BOX_X_PX, box["y"] + HEADER_PX + ROW_PX // 2)
    wait_for_idle(page)


def test_a_touch_logged_from_the_queue_takes_the_lead_off_the_never_list(
    page: Page, server_url: str, database_url: str, screenshot_dir: Path
) -> None:
    open_follow_up(page, server_url)
    say_who_i_am(page)
    page.locator(".st-key-fu_view").get_by_text("Never followed up", exact=True).click()
    expect(page.locator(".st-key-fu_never_search")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    before = never_count(page)
    first_link = page.get_by_test_id("glide-cell-1-0").first.text_content() or ""
    external_id = first_link.split("lead_id=")[-1]
    assert external_id, first_link

    search = page.locator(".st-key-fu_never_search input")
    search.fill(external_id)
    search.press("Enter")
    expect(page.get_by_text("Rows 1–1 of 1")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    select_first_row(page)
    submit = page.get_by_role("button", name=re.compile(f"Log a touch · {external_id}"))
    expect(submit).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    page.screenshot(path=str(screenshot_dir / "follow_up.png"), full_page=True)
    submit.click()

    confirmation = page.get_by_text(f"{external_id}: Logged a call").first
    expect(confirmation).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    expect(page.get_by_text("No leads", exact=True)).to_be_visible()
    assert never_count(page) == before - 1
    touches = repo.load_touches(get_engine(database_url))
    assert (touches["rep"] == TESTER).sum() == 1


def test_the_lead_page_opens_from_a_shared_link(
    page: Page, server_url: str, screenshot_dir: Path
) -> None:
    open_follow_up(page, server_url)
    # The Lead cell's link, relative to the app: what a click opens in a new tab.
    href = page.get_by_test_id("glide-cell-1-0").first.text_content() or ""
    assert href.startswith("lead?lead_id="), href
    external_id = href.split("lead_id=")[-1]

    page.goto(f"{server_url}/{href}", timeout=TIMEOUT_MS)

    expect(page.locator(".st-key-lead_breakdown")).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_text(external_id).first).to_be_visible()
    wait_for_idle(page)
    page.screenshot(path=str(screenshot_dir / "lead.png"), full_page=True)

    # Found by search instead, the lead's address is the link to share all the same.
    page.goto(f"{server_url}/lead", timeout=TIMEOUT_MS)
    search = page.locator(".st-key-lead_search input")
    search.fill(external_id)
    search.press("Enter")
    page.get_by_text(f"{external_id} · ").first.click()
    expect(page).to_have_url(re.compile(f"lead\\?lead_id={external_id}$"), timeout=TIMEOUT_MS)
