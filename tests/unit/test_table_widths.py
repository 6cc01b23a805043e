"""Tables fit a 1440x900 screen: every shown column has a pixel width, and the widths add
up to less than the room the table gets there (measured in the browser: the follow-up
queue 978 px, its selection boxes 32 px; the browser test checks the queue itself)."""

from __future__ import annotations

import pandas as pd

from components.calibration.suggestion_panel import CURRENT_COLUMNS, SUGGESTED_COLUMNS
from components.definitions.history_panel import VERSION_COLUMNS
from components.follow_up.queue_table import _COLUMNS, SHOWN_COLUMNS, display_frame

FULL_WIDTH_PX = 978  # a full-width table at 1440x900, sidebar open
FULL_WIDTH_1280_PX = 818  # and at 1280x720
SELECTION_PX = 32


def _widths(config: dict[str, dict[str, object]], shown: tuple[str, ...] | None = None) -> list:
    return [config[name]["width"] for name in (shown or tuple(config))]


def test_the_queue_columns_fit_beside_the_selection_boxes():
    widths = _widths(_COLUMNS, SHOWN_COLUMNS)
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) + SELECTION_PX <= FULL_WIDTH_PX


def test_the_queue_shows_every_column_it_builds_but_the_team():
    rows = pd.DataFrame(
        {
            "external_id": ["L1"], "name": ["Ann"], "company": ["Co"], "status": ["overdue"],
            "hours_waiting": [30.0], "score": [61.4], "owner": ["Bo"], "team": ["SMB sales"],
            "source": ["web"], "stage": ["MQL"], "mql_because": ["score ≥ 60"],
        }
    )  # fmt: skip
    columns = list(display_frame(rows).columns)
    assert set(columns) == set(_COLUMNS)
    assert [c for c in columns if c not in SHOWN_COLUMNS] == ["team"]


def test_the_version_history_fits_a_full_width_table():
    widths = _widths(VERSION_COLUMNS)
    assert all(isinstance(w, int) for w in widths)
    assert sum(widths) <= FULL_WIDTH_1280_PX


def test_the_suggested_and_current_rules_fit_their_columns():
    # st.columns([3, 2], gap="large") at 1280x720 (measured): 458 px and about 300 px.
    assert sum(_widths(SUGGESTED_COLUMNS)) <= 458
    assert sum(_widths(CURRENT_COLUMNS)) <= 300
