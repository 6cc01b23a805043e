"""Hostile imported text is shown literally on every page, and no request leaves the machine.

Leads are imported from a CSV (as a user would) whose names, companies, titles, owners and
ids are Markdown images and links, HTML, backticks, right-to-left text and a 10 KB string;
then actions record hostile owners and notes. Every page that shows them is opened in
Chromium with a listener on every request, in one tab that moves through the menu.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect

from components.common.literal import WORD_JOINER
from data.seed import ensure_seeded
from db import repository as repo
from db.engine import get_engine
from db.follow_up.actions_repo import apply_action
from domain.follow_up.actions import LogTouch, Reassign
from domain.importing import read_csv_source, suggest_mapping
from tests.browser.conftest import STARTUP_TIMEOUT_S, streamlit_server
from tests.browser.pages import TIMEOUT_MS, wait_for_idle

EVIL = "evil.example"
HOSTILE_ID = "ev`il&lead_id=x#frag"
NAME = f"![t](http://{EVIL}/x.png) [click](http://{EVIL}/p)"
COMPANY = f"<img src=http://{EVIL}/y.png> <b>bold</b> & co"
TITLE = "`tick` **star** :red[red] $x^2$"
OWNER = "\u202eRTL owner \u05e9\u05dc\u05d5\u05dd [o](http://evil.example/o)"
LONG_ID = "long-lead"
LONG_NAME = "L" * 4_995 + " _x_ " + "M" * 5_000  # 10,000 characters: the cell limit
NOTE = f"see ![n](http://{EVIL}/n.png) `note`"
ACTOR = "**Mallory** [m](http://evil.example/m)"
# menu entry: the page's heading
PAGES = {
    "Home": "Baton — one shared definition of a qualified lead",
    "Funnel": "Funnel",
    "Conversion": "Conversion",
    "Follow-up": "Follow-up",
    "Definitions": "Definitions workspace",
    "Calibration": "Calibration",
    "Data": "Data",
}


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _import(engine, path: Path, kind: str) -> None:  # type: ignore[no-untyped-def]
    source = read_csv_source(path)
    report = repo.import_csv(engine, source, suggest_mapping(kind, source.header), actor=ACTOR)
    assert report.rejected == 0, report.rejects


def _hostile_database(folder: Path) -> str:
    url = f"sqlite:///{folder / 'hostile.db'}"
    engine = get_engine(url)
    ensure_seeded(engine, n_leads=400)
    recent = (datetime.now(UTC) - timedelta(hours=3)).strftime("%Y-%m-%d %H:%M:%S")
    leads = [
        [HOSTILE_ID, NAME, COMPANY, TITLE, "Imported Owner", OWNER, recent],
        [LONG_ID, LONG_NAME, COMPANY, TITLE, OWNER, OWNER, recent],
    ]
    header = ["external_id", "name", "company", "title", "owner", "source", "created_at"]
    _import(engine, _write_csv(folder / "leads.csv", header, leads), "leads")
    activities = [[i, "demo_request", recent] for i in (HOSTILE_ID, LONG_ID)]
    header = ["external_id", "activity_type", "occurred_at"]
    _import(engine, _write_csv(folder / "activities.csv", header, activities), "activities")
    ids = repo.load_leads(engine).set_index("external_id")["lead_id"]
    apply_action(engine, lead_id=int(ids[HOSTILE_ID]), action=Reassign(OWNER), actor=ACTOR)
    touch = LogTouch(channel="call", note=NOTE, rep=ACTOR)
    apply_action(engine, lead_id=int(ids[LONG_ID]), action=touch, actor=ACTOR)
    return url


@pytest.fixture(scope="module")
def hostile_url(chromium_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("hostile")
    database = _hostile_database(folder)
    with streamlit_server(database, folder / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def _watched_tab(browser: Browser, hostile_url: str) -> Iterator[tuple[Page, list[str]]]:
    """One tab for the module, with the app shell open (see tests/browser/pages.py), and the
    list of every request it made to another host than 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000})
    outside: list[str] = []
    context.on(
        "request",
        lambda r: (
            None
            if urlsplit(r.url).scheme in {"data", "blob"} or urlsplit(r.url).hostname == "127.0.0.1"
            else outside.append(r.url)
        ),
    )
    page = context.new_page()
    page.set_default_timeout(STARTUP_TIMEOUT_S * 1000)
    try:
        page.goto(hostile_url, timeout=TIMEOUT_MS)
        wait_for_idle(page)
        yield page, outside
    finally:
        context.close()


@pytest.fixture
def watched(_watched_tab: tuple[Page, list[str]]) -> tuple[Page, list[str]]:
    """The shared tab, and the requests to other hosts from this test on."""
    page, outside = _watched_tab
    outside.clear()
    return page, outside


def _visible(locator) -> str:  # type: ignore[no-untyped-def]
    """The text as read: without the invisible word joiners that stop auto-links."""
    return str(locator.inner_text()).replace(WORD_JOINER, "")


def _no_live_markup(page: Page) -> None:
    assert page.locator(f"a[href*='{EVIL}']").count() == 0
    assert page.locator(f"img[src*='{EVIL}']").count() == 0
    assert page.locator("[data-testid='stException']").count() == 0


def _open_lead(page: Page, url: str, external_id: str) -> None:
    page.goto(f"{url}/lead?lead_id={quote(external_id, safe='')}", timeout=TIMEOUT_MS)
    wait_for_idle(page)


def test_the_lead_page_shows_hostile_text_literally(hostile_url, watched):
    page, outside = watched
    _open_lead(page, hostile_url, HOSTILE_ID)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    assert _visible(heading) == NAME
    caption = page.locator("[data-testid='stCaptionContainer']").filter(has_text="owner").first
    for text in (HOSTILE_ID, COMPANY, TITLE, OWNER):
        assert text in _visible(caption)
    history = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Mallory")
    assert ACTOR in _visible(history.first)
    assert OWNER in _visible(history.first)
    _no_live_markup(page)
    assert outside == []


def test_a_ten_kilobyte_name_and_a_hostile_note_show_in_full(hostile_url, watched):
    page, outside = watched
    _open_lead(page, hostile_url, LONG_ID)
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    assert _visible(heading) == LONG_NAME
    history = page.locator("[data-testid='stMarkdownContainer']").filter(has_text="Mallory")
    assert NOTE in _visible(history.first)
    _no_live_markup(page)
    assert outside == []


def test_an_unknown_id_with_a_backtick_does_not_break_out(hostile_url, watched):
    page, outside = watched
    wanted = "nope` ![i](http://evil.example/i.png) `"
    _open_lead(page, hostile_url, wanted)
    alert = page.locator("[data-testid='stAlertContainer']").filter(has_text="no lead with id")
    assert f"There is no lead with id {wanted}." in _visible(alert.first)
    page.get_by_label("Find a lead").fill("ev`il")
    page.keyboard.press("Enter")
    wait_for_idle(page)
    link = page.locator("[data-testid='stPageLink']").first
    assert f"{HOSTILE_ID} · {NAME} · {COMPANY}" in _visible(link)
    _no_live_markup(page)
    assert outside == []


@pytest.mark.parametrize("entry", PAGES)
def test_every_page_shows_the_hostile_data_without_outside_requests(hostile_url, watched, entry):
    page, outside = watched
    page.get_by_role("link", name=entry).first.click()
    heading = page.get_by_role("heading", name=PAGES[entry], level=1)
    expect(heading).to_be_visible(timeout=TIMEOUT_MS)
    wait_for_idle(page)
    _no_live_markup(page)
    assert outside == []
