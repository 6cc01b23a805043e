"""Tables that can be downloaded: st.dataframe plus a CSV of exactly the frame shown."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
import streamlit as st

from domain.common.csv_safety import safe_csv
from domain.common.numbers import COLUMN_COUNT, FRACTION_STEP


# Column configs shared by the analytics tables (rates are fractions: 0.25 shows as 25.0%).
def rate_column(label: str, help: str | None = None) -> Any:
    # Streamlit's "percent" shows two decimals ("17.19%") unless a step sets the precision:
    # the step gives the app's one decimal (domain.common.numbers), with the data left as fractions.
    return st.column_config.NumberColumn(label, format="percent", step=FRACTION_STEP, help=help)


def count_column(label: str, help: str | None = None) -> Any:
    return st.column_config.NumberColumn(label, format=COLUMN_COUNT, help=help)


def number_column(label: str, format: str = "%.1f", help: str | None = None) -> Any:
    return st.column_config.NumberColumn(label, format=format, help=help)


def arrows(text: str) -> str:
    """ "MQL -> SQL" as people read it: "MQL → SQL" (the domain and the CLI keep "->")."""
    return text.replace("->", "→")


def with_arrows(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """A copy whose `column` of step names reads with arrows."""
    return frame.assign(**{column: frame[column].map(arrows)})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The frame as UTF-8 CSV without the index (timestamps in ISO 8601)."""
    return safe_csv(frame, date_format="%Y-%m-%dT%H:%M:%SZ").encode("utf-8")


def render_table(
    frame: pd.DataFrame,
    *,
    key: str,
    file_name: str,
    column_config: Mapping[str, Any] | None = None,
    height: int | Literal["auto"] = "auto",
) -> None:
    """The table and a "Download CSV" button under it (key `<key>_csv`), both inside a
    container keyed `table_<key>` (a stable hook for tests).

    The CSV is built only when the button is clicked, and clicking does not rerun the app.
    """
    with st.container(key=f"table_{key}"):
        st.dataframe(
            frame,
            key=key,
            hide_index=True,
            width="stretch",
            height=height,
            column_config=dict(column_config or {}),
        )
        st.download_button(
            "Download CSV",
            data=lambda: csv_bytes(frame),
            file_name=file_name,
            mime="text/csv",
            key=f"{key}_csv",
            icon=":material/download:",
            on_click="ignore",
            type="tertiary",
        )
