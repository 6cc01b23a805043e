"""The conversion page's views: the key rates, rates by group, and by cohort month.

Rates are measured on cohorts that had the chance to convert (`domain.funnel.cohorts`): the leads
in view that reached a step's first stage at least N days ago (the slider).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.tables import (
    arrows,
    count_column,
    number_column,
    rate_column,
    render_table,
    with_arrows,
)
from components.funnel.rate_charts import build_rate_bars, build_rate_heatmap
from components.shell.analytics import Scope
from domain.common.numbers import count, percent
from domain.funnel.cohorts import (
    DEFAULT_MIN_AGE_DAYS,
    SMALL_SAMPLE,
    STAGE_MONTH,
    Step,
    cohort_rates,
    compare_rates,
    steps_after,
)
from domain.funnel.metrics import KEY_RATES, Filters

BREAKDOWNS = {"source": "Source", "segment": "Segment", "owner": "Owner"}
MIN_AGE = "conversion_min_age"
MIN_AGE_HELP = (
    "A rate counts only the leads that reached its first stage at least this many days "
    "ago: a lead that became MQL yesterday had no chance to become an SQL yet. The leads "
    "left out are counted as *too recent*. 0 counts every lead, like the funnel. The "
    "velocity charts on the Funnel page show how long each step usually takes."
)
MEANING = {
    "Lead -> MQL": "marketing effectiveness",
    "MQL -> SQL": "sales acceptance and qualification",
    "SQL -> Won": "close rate",
}


def min_age_inputs(steps: tuple[Step, ...]) -> dict[str, float]:
    """Per step shown, the days a lead gets to convert before it counts in the rate."""
    st.markdown("**Days each lead gets to convert** before it counts in a rate")
    ages: dict[str, float] = {}
    for column, (name, _, _) in zip(st.columns(4), steps, strict=False):
        ages[name] = column.number_input(
            arrows(name), min_value=0, max_value=730, step=5,
            value=int(DEFAULT_MIN_AGE_DAYS.get(name, 30)),
            key=f"{MIN_AGE}_{name.split()[0]}_{name.split()[-1]}",
            help=MIN_AGE_HELP, persist_state="session",
        )  # fmt: skip
    return ages


def steps_in_view(filters: Filters) -> tuple[Step, ...]:
    """The key steps worth showing for this view, saying why any are left out."""
    steps = steps_after(filters.date_stage)
    stage = filters.date_stage
    if not steps:
        st.info(
            f"The date range applies to the {stage} date, so every lead in view reached "
            f"{stage}: there is no rate left to measure. Pick an earlier stage in the sidebar.",
            icon=":material/info:",
        )
    elif stage != "Suspect" and len(steps) < 3:
        shown = {name for name, _, _ in steps}
        left_out = ", ".join(name for name, _, _ in KEY_RATES if name not in shown)
        st.caption(
            f"Not shown: {left_out}. Every lead in view reached {stage} in the date range, "
            "so those rates are 100% by construction."
        )
    return steps


def render_key_rates(scope: Scope, steps: tuple[Step, ...], min_age: dict[str, float]) -> None:
    frame = rates_for(scope, steps, min_age, None)
    columns = st.columns(len(steps))
    for column, (_, row) in zip(columns, frame.iterrows(), strict=True):
        with column.container(key=f"rate_tile_{row['rate'].split()[0]}_{row['rate'].split()[-1]}"):
            st.metric(
                f"{arrows(row['rate'])} · {MEANING.get(row['rate'], '')}",
                _share(row["conversion"]),
                delta=_tile_delta(row, scope),
                delta_color="off",
                delta_arrow="off",
                border=True,
            )
    too_recent = ", ".join(
        f"{count(r['too_recent'])} for {arrows(r['rate'])} (< {min_age.get(r['rate'], 0):g} days)"
        for _, r in frame.iterrows()
        if r["too_recent"]
    )
    if too_recent:
        st.caption(f"Too recent to judge, not in the rates yet: {too_recent}.")
    render_rate_table(frame.drop(columns="group"), scope, "key-rates", key="rates_key")


def render_breakdown(
    scope: Scope, steps: tuple[Step, ...], min_age: dict[str, float], by: str
) -> None:
    title = BREAKDOWNS[by]
    rates = {s.label: cohort_rates(s.table, scope.as_of, min_age, by, steps) for s in scope.sides}
    names = [name for name, _, _ in steps]
    bars = {s.label: (rates[s.label], s.color) for s in scope.sides}
    figure = build_rate_bars(bars, names, title)
    st.plotly_chart(figure, key=f"rates_{by}_chart", width="stretch")
    st.caption(
        f"Each bar: rate · converted/cohort. Pale, hatched, {chr(0x26A0)}: fewer than "
        f"{SMALL_SAMPLE} leads behind the rate — read it as a hint, not a fact."
    )
    render_rate_table(_joined(scope, rates), scope, f"by-{by}", key=f"rates_{by}", group=title)


def render_month_heatmap(scope: Scope, steps: tuple[Step, ...], min_age: dict[str, float]) -> None:
    rates = {
        s.label: cohort_rates(s.table, scope.as_of, min_age, STAGE_MONTH, steps)
        for s in scope.sides
    }
    names = [name for name, _, _ in steps]
    if all(frame.empty for frame in rates.values()):
        st.caption("No lead in view reached the first stage of these rates.")
        return
    figure = build_rate_heatmap(rates, names, "month the lead reached the step's first stage")
    st.plotly_chart(figure, key="rates_month_chart", width="stretch")
    st.caption(
        "A lead's cohort month for a rate is the month it reached the rate's first stage "
        f"(its MQL month for MQL → SQL). Cells: rate · converted/cohort; {chr(0x26A0)}: fewer "
        f"than {SMALL_SAMPLE} leads. Recent months are thin: most of their leads are too recent."
    )
    joined = _joined(scope, rates)
    render_rate_table(joined, scope, "by-month", key="rates_month", group="Cohort month")


def rates_for(
    scope: Scope, steps: tuple[Step, ...], min_age: dict[str, float], by: str | None
) -> pd.DataFrame:
    rates = {s.label: cohort_rates(s.table, scope.as_of, min_age, by, steps) for s in scope.sides}
    return _joined(scope, rates)


def render_rate_table(
    frame: pd.DataFrame, scope: Scope, name: str, *, key: str, group: str | None = None
) -> None:
    config: dict[str, object] = {
        "group": group,
        "rate": "Step",
        "reached": count_column("Reached first stage"),
        "too_recent": count_column("Too recent", help=MIN_AGE_HELP),
        "from": count_column("Cohort", help="Reached the first stage early enough to judge"),
        "converted": count_column("Converted"),
        "conversion": rate_column("Rate"),
        "small_sample": st.column_config.CheckboxColumn(f"Small (<{SMALL_SAMPLE})"),
    }
    if scope.draft is not None:
        label = scope.draft.label
        config |= {
            "from_draft": count_column(f"Cohort · {label}"),
            "converted_draft": count_column(f"Converted · {label}"),
            "conversion_draft": rate_column(f"Rate · {label}"),
            "small_sample_draft": st.column_config.CheckboxColumn(f"Small · {label}"),
            "change_pts": number_column("Change (pts)", format="%+.1f"),
        }
    shown = with_arrows(frame, "rate")
    render_table(shown, key=key, file_name=f"conversion-{name}.csv", column_config=config)


def _joined(scope: Scope, rates: dict[str, pd.DataFrame]) -> pd.DataFrame:
    published = rates[scope.published.label]
    if scope.draft is None:
        return published
    return compare_rates(published, rates[scope.draft.label]).reset_index(drop=True)


def _tile_delta(row: pd.Series, scope: Scope) -> str:
    context = f"{count(int(row['converted']))} of {count(int(row['from']))}"
    if row["small_sample"]:
        context += f" {chr(0x26A0)} small sample"
    if scope.draft is None:
        return context
    draft = f"{count(int(row['converted_draft']))} of {count(int(row['from_draft']))}"
    return f"{context} · draft {_share(row['conversion_draft'])} ({draft})"


def _share(value: float) -> str:
    return "—" if pd.isna(value) else percent(float(value))
