"""Helpers for the AppTests of the analytics pages (funnel, conversion)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.sqlite_copy import copy_sqlite

# Absolute: AppTest resolves a relative path against the calling file, not the repo root.
APP = Path(__file__).resolve().parents[2] / "app.py"
FUNNEL_PAGE = "pages/funnel.py"
CONVERSION_PAGE = "pages/conversion.py"


def open_page(page: str) -> AppTest:
    """The app (DATABASE_URL must be set) run on `page`, with no exception.

    Switched before the first run, so the home page is not run first (our pages have no
    custom url_path, so the file name finds them).
    """
    at = AppTest.from_file(APP, default_timeout=60).switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def copy_database(url: str, to: Path) -> str:
    """A copy of a SQLite database (already migrated and seeded): cheaper than seeding."""
    return copy_sqlite(Path(url.removeprefix("sqlite:///")), to)


def figure(at: AppTest, key: str) -> dict[str, Any]:
    """The Plotly figure (as JSON) of the chart with `key`."""
    return json.loads(at.get_by_key(key).proto.spec)


def table(at: AppTest, key: str) -> pd.DataFrame:
    """The frame shown by `components.common.tables.render_table(..., key=key)`."""
    return at.get_by_key(f"table_{key}").dataframe[0].value


def rows(frame: pd.DataFrame, *columns: str) -> list[tuple[Any, ...]]:
    """Rows as tuples; NaN becomes None so that rows compare with ==."""
    part = frame[list(columns)].astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in part.itertuples(False)]


def sankey_links(spec: dict[str, Any]) -> dict[tuple[str, str], int]:
    trace = spec["data"][0]
    labels = trace["node"]["label"]
    link = trace["link"]
    return {
        (labels[s], labels[t]): int(v)
        for s, t, v in zip(link["source"], link["target"], link["value"], strict=True)
    }


def funnel_counts(at: AppTest) -> list[list[int]]:
    """The bar values of each trace of the funnel chart."""
    return [list(trace["x"]) for trace in figure(at, "funnel_chart")["data"]]


def infos(at: AppTest) -> list[str]:
    return [i.value for i in at.info]
