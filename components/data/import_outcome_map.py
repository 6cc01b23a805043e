"""Two parts of the mapping editor for outcome and snapshot files: the snapshot date
(`as_of`), and the stage-value table (each value found in the file's stage column -> one of
Baton's stages), filled from the preset or saved mapping and editable.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

import pandas as pd
import streamlit as st

from components.common.literal import md
from domain.importing import CsvSource, ImportFileError, Mapping
from domain.importing.fields import OUTCOME_STAGES

NOT_MAPPED = "(not mapped)"
STAGE_LABELS: dict[str, str] = {
    "none": "none (record nothing)",
    "sal": "SAL (accepted)",
    "sql": "SQL (qualified)",
    "opportunity": "Opportunity",
    "won": "Won",
    "lost": "Lost",
    "disqualified": "Disqualified",
    "recycled": "Recycled",
}
_LABEL_TO_STAGE = {label: stage for stage, label in STAGE_LABELS.items()}
_BY_NAME = {
    **{name: name for name in OUTCOME_STAGES if name != "none"},
    "qualified": "sql",
    "accepted": "sal",
    "closed won": "won",
    "closed lost": "lost",
}


def render_as_of(key: str, kind: str, base: Mapping, revision: int) -> str | None:
    """The snapshot date picker (leads and outcomes files); its ISO date or None."""
    if kind not in ("leads", "outcomes"):
        return None
    picked = st.date_input(
        "Snapshot date (as of)",
        value=date.fromisoformat(base.as_of) if base.as_of else None,
        key=f"{key}_as_of_{revision}",
        help="For an export without dates: its leads are created on this day and its "
        "outcomes without a date happen on it. Leave empty for a file with dates.",
    )
    return picked.isoformat() if isinstance(picked, date) else None


def render_stage_map(
    key: str, source: CsvSource, fields: dict[str, str], base: Mapping, revision: int
) -> dict[str, str]:
    """The value -> Baton stage table for the mapped stage column; the `stages` map."""
    column = fields.get("stage")
    if column is None or column not in source.header:
        return {}
    try:
        counts = stage_value_counts(key, source, column)
    except ImportFileError as exc:
        st.error(f"The stage column could not be read: {md(str(exc))}", icon=":material/error:")
        return {}
    frame = stage_table(counts, base)
    # The column name is file text: shown literally, never as Markdown.
    st.markdown("**Stages**: which Baton stage each value of the stage column means")
    st.text(f"Stage column: {column}")
    edited = st.data_editor(
        frame,
        key=f"{key}_stages_{column}_{revision}",
        hide_index=True,
        width="stretch",
        disabled=("value", "rows"),
        column_config={
            "value": st.column_config.TextColumn("Value in the file"),
            "rows": st.column_config.NumberColumn("Rows", format="%d"),
            "stage": st.column_config.SelectboxColumn(
                "Baton stage", options=[NOT_MAPPED, *STAGE_LABELS.values()], required=True
            ),
        },
    )
    st.caption(
        f"A row whose value is {NOT_MAPPED} is rejected. Reaching a stage counts the earlier "
        "ones in the funnel; “none” records nothing (Baton judges MQL itself)."
    )
    return stages_from_table(edited)


def stage_value_counts(key: str, source: CsvSource, column: str) -> Counter[str]:
    """Every non-blank value of `column` in the whole file, with its count (read once)."""
    cache_key = f"{key}_stage_values_{column}"
    cached = st.session_state.get(cache_key)
    if isinstance(cached, Counter):
        return cached
    counts: Counter[str] = Counter()
    for chunk in source.chunks():
        values = chunk[column].dropna().astype(str).str.strip()
        counts.update(values[values != ""].tolist())
    st.session_state[cache_key] = counts
    return counts


def stage_table(counts: Counter[str], base: Mapping) -> pd.DataFrame:
    """One row per value (most frequent first) with the stage the base mapping gives it."""
    values = [value for value, _ in counts.most_common()]
    # Without a preset's map, values named like a Baton stage ("Won", "lost") are guessed.
    guide = base if base.stages else Mapping(kind="outcomes", stages=_BY_NAME)
    stages = [guide.stage_target(v) for v in values]
    return pd.DataFrame(
        {
            "value": values,
            "rows": [counts[v] for v in values],
            "stage": [STAGE_LABELS[s] if s in OUTCOME_STAGES else NOT_MAPPED for s in stages],
        }
    )


def stages_from_table(edited: pd.DataFrame) -> dict[str, str]:
    return {
        str(row["value"]): _LABEL_TO_STAGE[row["stage"]]
        for _, row in edited.iterrows()
        if row["stage"] in _LABEL_TO_STAGE
    }
