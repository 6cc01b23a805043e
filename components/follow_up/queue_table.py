"""The follow-up queue on screen: its filters, KPI tiles, one page of rows, row selection.

Rows link to the lead page (`lead?lead_id=<external id>`, the same link every list uses).
The table's key is derived from the lead ids it shows: when they change (an action moved
leads out, another page, other filters) the selection starts empty, so a selection can
never point at rows that shifted under it.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from functools import partial

import pandas as pd
import streamlit as st

from components.common.kpis import format_share
from components.common.literal import lead_link
from components.shell.identity import identity_query
from domain.common.numbers import count
from domain.follow_up.queue import (
    STATUS_LABELS,
    URGENCY,
    QueueFilters,
    QueuePage,
    paginate,
    waiting_text,
)
from domain.follow_up.sla import NEVER_AFTER_DAYS

PAGE_SIZES = (25, 50, 100, 200)


def render_filters(
    key: str, teams: Sequence[str], stages: Sequence[str], user: str | None
) -> QueueFilters:
    """The queue's own filters (owner, source and dates are the sidebar's)."""
    mine, team, stage, status, search = st.columns([1.1, 1.4, 1.4, 1.6, 1.6])
    reset = partial(_first_page, key)
    only_mine = mine.toggle(
        "My queue", key=f"{key}_mine", disabled=user is None,
        help="Only the leads you own (say who you are first).", on_change=reset,
    )  # fmt: skip
    chosen_teams = team.multiselect(
        "Team", teams, key=f"{key}_teams", placeholder="All teams", on_change=reset
    )
    chosen_stages = stage.multiselect(
        "Stage", stages, key=f"{key}_stages", placeholder="All stages", on_change=reset
    )
    chosen_status = status.multiselect(
        "Status", URGENCY, key=f"{key}_status", format_func=STATUS_LABELS.__getitem__,
        placeholder="Every waiting status", on_change=reset,
    )  # fmt: skip
    text = search.text_input(
        "Find", key=f"{key}_search", placeholder="Lead id, name or company", on_change=reset
    )
    return QueueFilters(
        owners=(user,) if only_mine and user else (),
        teams=tuple(chosen_teams),
        stages=tuple(chosen_stages),
        statuses=tuple(chosen_status),
        search=text or "",
    )


def render_page(rows: pd.DataFrame, key: str) -> QueuePage:
    """Page size and number for `rows`; returns the page to show."""
    size_key, page_key = f"{key}_size", f"{key}_page"
    size = int(st.session_state.get(size_key) or PAGE_SIZES[1])
    pages = max(1, -(-len(rows) // size))
    if int(st.session_state.get(page_key) or 1) > pages:
        st.session_state[page_key] = pages
    left, middle, right = st.columns([1, 1, 4], vertical_alignment="bottom")
    left.selectbox(
        "Rows per page", PAGE_SIZES, index=1, key=size_key, on_change=_first_page, args=(key,)
    )
    number = middle.number_input("Page", min_value=1, max_value=pages, step=1, key=page_key)
    page = paginate(rows, int(number or 1), size)
    right.caption(
        f"Rows {count(page.first)}–{count(page.last)} of {count(page.total)} "
        f"· page {page.number} of {page.pages}"
        if page.total
        else "No leads"
    )
    return page


def render_rows(page: QueuePage, key: str) -> list[int]:
    """The page's rows as a table; returns the lead ids of the selected rows."""
    rows = page.rows
    digest = hashlib.sha1(rows.index.to_numpy().tobytes()).hexdigest()[:12]
    event = st.dataframe(
        display_frame(rows),
        key=f"{key}_table_{digest}",
        on_select="rerun",
        selection_mode="multi-row",
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * max(len(rows), 1), 38 + 35 * 15),
        column_config=_COLUMNS,
        column_order=SHOWN_COLUMNS,
    )
    picked = [p for p in event.selection.rows if 0 <= p < len(rows)]
    return [int(rows.index[p]) for p in picked]


