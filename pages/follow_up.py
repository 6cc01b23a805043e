"""Follow-up: the MQLs waiting for sales, most urgent first, and who follows up in time."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.follow_up.acting_user import acting_user
from components.follow_up.follow_up_charts import render_report
from components.follow_up.follow_up_state import follow_up_data, lead_versions
from components.follow_up.lead_actions import ActionContext, Target, render_actions
from components.follow_up.queue_table import (
    never_caption,
    render_filters,
    render_kpis,
    render_page,
    render_rows,
)
from components.shell import state
from components.shell.analytics import warn_missing_attributes
from components.shell.app_shell import require_app_shell
from domain.common.csv_safety import safe_csv
from domain.common.numbers import count
from domain.definitions.definition import Definition
from domain.follow_up.queue import CLOSED_STAGES, export_frame, filter_queue
from domain.follow_up.sla import follow_up_summary
from domain.funnel.metrics import apply_filters

NO_DEFINITION = "No shared definition is published yet: run `python cli.py seed`, then reload."
NO_LEADS = "The database has no leads yet: run `python cli.py seed`, then reload."
VIEWS = {
    "queue": "Queue",
    "never": "Never followed up",
    "report": "By owner and week",
}
TEAM_NOTE = (
    "Owner, source, segment and dates: sidebar filters. The data has no team per owner, so "
    "a lead's team is its segment's sales team (SMB, Mid-market, Enterprise)."
)


def main() -> None:
    st.title("Follow-up")
    published = state.get_published()
    if published is None:
        st.info(NO_DEFINITION, icon=":material/info:")
        return
    version, definition = published
    if state.get_model().n_leads == 0:
        st.info(NO_LEADS, icon=":material/info:")
        return
    warn_missing_attributes(definition, "published")
    data = follow_up_data(definition)
    owners = state.filter_options().owners
    head, who = st.columns([3, 1], vertical_alignment="bottom")
    with who:
        user = acting_user(owners)
    head.caption(
        f"MQLs under published definition **v{version}** that no sales touch followed yet · "
        f"SLA {definition.sla_hours:g} h · as of {state.get_model().as_of:%Y-%m-%d %H:%M} UTC"
    )
    view = apply_filters(data.table, state.current_filters())
    status = data.status[data.status.index.isin(view.index)]
    queue = data.queue[data.queue.index.isin(view.index)]
    render_kpis(queue, follow_up_summary(status, definition.sla_hours), definition.sla_hours)
    choice = st.segmented_control(
        "View", tuple(VIEWS), format_func=VIEWS.__getitem__, key="fu_view", default="queue",
        required=True, label_visibility="collapsed",
    )  # fmt: skip
    if choice == "report":
        render_report(status, view, key="fu_report")
        return
    rows = data.never[data.never.index.isin(view.index)] if choice == "never" else queue
    if choice == "never":
        st.caption(never_caption())
    show_list(rows, key=f"fu_{choice}", user=user, definition=definition, owners=owners)


def show_list(
    rows: pd.DataFrame,
    *,
    key: str,
    user: str | None,
    definition: Definition,
    owners: tuple[str, ...],
) -> None:
    """Filters, one page of rows, the CSV export and the actions on the selected rows."""
    teams = sorted(rows["team"].unique())
    present = [str(s) for s in pd.unique(rows["stage"])]  # once: the column is long
    stages = [s for s in present if s not in CLOSED_STAGES] + [
        s for s in CLOSED_STAGES if s in present
    ]
    filtered = filter_queue(rows, render_filters(key, teams, stages, user))
    st.caption(TEAM_NOTE)
    page = render_page(filtered, key)
    selected = render_rows(page, key)
    leads = state.get_model().leads
    st.download_button(
        f"Download {count(len(filtered))} lead{'' if len(filtered) == 1 else 's'} as CSV",
        data=lambda: safe_csv(export_frame(filtered, leads)),
        file_name=f"baton-{key.removeprefix('fu_')}.csv",
        mime="text/csv",
        key=f"{key}_csv",
        icon=":material/download:",
        on_click="ignore",
        disabled=filtered.empty,
    )
    versions = lead_versions()
    targets = [
        Target(lead_id, str(page.rows.at[lead_id, "external_id"]), _version(versions, lead_id))
        for lead_id in selected
    ]
    st.subheader("Act on the selected leads" if len(targets) != 1 else "Act on the selected lead")
    context = ActionContext(user, definition.sql_criteria, owners)
    render_actions(targets, key=f"{key}_act", context=context)


def _version(versions: pd.Series, lead_id: int) -> int | None:
    return int(versions[lead_id]) if lead_id in versions.index else None


require_app_shell()
main()
