"""Definitions workspace: edit the shared MQL/SQL definition, see its impact, sign, publish.

The page is what both teams look at in their alignment meeting. Every valid edit is
saved to the shared draft at once; the published definition (what every other page and
the CLI use) changes only by publishing with a note and both teams' sign-off.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.calibration.calibration_section import FRAGMENT as CALIBRATION
from components.calibration.calibration_section import (
    affects_calibration,
    render_definitions_calibration,
)
from components.common.literal import md, md_lines
from components.definitions import draft_session as session
from components.definitions.conflict_panel import render_conflict
from components.definitions.definition_editor import (
    StageCard,
    layout_stage_cards,
    render_engagement_table,
    render_fit_table,
    render_sales_settings,
    render_scoring_settings,
    render_stage_note,
)
from components.definitions.definition_form import THRESHOLD
from components.definitions.definition_picker import render_fit_picker
from components.definitions.history_panel import (
    render_compare,
    render_restore,
    render_versions,
    restore_version,
)
from components.definitions.impact_panel import (
    capacity_inputs,
    current_capacity,
    impact_view,
    inject_styles,
    render_changes,
    render_histogram,
    render_score_bands,
    render_stage_table,
    render_tiles,
    render_workload,
)
from components.definitions.signoff_panel import render_signoff
from components.shell import state
from components.shell.app_shell import require_app_shell
from components.shell.identity import can
from domain.admin.access import Capability
from domain.definitions.definition import Definition
from domain.definitions.describe import score_sentence, stage_sentences
from domain.definitions.diff import describe_diff
from domain.definitions.rule_tables import without_unknown_attributes
from domain.engine.scoring import ScoringModel
from domain.funnel.impact import ImpactReport, band_of, compare
from gateways import definitions as gateway

TITLE = "Definitions workspace"
READ_ONLY = (
    "You can see the draft and its impact; editors change it and approvers sign it off "
    "(ask an admin for a role)."
)
LIVE = "defs_live"  # fragment keys
SETTINGS = "defs_settings"
SCORES = "defs_scores"
# The live part hands the score bands to the scores part of the same run; the scores part
# notes the threshold's band it drew, so a threshold move within that band skips it.
BANDS = "defs_bands"
BANDS_DRAWN = "defs_bands_drawn"
Published = tuple[int, Definition] | None
RULES = "defs_rules"
NO_LEADS = (
    "The database has no leads yet, so there is nothing to score. Run `python cli.py seed` "
    "to load the demo data, then reload this page."
)


def main() -> None:
    require_app_shell()  # a deep link as the first request still runs through app.py
    st.title(TITLE)
    model = state.get_model()
    if model.n_leads == 0:
        st.info(NO_LEADS, icon=":material/info:")
        return
    vocab = session.vocabulary(model)
    session.sync(vocab, full_run=True)
    for text in st.session_state.pop(session.NOTICES, []):
        st.toast(md(text), icon=":material/info:")
    render_conflict()
    inject_styles()
    editable = can(Capability.edit_draft)
    if not editable:
        st.info(READ_ONLY, icon=":material/visibility:")
    layout = build_layout()
    if editable:
        settings(vocab, layout)
    live_workspace(vocab, layout)
    scores_part(layout)
    if editable:
        rule_tables(vocab, layout)
    else:
        show_rules_read_only(layout)
    st.header("Does the score predict?", divider="gray")
    render_definitions_calibration(vocab)
    published = state.get_published()
    st.header("Sign-off and publish", divider="gray")
    render_signoff(None if published is None else published[0])
    st.header("History", divider="gray")
    show_history(vocab.attributes)


@dataclass(frozen=True)
class Layout:
    """Where the fragments draw. Laid out (with every static heading) by the full run, so
    that a slider move redraws only what changed: each element costs the browser time."""

    status: DeltaGenerator
    cards: dict[str, StageCard]
    score: DeltaGenerator
    scoring: DeltaGenerator
    fit: DeltaGenerator
    engagement: DeltaGenerator
    sales: DeltaGenerator
    diff: DeltaGenerator
    stages: DeltaGenerator
    changes: DeltaGenerator
    tiles: DeltaGenerator
    histogram: DeltaGenerator
    bands: DeltaGenerator
    capacity: DeltaGenerator
    workload: DeltaGenerator


def build_layout() -> Layout:
    status = st.container()
    st.subheader("What the stages mean")
    cards = layout_stage_cards()
    # The editing side is the wider one: every rule-table column fits from 1280 px up.
    edit, impact = st.columns([5, 3], gap="medium")
    edit.subheader("Edit the draft")
    scoring, fit, engagement, sales = edit.tabs(
        ["Scoring", "Fit rules", "Engagement rules", "Sales (SQL and SLA)"]
    )
    score = scoring.container()  # the live fragment says what the score is made of
    diff = edit.container()
    edit.markdown("**Leads reaching each stage** (published → draft)")
    stages, changes = edit.container(), edit.container()
    impact.subheader("Live impact versus the published definition")
    tiles = impact.container()
    impact.markdown("**Score distribution** (dashed: published threshold, solid: draft)")
    histogram = impact.container()
    impact.markdown(
        "**Conversion to SQL and Won by score band** under the draft: rising bars mean the "
        "score still separates good leads from bad"
    )
    bands = impact.container()
    impact.markdown("**Sales workload**: new MQLs per week against what the reps can work")
    capacity, workload = impact.container(), impact.container()
    return Layout(
        status, cards, score, scoring, fit, engagement, sales, diff, stages, changes,
        tiles, histogram, bands, capacity, workload,
    )  # fmt: skip


@st.fragment(key=SETTINGS)
def settings(vocab: session.Vocabulary, layout: Layout) -> None:
    """The settings widgets. A change reruns only the live part (`rerun_live`): the widget
    already shows its new value, so redrawing it would only cost time."""
    with layout.scoring:
        render_scoring_settings(vocab.activity_types, on_change=rerun_live)
    with layout.sales:
        render_sales_settings(on_change=rerun_live)
    for stage, card in layout.cards.items():
        with card.note:
            render_stage_note(stage, on_change=rerun_live)
    with layout.capacity:
        capacity_inputs(default_reps=_reps(state.get_model()), on_change=rerun_live)


@st.fragment(key=LIVE)
def live_workspace(vocab: session.Vocabulary, layout: Layout) -> None:
    """Save the edit, then redraw everything that depends on the draft.

    Everything shown is worked out before the first element is drawn, so that the
    elements reach the browser together: each batch that arrives apart costs it a
    redraw of the whole page."""
    session.sync(vocab, full_run=False)
    definition = session.working_definition()
    published = state.get_published()
    version = None if published is None else published[0]
    report = compute_impact(definition, published, vocab)
    view = impact_view(report, version)
    status = status_text(version)
    problem = session.problems().settings
    sentences = stage_sentences(definition)
    changes = changes_against_published(definition, published)
    with layout.status:
        st.markdown(status)
        if problem:
            st.error(f"Not applied: {md(problem)}", icon=":material/error:")
    for stage, card in layout.cards.items():
        with card.sentence:
            st.markdown(md(sentences[stage]))
    if changes:
        layout.diff.markdown(changes)
    with layout.stages:
        render_stage_table(view)
    with layout.changes:
        render_changes(view)
    with layout.tiles:
        render_tiles(view)
    with layout.histogram:
        render_histogram(view)
    with layout.workload:
        render_workload(view)
    st.session_state[BANDS] = (report.bands, band_of(report.draft_threshold))


@st.fragment(key=SCORES)
def scores_part(layout: Layout) -> None:
    """What follows the scores and outcomes but not the MQL threshold (the score-band
    chart, what the score is made of): a threshold move skips it (`rerun_live`), one chart
    less for the browser to redraw."""
    layout.score.caption(md(score_sentence(session.working_definition())))
    drawn = st.session_state.get(BANDS)
    if drawn is None:  # the live part stopped before its report (a full rerun follows)
        return
    bands, threshold_band = drawn
    with layout.bands:
        render_score_bands(bands, threshold_band)
    st.session_state[BANDS_DRAWN] = threshold_band


@st.fragment(key=RULES)
def rule_tables(vocab: session.Vocabulary, layout: Layout) -> None:
    """The rule tables: an edit reruns them and the live part, not the whole page."""
    session.sync(vocab, full_run=False)
    problems = session.problems()
    with layout.fit:
        render_fit_picker(state.get_model().leads, list(vocab.attributes), rerun_rules_and_live)
        render_fit_table(
            st.session_state[session.FIT_ROWS], problems, vocab, on_change=rerun_rules_and_live
        )
    with layout.engagement:
        render_engagement_table(
            st.session_state[session.ENGAGEMENT_ROWS],
            problems,
            vocab,
            on_change=rerun_rules_and_live,
        )


def rerun_live() -> None:
    if affects_calibration():
        st.rerun(scope=[LIVE, SCORES, CALIBRATION])
    # A threshold move leaves the ranking (and so the calibration and the score bands) as
    # it was: the band chart follows only when the threshold enters another band (bold).
    threshold = float(st.session_state.get(THRESHOLD, 0))
    moved_band = band_of(threshold) != st.session_state.get(BANDS_DRAWN)
    st.rerun(scope=[LIVE, SCORES] if moved_band else LIVE)


def rerun_rules_and_live() -> None:
    # The table shows each row's problem, so it reruns too; the page around it does not.
    st.rerun(scope=[RULES, LIVE, SCORES, CALIBRATION])


def changes_against_published(draft: Definition, published: Published) -> str:
    """What the draft changes against the published version, as markdown ("" before a
    first publish)."""
    if published is None:
        return ""
    version, definition = published
    body = md_lines(describe_diff(definition, draft))
    return f"**What the draft changes against v{version}** (what a sign-off agrees to)\n\n" + (
        body or "_Nothing yet: the draft is the published definition._"
    )


def status_text(published_version: int | None) -> str:
    draft = session.loaded()
    versus = (
        "nothing is published yet"
        if published_version is None
        else f"compared with published **v{published_version}**, which every other page uses"
    )
    return (
        f"Working draft, revision {draft.revision}, last saved by **{md(draft.updated_by)}** "
        f"at {draft.updated_at:%Y-%m-%d %H:%M} UTC; {versus}. Every change is saved at once."
    )


def compute_impact(
    draft: Definition, published: Published, vocab: session.Vocabulary
) -> ImpactReport:
    """The draft against the published definition (or itself before a first publish)."""
    model = state.get_model()
    baseline = draft if published is None else published[1]
    # Until the engine ignores unknown attributes itself, leave such rules out of the
    # preview (they match no lead); the rule table already shows why they are refused.
    before = state.score_result(without_unknown_attributes(baseline, vocab.attributes))
    after = model.score(without_unknown_attributes(draft, vocab.attributes))
    capacity = current_capacity(default_reps=_reps(model))
    return compare(model.leads, before, after, model.as_of.value, capacity)


def show_history(attributes: tuple[str, ...]) -> None:
    versions = gateway.list_versions(state.get_engine_cached())
    if versions.empty:
        st.caption("Nothing published yet.")
        return
    render_versions(versions)
    st.subheader("Compare two versions")
    render_compare(versions, attributes)
    if can(Capability.edit_draft):
        render_restore(versions, restore_version)


def show_rules_read_only(layout: Layout) -> None:
    """The draft's settings and rules as tables, for people who may not change them."""
    definition = session.working_definition()
    with layout.scoring:
        st.markdown(f"MQL threshold **{definition.mql_threshold:g}**")
    with layout.sales:
        st.markdown(f"Follow-up SLA **{definition.sla_hours:g} h**")
    for where, key in (
        (layout.fit, session.FIT_ROWS),
        (layout.engagement, session.ENGAGEMENT_ROWS),
    ):
        with where:
            st.dataframe(pd.DataFrame(st.session_state[key]), hide_index=True, width="stretch")


def _reps(model: ScoringModel) -> int:
    return int(model.leads["owner"].nunique()) if "owner" in model.leads else 1


main()
