"""The home page, run headless through AppTest against a small seeded SQLite database."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from components.funnel.funnel_chart import build_funnel_figure
from data.seed import ensure_seeded
from db import repository as repo
from db.engine import get_engine
from tests.app.seeded_db import SMALL_SEED, seeded_copy

# Absolute: AppTest resolves a relative path against this test file, not the repo root.
APP = Path(__file__).resolve().parents[2] / "app.py"


@pytest.fixture(scope="session")
def seeded_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    base = tmp_path_factory.getbasetemp()
    return seeded_copy(base, tmp_path_factory.mktemp("baton") / "home.db")


@pytest.fixture(scope="session")
def leads(seeded_url: str) -> pd.DataFrame:
    return repo.load_leads(get_engine(seeded_url))


@pytest.fixture
def app(seeded_url: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", seeded_url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def tile_value(at: AppTest, key: str) -> str:
    return at.get_by_key(key).metric[0].value


def date_range(at: AppTest) -> tuple[date, date]:
    value = at.date_input(key="filter_created").value
    assert isinstance(value, tuple) and len(value) == 2
    return value[0], value[1]


def as_int(text: str) -> int:
    return int(text.replace(",", ""))


def test_home_page_shows_the_title_and_published_version(app: AppTest) -> None:
    assert app.title[0].value.startswith("Baton — one shared definition")
    assert any("definition **v1**" in m.value for m in app.markdown)


def test_leads_tile_counts_every_lead_in_the_database(app: AppTest, leads: pd.DataFrame) -> None:
    assert as_int(tile_value(app, "kpi_leads")) == len(leads) == SMALL_SEED


def test_kpi_tiles_are_plausible(app: AppTest) -> None:
    leads = as_int(tile_value(app, "kpi_leads"))
    mqls = as_int(tile_value(app, "kpi_mqls"))
    sqls = as_int(tile_value(app, "kpi_sqls"))
    assert 0 < sqls < mqls < leads
    rate = float(tile_value(app, "kpi_mql_sql").rstrip("%")) / 100
    # Reaching SQL implies having reached MQL, so the rate is SQLs over MQLs (to the
    # tile's one-decimal rounding).
    assert rate == pytest.approx(sqls / mqls, abs=0.0006)
    assert tile_value(app, "kpi_never_followed").endswith("%")


def test_funnel_chart_is_rendered(app: AppTest) -> None:
    charts = app.get("plotly_chart")
    assert len(charts) == 1
    assert "Suspect" in charts[0].proto.spec and "Won" in charts[0].proto.spec


def test_conversion_table_lists_the_key_rates(app: AppTest) -> None:
    table = app.dataframe[0].value
    assert list(table["rate"]) == ["Lead → MQL", "MQL → SQL", "SQL → Won"]
    assert (table["converted"] <= table["from"]).all()


def test_source_filter_narrows_the_leads_tile(app: AppTest, leads: pd.DataFrame) -> None:
    source = leads["source"].value_counts().index[-1]
    app.multiselect(key="filter_source").set_value([source]).run()
    assert not app.exception
    assert as_int(tile_value(app, "kpi_leads")) == int((leads["source"] == source).sum())
    assert as_int(tile_value(app, "kpi_leads")) < len(leads)


def test_clear_filters_restores_all_leads(app: AppTest, leads: pd.DataFrame) -> None:
    app.multiselect(key="filter_owner").set_value([leads["owner"].dropna().iloc[0]]).run()
    assert as_int(tile_value(app, "kpi_leads")) < len(leads)
    app.button(key="filter_clear").click().run()
    assert app.multiselect(key="filter_owner").value == []
    assert as_int(tile_value(app, "kpi_leads")) == len(leads)


def test_filters_matching_nothing_show_what_to_do(app: AppTest, leads: pd.DataFrame) -> None:
    day, source = _day_and_source_without_leads(leads)
    app.date_input(key="filter_created").set_value((day, day))
    app.multiselect(key="filter_source").set_value([source]).run()
    assert not app.exception
    assert any("No leads match these filters" in i.value for i in app.info)
    assert not app.get("plotly_chart")


def test_a_database_emptied_while_running_says_how_to_seed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'emptied.db'}"
    ensure_seeded(get_engine(url), n_leads=200)
    monkeypatch.setenv("DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert as_int(tile_value(at, "kpi_leads")) == 200
    repo.delete_all_data(get_engine(url))
    at.run()
    assert not at.exception
    assert any("python cli.py seed" in i.value for i in at.info)


def test_bad_database_url_shows_a_friendly_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://user:secret@localhost/baton")
    at = AppTest.from_file(APP, default_timeout=60).run()
    assert not at.exception
    message = at.error[0].value
    assert "could not open its database" in message and "DATABASE_URL" in message
    assert "secret" not in message


def test_date_range_follows_newer_data_unless_narrowed(app: AppTest) -> None:
    first, last = date_range(app)
    older = (first, last - timedelta(days=30))
    # As if the session had drawn the range before newer leads were imported.
    app.session_state["filter_created_bounds"] = older
    app.session_state["filter_created"] = older
    app.run()
    assert date_range(app) == (first, last)

    narrowed = (first, first + timedelta(days=7))
    app.date_input(key="filter_created").set_value(narrowed).run()
    app.session_state["filter_created_bounds"] = older
    app.run()
    assert date_range(app) == narrowed


def test_funnel_figure_labels_each_stage_with_count_and_share_of_previous() -> None:
    frame = pd.DataFrame(
        {
            "stage": ["Lead", "MQL", "SQL"],
            "leads": [1000, 250, 0],
            "from_previous": [float("nan"), 0.25, 0.0],
        }
    )
    trace = build_funnel_figure(frame).data[0]
    assert list(trace.y) == ["Lead", "MQL", "SQL"]
    assert list(trace.text) == ["1,000", "250 · 25.0% of previous", "0 · 0.0% of previous"]
    assert list(frame["leads"]) == [1000, 250, 0]  # the input is left untouched


def _day_and_source_without_leads(leads: pd.DataFrame) -> tuple[date, str]:
    days = leads["created_at"].dt.date
    for day in sorted(days.unique()):
        missing = set(leads["source"]) - set(leads.loc[days == day, "source"])
        if missing:
            return day, sorted(missing)[0]
    raise AssertionError("every day has every source: pick a bigger range of data")