def display_frame(rows: pd.DataFrame) -> pd.DataFrame:
    """What a rep reads: link, who, status with a mark, how long waiting, why an MQL."""
    status = rows["status"].map(lambda s: STATUS_LABELS.get(s, s))
    who = identity_query()
    return pd.DataFrame(
        {
            "lead": rows["external_id"].map(lambda e: lead_link(e, who)),
            "name": rows["name"],
            "company": rows["company"],
            "status": status,
            "waiting": rows["hours_waiting"].map(waiting_text),
            "score": rows["score"].round(0),
            "owner": rows["owner"],
            "team": rows["team"],
            "source": rows["source"],
            "stage": rows["stage"],
            "mql_because": rows["mql_because"],
        }
    ).reset_index(drop=True)


def never_caption() -> str:
    return (
        f"MQLs with no sales touch {NEVER_AFTER_DAYS} days after they became MQL, "
        "including those sales closed without a touch."
    )


def _first_page(key: str) -> None:
    st.session_state[f"{key}_page"] = 1


# Pixel widths that fit a 1440x900 screen without sideways scrolling (with the selection
# boxes, about 970 px of the 978 the table gets there). The team is left out of the
# default view: it is the segment's sales team, already a filter above the table.
SHOWN_COLUMNS = (
    "lead", "name", "company", "status", "waiting", "score", "owner", "source", "stage",
    "mql_because",
)  # fmt: skip
_COLUMNS = {
    "lead": st.column_config.LinkColumn(
        "Lead",
        display_text=r"lead_id=(.*)$",
        help="Open the lead (a link you can share)",
        width=65,
    ),
    "name": st.column_config.TextColumn("Name", width=110),
    "company": st.column_config.TextColumn("Company", width=140),
    "status": st.column_config.TextColumn("Status", width=125),
    "waiting": st.column_config.TextColumn("Waiting", width=60, help="Since it became MQL"),
    "score": st.column_config.NumberColumn("Score", format="%d", width=50),
    "owner": st.column_config.TextColumn("Owner", width=100),
    "team": st.column_config.TextColumn("Team", help="Derived from the lead's segment"),
    "source": st.column_config.TextColumn("Source", width=105),
    "stage": st.column_config.TextColumn("Stage", width=50),
    "mql_because": st.column_config.TextColumn("MQL because", width=130),
}


def render_kpis(queue: pd.DataFrame, summary: dict[str, float | int], sla_hours: float) -> None:
    """Waiting, overdue, never followed up, within SLA, median speed (for the view)."""
    mqls = int(summary["mqls"])
    median = float(summary["median_hours_to_follow_up"])
    within = format_share(float(summary["share_within_sla"]))
    tiles = [
        ("fu_kpi_waiting", "Waiting for sales", f"{count(len(queue))}", f"of {count(mqls)} MQLs",
         "MQLs with no sales touch yet that sales has not closed."),
        ("fu_kpi_overdue", "Overdue", f"{count(int((queue['status'] == 'overdue').sum()))}",
         f"SLA {sla_hours:g} h", "Waiting longer than the follow-up SLA (under 30 days)."),
        ("fu_kpi_never", "Never followed up", format_share(float(summary["share_never"])),
         f"{count(int(summary['never']))} of {count(mqls)} MQLs", never_caption()),
        ("fu_kpi_within", "Within SLA", within, "of MQLs now due",
         "Share of MQLs whose SLA ran out that got a first touch within it."),
        ("fu_kpi_speed", "Median first touch", "—" if math.isnan(median) else waiting_text(median),
         "after becoming MQL", "Median time from the MQL moment to the first sales touch."),
    ]  # fmt: skip
    for column, (key, label, value, context, help_text) in zip(
        st.columns(len(tiles)), tiles, strict=True
    ):
        with column.container(key=key):
            st.metric(
                label, value, delta=context, delta_color="off", delta_arrow="off",
                help=help_text, border=True,
            )  # fmt: skip
