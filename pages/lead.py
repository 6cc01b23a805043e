"""Lead: one lead in detail, reached by a shareable link `lead?lead_id=<external id>`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.common.literal import md, shown
from components.follow_up.acting_user import acting_user
from components.follow_up.follow_up_state import follow_up_data, get_draft_definition
from components.follow_up.lead_actions import ActionContext, Target, render_actions
from components.follow_up.lead_detail import (
    render_draft,
    render_history,
    render_profile,
    render_score,
    render_stages,
    render_timeline,
)
from components.shell import state
from components.shell.analytics import warn_missing_attributes
from components.shell.app_shell import require_app_shell
from domain.common.numbers import count
from domain.definitions.definition import Definition
from domain.engine.explain import breakdown
from domain.follow_up.lead_view import explain, timeline
from gateways import follow_up as gateway

PARAM = "lead_id"  # the lead's external id; other pages link to lead?lead_id=<id>
SEARCH_LIMIT = 20
HOW_TO = (
    "Open a lead from the **Follow-up** queue (the Lead column), follow a link someone "
    "shared (`…/lead?lead_id=<lead id>`), or find one here by its id, name, company or e-mail."
)


def main() -> None:
    external_id = (st.query_params.get(PARAM) or "").strip()
    leads = state.get_model().leads
    match = leads.index[leads["external_id"] == external_id] if external_id else []
    if len(match) == 0:
        st.title("Lead")
        if external_id:
            st.warning(f"There is no lead with id {md(external_id)}.", icon=":material/search_off:")
        st.markdown(HOW_TO)
        render_search(leads)
        return
    published = state.get_published()
    if published is None:
        st.info("No shared definition is published yet: run `python cli.py seed`.")
        return
    # Written back so the address bar always holds the link to share (a page link to this
    # same page passes the parameter without showing it).
    st.query_params[PARAM] = external_id
    show_lead(leads.loc[match[0]], *published)


def show_lead(lead: pd.Series, version: int, definition: Definition) -> None:
    lead_id = int(lead["lead_id"])
    head, who = st.columns([3, 1], vertical_alignment="bottom")
    head.title(md(shown(lead["name"], "") or lead["external_id"]))
    with who:
        user = acting_user(state.filter_options().owners)
    warn_missing_attributes(definition, "published")
    data = follow_up_data(definition)
    scored = data.table.loc[lead_id]
    status = data.status["status"].get(lead_id)
    head.caption(
        f"{md(lead['external_id'])} · {md(lead['title'], '')} at {md(lead['company'])} · owner "
        f"{md(lead['owner'], 'nobody')} · stage **{scored['stage']}** (highest "
        f"{scored['highest_stage']}) · score {scored['score']:.0f} under v{version}"
    )
    context = ActionContext(user, definition.sql_criteria, state.filter_options().owners)
    left, right = st.columns([1, 1], gap="large")
    with left:
        st.subheader("Profile")
        render_profile(lead)
        st.subheader("Stages")
        render_stages(scored, None if status is None else str(status))
    with right:
        st.subheader("Score")
        lines = explain(breakdown(state.get_model(), definition, [lead_id]), definition)
        render_score(lines, float(scored["score"]), definition.mql_threshold)
        show_draft(lead_id, definition, lines, scored)
        st.subheader("Act")
        current = gateway.lead_state(state.get_engine_cached(), lead_id)
        target = Target(lead_id, str(lead["external_id"]), current.version)
        render_actions([target], key=_panel(lead_id), context=context)
    show_history(lead_id, context)


def show_history(lead_id: int, context: ActionContext) -> None:
    """Recorded actions (with Undo), then everything that happened, newest first."""
    engine = state.get_engine_cached()
    st.subheader("History")
    history = gateway.lead_history(engine, lead_id)
    render_history(history, key=_panel(lead_id), context=context)
    st.subheader("Timeline")
    touches = state.get_touches()
    # A logged touch is already on the timeline as the touch itself.
    actions = history.loc[history["action"] != "touch", ["at", "actor", "summary"]]
    activities = gateway.load_activities_for_lead(engine, lead_id)
    render_timeline(timeline(activities, touches[touches["lead_id"] == lead_id], actions))


def _panel(lead_id: int) -> str:
    """The key of the lead's action panel (its results show above the form)."""
    return f"lead_act_{lead_id}"


def show_draft(
    lead_id: int, definition: Definition, lines: pd.DataFrame, scored: pd.Series
) -> None:
    """How the working draft would score the lead, when there is a different draft."""
    draft = get_draft_definition()
    if draft is None or draft.fingerprint() == definition.fingerprint():
        st.caption("The working draft scores like the published definition.")
        return
    warn_missing_attributes(draft, "draft")
    under_draft = state.scored_table(draft).loc[lead_id]
    draft_lines = explain(breakdown(state.get_model(), draft, [lead_id]), draft)
    with st.expander("Under the working draft", expanded=True):
        render_draft(
            lines,
            draft_lines,
            (float(scored["score"]), float(under_draft["score"])),
            (str(scored["highest_stage"]), str(under_draft["highest_stage"])),
        )


def render_search(leads: pd.DataFrame) -> None:
    text = st.text_input(
        "Find a lead", key="lead_search", placeholder="Lead id, name, company, e-mail"
    )
    needle = (text or "").strip().casefold()
    if not needle:
        return
    found = pd.Series(False, index=leads.index)
    for column in ("external_id", "name", "company", "email"):
        found |= (
            leads[column]
            .astype("string")
            .str.casefold()
            .str.contains(needle, regex=False)
            .fillna(False)
        )
    hits = leads[found].head(SEARCH_LIMIT)
    if hits.empty:
        st.caption("No lead matches.")
        return
    for hit in hits.itertuples(index=False):
        st.page_link(
            "pages/lead.py",
            label=f"{md(hit.external_id)} · {md(hit.name)} · {md(hit.company)}",
            query_params={PARAM: hit.external_id},
            icon=":material/person:",
        )
    if int(found.sum()) > SEARCH_LIMIT:
        st.caption(f"The first {SEARCH_LIMIT} of {count(int(found.sum()))} matches: type more.")


require_app_shell()
main()
