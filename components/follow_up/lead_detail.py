"""One lead on screen: profile, stages, score explained (and under the draft), timeline.

Pure shaping lives in `domain.follow_up.lead_view`; this module only draws.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.literal import md
from components.follow_up.lead_actions import ActionContext, undo_button
from domain.common.numbers import count, number
from domain.engine.frames import LEAD_CORE_COLUMNS
from domain.follow_up.lead_view import compare_explanations, points_text, stage_dates
from domain.follow_up.queue import STATUS_LABELS, team_of

PROFILE_FIELDS = (
    "name", "title", "email", "company", "industry", "company_size", "country", "source",
    "segment", "owner", "created_at",
)  # fmt: skip
TIMELINE_ROWS = 200


def render_profile(lead: pd.Series) -> None:
    """Core attributes, the team, then every custom attribute the import brought."""
    fields = {
        name.replace("_", " ").capitalize(): _shown(lead.get(name)) for name in PROFILE_FIELDS
    }
    fields["Team"] = team_of(pd.Series([lead.get("segment")])).iloc[0]
    custom = [c for c in lead.index if c not in LEAD_CORE_COLUMNS]
    for name in custom:
        fields[f"{name.replace('_', ' ').capitalize()} (custom)"] = _shown(lead.get(name))
    with st.container(key="lead_profile"):
        st.dataframe(
            pd.DataFrame({"field": list(fields), "value": list(fields.values())}),
            hide_index=True,
            width="stretch",
            height=_fit_height(len(fields)),
            column_config={"field": st.column_config.TextColumn("Attribute"), "value": "Value"},
        )


def render_stages(scored: pd.Series, status: str | None) -> None:
    """The date of every stage the lead reached, and its follow-up status."""
    dates = stage_dates(scored.to_dict())
    dates["reached"] = dates["reached_at"].map(
        lambda t: "—" if pd.isna(t) else f"{t:%Y-%m-%d %H:%M}"
    )
    with st.container(key="lead_stages"):
        st.dataframe(
            dates[["stage", "reached"]],
            hide_index=True,
            width="stretch",
            column_config={"stage": "Stage", "reached": "Reached (UTC)"},
        )
    if status:
        st.caption(f"Follow-up: **{STATUS_LABELS.get(status, status)}**")


def render_score(lines: pd.DataFrame, total: float, threshold: float) -> None:
    """The score, rule by rule, in the words of the definition."""
    verdict = "reaches" if total >= threshold - 1e-6 else "is below"
    st.markdown(f"**{total:.0f} points** · {verdict} the MQL threshold of {threshold:g}")
    with st.container(key="lead_breakdown"):
        st.dataframe(
            lines[["line", "kind"]],
            hide_index=True,
            width="stretch",
            height=_fit_height(len(lines)),
            column_config={
                "line": st.column_config.TextColumn("Rule by rule (decay last)"),
                "kind": st.column_config.TextColumn("Kind", width="small"),
            },
        )


def render_draft(
    published: pd.DataFrame,
    draft: pd.DataFrame,
    scores: tuple[float, float],
    stages: tuple[str, str],
) -> None:
    """How the working draft would score this lead, rule by rule."""
    change = scores[1] - scores[0]
    stage_note = (
        f"stays **{stages[0]}**"
        if stages[0] == stages[1]
        else f"**{stages[1]}** instead of {stages[0]}"
    )
    st.markdown(
        f"Under the draft: **{scores[1]:.0f} points** ({points_text(change)}), {stage_note}."
    )
    diff = compare_explanations(published, draft)
    changed = diff[diff["change"].abs() >= 0.05]
    if changed.empty:
        st.caption("No rule scores this lead differently under the draft.")
        return
    with st.container(key="lead_draft_diff"):
        st.dataframe(
            changed.round(1),
            hide_index=True,
            width="stretch",
            column_config={
                "rule": st.column_config.TextColumn("Rule", width="large"),
                "published": st.column_config.NumberColumn("Published", format="%+.1f"),
                "draft": st.column_config.NumberColumn("Draft", format="%+.1f"),
                "change": st.column_config.NumberColumn("Change", format="%+.1f"),
            },
        )


def render_timeline(frame: pd.DataFrame) -> None:
    """Activities, sales touches and actions, newest first."""
    if frame.empty:
        st.caption("Nothing happened with this lead yet.")
        return
    shown = frame.head(TIMELINE_ROWS)
    with st.container(key="lead_timeline"):
        st.dataframe(
            shown.assign(at=shown["at"].dt.strftime("%Y-%m-%d %H:%M")),
            hide_index=True,
            width="stretch",
            column_config={"at": "When (UTC)", "kind": "Kind", "what": "What", "who": "Who"},
        )
    if len(frame) > TIMELINE_ROWS:
        st.caption(f"The latest {TIMELINE_ROWS} of {count(len(frame))} events.")


def render_history(history: pd.DataFrame, *, key: str, context: ActionContext) -> None:
    """Every action on the lead, newest first, each with Undo while it can be undone."""
    if history.empty:
        st.caption("No action was recorded on this lead yet.")
        return
    for entry in history.itertuples(index=False):
        when, what, undo = st.columns([1.2, 4, 1], vertical_alignment="center")
        when.caption(f"{entry.at:%Y-%m-%d %H:%M}")
        text = f"**{md(entry.actor)}** · {md(entry.summary)}"
        if pd.notna(entry.undone_at):
            text = f"~~{text}~~ · undone by {md(entry.undone_by)} {entry.undone_at:%Y-%m-%d %H:%M}"
        what.markdown(text)
        if entry.undoable:
            with undo:
                undo_button(key, int(entry.audit_id), context)


def _fit_height(rows: int) -> int:
    """Tall enough to show every row without scrolling inside the table."""
    return 38 + 35 * max(rows, 1)


def _shown(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[arg-type]
        return "—"
    if isinstance(value, pd.Timestamp):
        return f"{value:%Y-%m-%d %H:%M} UTC"
    if isinstance(value, float):
        return number(value)
    return str(value)
