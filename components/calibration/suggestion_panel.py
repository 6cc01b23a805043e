"""Suggest weights: fit the stored outcomes, show the suggestion beside the draft, take it.

The fit takes seconds, so it runs only on the button and is cached per data version, base
definition and inputs (`cached.get_suggestion`); the last request stays shown until the
next one. Rules are taken into the draft through `suggestion_draft` (optimistic save).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.calibration import cached
from components.calibration.suggestion_draft import (
    DraftWrite,
    flash,
    merge_rules,
    render_flash,
    with_suggestion,
    write_into_draft,
)
from components.common.literal import md
from components.definitions import draft_session as session
from components.shell.identity import can
from domain.admin.access import Capability
from domain.calibration.quality import OUTCOME_STAGES
from domain.common.numbers import count
from domain.definitions.definition import Definition, EngagementRule, FitRule
from domain.suggest import Suggestion, SuggestionError

PREFIX = "calib_suggest"
OUTCOME = f"{PREFIX}_outcome"
HOLDOUT = f"{PREFIX}_holdout"
SEED = f"{PREFIX}_seed"
EXCLUDE = f"{PREFIX}_exclude"
REQUEST = f"{PREFIX}_request"  # the inputs of the last run (not a widget)
RULES_EDITOR = f"{PREFIX}_rules"
TAKE = "take"
EXCLUDE_HELP = (
    "Inputs the model must not use. Leave out anything only known after sales worked the "
    "lead (owner, status, notes, deal fields): it gives the outcome away instead of "
    "predicting it. Ticked at first: the leakage guard's suspects (named like after-sales "
    "facts, values that read like outcomes or notes, filled mostly for converted leads, "
    "predicting the outcome too well alone, or first seen after the lead's MQL moment). "
    "Untick one to use it knowingly."
)


@dataclass(frozen=True)
class Request:
    base: Definition
    outcome: str
    holdout: float
    seed: int
    exclude: tuple[str, ...]


def render_suggestion_panel() -> None:
    outcome, holdout, seed, exclude = suggestion_inputs()
    if st.button("Suggest weights", key=f"{PREFIX}_run", type="primary",
                 icon=":material/auto_awesome:"):  # fmt: skip
        st.session_state[REQUEST] = Request(
            session.working_definition(), outcome, holdout, seed, tuple(sorted(exclude))
        )
        st.session_state.pop(RULES_EDITOR, None)  # ticks belong to the previous rules
    render_flash(PREFIX)
    request: Request | None = st.session_state.get(REQUEST)
    if request is None:
        st.caption("Pick the outcome and inputs, then press **Suggest weights**.")
        return
    bar = st.empty()

    def progress(share: float, what: str) -> None:
        bar.progress(min(max(share, 0.0), 1.0), text=f"{what}...")

    try:
        suggestion = cached.get_suggestion(
            request.base, request.outcome, request.holdout, request.seed, request.exclude,
            progress,
        )  # fmt: skip
    except SuggestionError as exc:
        st.info(f"No suggestion: {md(exc)}.", icon=":material/info:")
        return
    finally:
        bar.empty()
    render_suggestion(suggestion, request)


def suggestion_inputs() -> tuple[str, float, int, list[str]]:
    left, middle = st.columns(2)
    outcome = left.segmented_control(
        "Predict conversion to", list(OUTCOME_STAGES), format_func=OUTCOME_STAGES.get,
        default="sql", key=OUTCOME, persist_state="session",
    ) or "sql"  # fmt: skip
    holdout = middle.slider(
        "Held-out share", min_value=0.1, max_value=0.5, value=0.3, step=0.05, key=HOLDOUT,
        persist_state="session",
        help="The newest leads (by creation date) are held out to test both definitions on "
        "leads the model never saw; a random share when the leads have no dates.",
    )  # fmt: skip
    inputs = cached.get_suggestion_inputs(str(outcome), session.working_definition())
    exclude = st.multiselect(
        "Inputs to leave out", list(inputs.inputs), default=list(inputs.default_excluded),
        key=f"{EXCLUDE}_{outcome}", help=EXCLUDE_HELP, persist_state="session",
    )  # fmt: skip
    for leak in inputs.suspects:
        used = leak.column not in exclude
        st.warning(
            f"{'Used knowingly' if used else 'Left out'}: {literal(leak.column)}. "
            f"Why: {literal(leak.reason)}."
            + ("" if used else " Untick it above only if it is known before sales work the lead."),
            icon=":material/report:",
        )
    with st.expander("Advanced"):
        seed = st.number_input(
            "Random seed", min_value=0, max_value=10_000, value=0, step=1, key=SEED,
            persist_state="session",
            help="Used for a random split (leads without dates) and the solver: the same "
            "seed gives the same suggestion.",
        )  # fmt: skip
    return str(outcome), float(holdout), int(seed), list(exclude)


# Pixel widths: at 1280x720 (the narrowest shared screen) the suggested rules get about
# 458 px and the current rules about 300 px, and wider screens stretch the columns; long
# "why" texts and rules end in an ellipsis (full text on hover) instead of pushing columns
# out of view (tests/browser/test_browser_layout.py measures them).
SUGGESTED_COLUMNS = {
    TAKE: st.column_config.CheckboxColumn("Take", width=50),
    "rule": st.column_config.TextColumn("Rule", width=170),
    "points": st.column_config.TextColumn("Points", width=80),
    "why": st.column_config.TextColumn("Why", width=150),
}
CURRENT_COLUMNS = {
    "rule": st.column_config.TextColumn("Rule", width=200),
    "points": st.column_config.TextColumn("Points", width=90),
}


def render_suggestion(suggestion: Suggestion, request: Request) -> None:
    leaks = {leak.column for leak in suggestion.leaks}
    for warning in suggestion.warnings:
        if not any(warning.startswith(f"{column} is ") for column in leaks):
            st.warning(literal(warning), icon=":material/warning:")  # leaks: shown above
    if suggestion.unmatched:
        st.info(
            "Left out of the suggestion, as they match none of your leads: "
            + "; ".join(suggestion.unmatched)
            + ".",
            icon=":material/filter_alt_off:",
        )
    render_aucs(suggestion)
    st.caption(md(split_sentence(suggestion)))
    rules, current = st.columns([3, 2], gap="large")
    with rules:
        st.markdown(
            f"**Suggested rules** ({len(suggestion.rules)}; MQL threshold "
            f"{suggestion.definition.mql_threshold:g}: {count(suggestion.mql_suggested)} leads "
            f"become MQL, against {count(suggestion.mql_current)} today)"
        )
        st.data_editor(
            suggestion_rows(suggestion), key=RULES_EDITOR, hide_index=True, width="stretch",
            disabled=["rule", "points", "why"],
            column_config=SUGGESTED_COLUMNS,
        )  # fmt: skip
    with current:
        draft = session.working_definition()
        st.markdown(f"**Current draft rules** (MQL threshold {draft.mql_threshold:g})")
        st.dataframe(
            current_rows(draft), hide_index=True, width="stretch", key=f"{PREFIX}_current",
            column_config=CURRENT_COLUMNS,
        )  # fmt: skip
    if not can(Capability.edit_draft):
        st.caption("Editors and approvers can take these rules into the draft.")
        return
    take_one, take_all = st.columns(2)
    take_one.button(
        "Add selected rules to draft", key=f"{PREFIX}_take_selected",
        on_click=take_selected, args=(suggestion,), icon=":material/playlist_add:",
    )  # fmt: skip
    take_all.button(
        "Take the whole suggestion into the draft", key=f"{PREFIX}_take_all",
        on_click=take_whole, args=(suggestion,), icon=":material/published_with_changes:",
    )  # fmt: skip
    st.caption(
        "A taken rule replaces the draft's rule on the same condition, or is added. The "
        "whole suggestion replaces the draft's fit and engagement rules and threshold. "
        "Either way the draft then needs both teams' sign-off and a publish."
    )


def render_aucs(suggestion: Suggestion) -> None:
    cells = (
        ("holdout_suggested", "Held-out AUC · suggested", suggestion.auc_holdout_suggested,
         suggestion.auc_holdout_suggested - suggestion.auc_holdout_current),
        ("holdout_current", "Held-out AUC · current draft", suggestion.auc_holdout_current, None),
        ("train_suggested", "Training AUC · suggested", suggestion.auc_train_suggested, None),
        ("train_current", "Training AUC · current draft", suggestion.auc_train_current, None),
    )  # fmt: skip
    for column, (key, label, value, delta) in zip(st.columns(4), cells, strict=True):
        with column.container(key=f"{PREFIX}_auc_{key}"):
            st.metric(
                label, _auc(value), border=True,
                delta=None if delta is None or math.isnan(delta) else f"{delta:+.3f} vs current",
            )  # fmt: skip


def split_sentence(suggestion: Suggestion) -> str:
    stage = OUTCOME_STAGES[suggestion.outcome]
    how = (
        "the newest leads by creation date"
        if suggestion.split == "time"
        else "a random share (fixed seed)"
    )
    excluded = ", ".join(suggestion.excluded) or "nothing"
    model = _auc(suggestion.auc_holdout_model)
    return (
        f"Trained on {count(suggestion.n_train)} leads "
        f"({count(suggestion.n_positive_train)} reached {stage}); "
        f"held out {how}: {count(suggestion.n_holdout)} leads "
        f"({count(suggestion.n_positive_holdout)} reached {stage}). Leads judged: at least "
        f"{suggestion.min_age_days} days old. Left out: {excluded}. The fitted model before "
        f"rounding to points scores {model} held out."
    )


def suggestion_rows(suggestion: Suggestion) -> pd.DataFrame:
    return pd.DataFrame(
        {
            TAKE: [False] * len(suggestion.rules),
            "rule": [describe(r.rule) for r in suggestion.rules],
            "points": [points_text(r.rule) for r in suggestion.rules],
            "why": [r.why for r in suggestion.rules],
        }
    )


def current_rows(definition: Definition) -> pd.DataFrame:
    rules = [*definition.fit_rules, *definition.engagement_rules]
    return pd.DataFrame(
        {"rule": [describe(r) for r in rules], "points": [points_text(r) for r in rules]}
    )


def describe(rule: FitRule | EngagementRule) -> str:
    if isinstance(rule, FitRule) or rule.is_count:
        return rule.describe()
    return f"each {rule.describe()}"


def points_text(rule: FitRule | EngagementRule) -> str:
    if isinstance(rule, FitRule) or rule.is_count:
        return f"{rule.points:+g}"
    cap = "" if rule.cap is None else f", at most {rule.cap:g}"
    window = "" if rule.window_days is None else f", last {rule.window_days} days"
    return f"{rule.points:+g} each{cap}{window}"


def selected_positions() -> list[int]:
    """Rows ticked in the rules editor (its edits live in session state)."""
    edits = st.session_state.get(RULES_EDITOR) or {}
    rows = edits.get("edited_rows", {}) if isinstance(edits, dict) else {}
    return sorted(int(row) for row, change in rows.items() if change.get(TAKE))


def take_selected(suggestion: Suggestion) -> None:
    picked = [suggestion.rules[i].rule for i in selected_positions() if i < len(suggestion.rules)]
    if not picked:
        flash(PREFIX, DraftWrite(False, "Tick the rules to take in the Take column first."))
        return
    what = f"{len(picked)} suggested rule{'s' if len(picked) > 1 else ''}"
    flash(PREFIX, write_into_draft(lambda draft: merge_rules(draft, picked), what))
    if RULES_EDITOR in st.session_state:
        del st.session_state[RULES_EDITOR]  # untick what was taken


def take_whole(suggestion: Suggestion) -> None:
    flash(
        PREFIX,
        write_into_draft(
            lambda draft: with_suggestion(draft, suggestion.definition), "the whole suggestion"
        ),
    )


def _auc(value: float) -> str:
    return "—" if value is None or math.isnan(value) else f"{value:.3f}"


def literal(text: str) -> str:
    """`text` (column names, file values) shown as written, never read as Markdown."""
    return md(text)  # the one escaping helper (components.common.literal)
