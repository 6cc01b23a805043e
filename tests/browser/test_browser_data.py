"""The Data page in a real browser: upload a CSV on the uploader, import it, read the counts.

It runs its own server on its own small database: an import into the shared browser
database would change the lead counts the other browser tests check.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import Page, expect

from components.data.import_source import upload_from
from data.seed import ensure_published
from db import repository as repo
from db.engine import get_engine
from db.migrate import upgrade
from tests.browser.conftest import streamlit_server
from tests.browser.pages import TIMEOUT_MS, wait_for_idle

pytestmark = pytest.mark.browser

CONTACTS = (
    "Record ID,First Name,Last Name,Email,Create Date,Contact owner,Original Source,Job Title,"
    "Seniority\n"
    "201,Ann,Lee,ann@example.com,2024-01-05,Sam Rivera,Organic Search,CTO,senior\n"
    "202,Bob,Ray,bob@example.com,not a date,Sam Rivera,Paid Social,CEO,junior\n"
    "203,Cy,Oh,cy@example.com,2024-02-11,Sam Rivera,Events,VP Sales,senior\n"
)


@pytest.fixture(scope="module")
def data_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Two leads already there (so the app does not seed its demo), nothing else."""
    url = f"sqlite:///{tmp_path_factory.mktemp('baton-data') / 'data.db'}"
    engine = get_engine(url)
    upgrade(engine)
    ensure_published(engine)
    repo.insert_leads(engine, pd.DataFrame({"external_id": ["A1", "A2"]}))
    engine.dispose()
    return url


@pytest.fixture(scope="module")
def data_server(
    chromium_path: Path, data_db: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    log_path = tmp_path_factory.mktemp("data-server-log") / "server.log"
    with streamlit_server(data_db, log_path) as url:
        yield url


def metric(page: Page, label: str) -> str:
    tile = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return tile.locator("[data-testid='stMetricValue']").inner_text()


def test_a_csv_uploaded_in_the_browser_imports_and_shows_its_counts(
    page: Page, data_server: str, data_db: str, tmp_path: Path, screenshot_dir: Path
) -> None:
    file = tmp_path / "contacts.csv"
    file.write_text(CONTACTS)
    key = upload_from("contacts.csv", CONTACTS.encode()).key
    page.goto(f"{data_server}/data", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible()
    page.locator(".st-key-data_upload input[type='file']").set_input_files(str(file))
    box = page.locator(f".st-key-{key}_box")
    expect(box).to_contain_text("HubSpot contacts", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    table = page.locator(f".st-key-{key}_map_0")
    expect(table).to_be_visible()
    box.screenshot(path=str(screenshot_dir / "data-mapping.png"))

    page.locator(f".st-key-{key}_import button").click()
    expect(box).to_contain_text("inserted 2", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    assert metric(page, "Inserted") == "2"
    assert metric(page, "Rejected") == "1"
    expect(box).to_contain_text("Create Date")  # the rejected cell's column
    page.screenshot(path=str(screenshot_dir / "data-imported.png"), full_page=True)
    leads = repo.load_leads(get_engine(data_db))
    assert set(leads["external_id"]) == {"A1", "A2", "201", "203"}


def test_delete_all_data_offers_the_backup_before_the_confirmation(
    page: Page, data_server: str, screenshot_dir: Path
) -> None:
    page.goto(f"{data_server}/data", timeout=TIMEOUT_MS)
    wait_for_idle(page)
    page.get_by_role("tab", name="Demo and reset").click()
    backup = page.locator(".st-key-data_backup_zip")
    confirm = page.locator(".st-key-data_delete_confirm")
    expect(backup).to_be_visible()
    expect(page.locator(".st-key-data_delete button")).to_be_disabled()
    assert backup.bounding_box()["y"] < confirm.bounding_box()["y"]  # type: ignore[index]
    page.screenshot(path=str(screenshot_dir / "data-reset.png"))
