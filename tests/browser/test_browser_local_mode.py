"""Local mode in a real browser: labelled, and who you are survives a link in a new tab."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.pages import TIMEOUT_MS, wait_for_idle

pytestmark = pytest.mark.browser

NAME = "Rep Ødegård"


def test_a_lead_opened_in_a_new_tab_still_knows_your_name_and_team(
    page: Page, server_url: str
) -> None:
    page.goto(f"{server_url}/follow_up", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    expect(page.get_by_text("Local mode: anyone here can sign for any team.")).to_be_visible()
    field = page.locator(".st-key-identity_name input")
    field.fill(NAME)
    field.press("Enter")
    wait_for_idle(page)
    page.locator(".st-key-identity_team").get_by_text("Sales").click()
    expect(page.get_by_text(f"Acting as {NAME}")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    expect(page).to_have_url(re.compile(r"as=Rep.*team=sales"))
    cell = page.get_by_test_id("glide-cell-1-0").first
    # The grid redraws a moment later, and first with the name alone (before the team was
    # picked): wait for the link that carries both.
    expect(cell).to_contain_text("team=sales", timeout=TIMEOUT_MS)
    href = cell.text_content() or ""
    assert href.startswith("lead?as=Rep+%C3%98deg%C3%A5rd&team=sales&lead_id="), href

    tab = page.context.new_page()  # what "open in a new tab" does: a new session
    tab.goto(f"{server_url}/{href}", timeout=TIMEOUT_MS)
    expect(tab.locator(".st-key-lead_breakdown")).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(tab)

    expect(tab.locator(".st-key-identity_name input")).to_have_value(NAME)
    expect(tab.locator(".st-key-identity_team input[type='radio']").nth(1)).to_be_checked()
    expect(tab.get_by_text(f"Acting as {NAME}")).to_be_visible()
    tab.get_by_role("link", name="Funnel").first.click()
    wait_for_idle(tab)
    expect(tab.locator(".st-key-identity_name input")).to_have_value(NAME)
    expect(tab).to_have_url(re.compile(r"as=Rep"))
