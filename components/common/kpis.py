"""KPI tiles: the handful of numbers both teams look at first."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from domain.common.numbers import count, percent
from domain.follow_up.sla import NEVER_AFTER_DAYS, follow_up_status, follow_up_summary
from domain.funnel.metrics import conversion_rates, reached

LEADS_HELP = "Every lead in view (sidebar filters applied), including suspects."
MQLS_HELP = "Leads that reached MQL (or a later stage) under the published definition."
SQLS_HELP = "Leads that reached SQL (or a later stage) under the published definition."
MQL_SQL_HELP = "Share of MQLs that became sales-qualified: how well handed-over leads convert."
NEVER_HELP = (
    f"Share of MQLs with no sales touch {NEVER_AFTER_DAYS} days after becoming MQL, as on "
    "the Follow-up page: of the leads that became MQL (not those sales took straight to SQL)."
)


@dataclass(frozen=True)
class Kpis:
    leads: int
    all_leads: int  # before the sidebar filters
    mqls: int
    sqls: int
    mql_to_sql: float  # NaN when there are no MQLs
    never_followed: int  # MQLs with no sales touch after NEVER_AFTER_DAYS
    never_followed_share: float  # of `follow_up_mqls`; NaN when there are none
    # The MQLs the follow-up queue judges (the Follow-up page's denominator): those that
    # reached MQL with an MQL moment. The share and its "of N" must use the same N.
    follow_up_mqls: int


@dataclass(frozen=True)
class Tile:
    key: str  # the container key, so the tile gets the CSS class st-key-<key>
    label: str
    value: str
    context: str  # a small line under the value: what the number is out of
    help: str


def compute_kpis(
    table: pd.DataFrame,
    touches: pd.DataFrame,
    sla_hours: float,
    as_of: object,
    all_leads: int | None = None,
) -> Kpis:
    """The tile values for a (filtered) lead table; `all_leads` counts the unfiltered one."""
    rates = conversion_rates(table).set_index("rate")
    summary = follow_up_summary(follow_up_status(table, touches, sla_hours, as_of), sla_hours)
    return Kpis(
        leads=len(table),
        all_leads=len(table) if all_leads is None else all_leads,
        mqls=int(reached(table, "MQL").sum()),
        sqls=int(reached(table, "SQL").sum()),
        mql_to_sql=float(rates.loc["MQL -> SQL", "conversion"]),
        never_followed=int(summary["never"]),
        never_followed_share=float(summary["share_never"]),
        follow_up_mqls=int(summary["mqls"]),
    )


def build_tiles(kpis: Kpis) -> list[Tile]:
    in_view = "all leads" if kpis.leads == kpis.all_leads else f"of {count(kpis.all_leads)} leads"
    of_mqls = f"of {count(kpis.mqls)} MQLs"
    return [
        Tile("kpi_leads", "Leads", f"{count(kpis.leads)}", in_view, LEADS_HELP),
        Tile(
            "kpi_mqls",
            "MQLs",
            f"{count(kpis.mqls)}",
            f"{format_share(_ratio(kpis.mqls, kpis.leads))} of leads",
            MQLS_HELP,
        ),
        Tile(
            "kpi_sqls",
            "SQLs",
            f"{count(kpis.sqls)}",
            f"{format_share(_ratio(kpis.sqls, kpis.leads))} of leads",
            SQLS_HELP,
        ),
        Tile(
            "kpi_mql_sql",
            "MQL → SQL",
            format_share(kpis.mql_to_sql),
            f"{count(kpis.sqls)} {of_mqls}",
            MQL_SQL_HELP,
        ),
        Tile(
            "kpi_never_followed",
            "Never followed up",
            format_share(kpis.never_followed_share),
            f"{count(kpis.never_followed)} of {count(kpis.follow_up_mqls)} MQLs",
            NEVER_HELP,
        ),
    ]


def render_kpis(kpis: Kpis) -> None:
    tiles = build_tiles(kpis)
    for column, tile in zip(st.columns(len(tiles)), tiles, strict=True):
        with column.container(key=tile.key):
            # The delta line carries context (what the number is out of), not a trend:
            # no colour and no arrow. Every tile has one, so the tiles line up.
            st.metric(
                tile.label,
                tile.value,
                delta=tile.context,
                delta_color="off",
                delta_arrow="off",
                help=tile.help,
                border=True,
            )


def format_share(value: float) -> str:
    return percent(value)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else float("nan")
