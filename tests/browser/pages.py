"""What every browser test does with a page: wait for the app to be idle, open a page."""

from __future__ import annotations

from playwright.sync_api import Page, expect

TIMEOUT_MS = 60_000
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def wait_for_idle(page: Page) -> None:
    page.wait_for_selector(IDLE, timeout=TIMEOUT_MS)


def open_page(page: Page, url: str, title: str) -> None:
    """Through the home page and the menu, as a user does.

    A first request straight to a page's URL on a fresh server would run the page without
    app.py (Streamlit's legacy pages-folder mode; see components/shell/app_shell.py).
    """
    page.goto(url, timeout=TIMEOUT_MS)
    wait_for_idle(page)
    follow_menu(page, title)


def follow_menu(page: Page, title: str) -> None:
    """From a page of the app already open: the menu entry `title`, and its page idle."""
    page.get_by_role("link", name=title).first.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
