"""What the analytics pages share: the lead tables in view under the published definition
(and, when the toggle is on, the working draft), and the empty states shown instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.shell import state
from components.shell.sidebar import DATE_STAGE_LABELS
from domain.common.numbers import count
from domain.definitions.definition import Definition
from domain.funnel.metrics import Filters, apply_filters

# One key on every analytics page; the value survives page switches.
COMPARE_DRAFT = "compare_draft"
PUBLISHED_COLOR = "#2a5fa8"
DRAFT_COLOR = "#e07b39"

NO_DEFINITION = (
    "No shared definition has been published yet. Run `python cli.py seed` to start from "
    "the default definition, then reload this page."
)
NO_LEADS = (
    "The database has no leads yet. Run `python cli.py seed` to load the demo data, "
    "then reload this page."
)
UNKNOWN_ATTRIBUTE = (
    "The {which} definition scores the attribute `{attribute}`, which the stored leads do "
    "not have, so that rule gives no one points. Import leads with that attribute, or "
    "remove the rule from the definition."
)
NO_MATCH = (
    "No leads match these filters ({what} in the chosen date range, from the chosen "
    "sources, segments and owners). Widen the date range or clear the other filters "
    "(**Clear filters** in the sidebar)."
)
NO_DRAFT = (
    "There is no working draft to compare with. A draft is saved on the definitions page "
    "(or with `python cli.py definition import FILE.json`)."
)


@dataclass(frozen=True)
class Side:
    """One definition and the leads in view scored under it."""

    label: str  # "Published v3" / "Draft r5": legends, table columns, file names
    definition: Definition
    table: pd.DataFrame  # the leads in view (sidebar filters applied)
    full: pd.DataFrame  # every lead (shared cached table: read-only)
    color: str


@dataclass(frozen=True)
class Scope:
    """What an analytics page shows: the published side, maybe the draft, and the view."""

    published: Side
    draft: Side | None
    filters: Filters
    as_of: pd.Timestamp
    all_leads: int

    @property
    def sides(self) -> tuple[Side, ...]:
        return (self.published,) if self.draft is None else (self.published, self.draft)


def load_scope() -> Scope | None:
    """The page's scope; None after showing why there is nothing to show."""
    published = state.get_published()
    if published is None:
        st.info(NO_DEFINITION, icon=":material/info:")
        return None
    version, definition = published
    # Checked before scoring: with no leads there are no custom attribute columns either.
    if state.get_model().n_leads == 0:
        st.info(NO_LEADS, icon=":material/info:")
        return None
    table = _score(definition, "published")
    filters = state.current_filters()
    view = apply_filters(table, filters)
    draft = _draft_side(version, definition, filters)
    if view.empty:
        st.info(NO_MATCH.format(what=_what(filters)), icon=":material/filter_alt_off:")
        return None
    side = Side(f"Published v{version}", definition, view, table, PUBLISHED_COLOR)
    return Scope(side, draft, filters, state.get_model().as_of, len(table))


def render_scope_caption(scope: Scope) -> None:
    sides = " and ".join(f"**{s.label}**" for s in scope.sides)
    st.caption(
        f"{count(len(scope.published.table))} of {count(scope.all_leads)} leads in view "
        f"({_what(scope.filters)} in the date range) · under {sides} · "
        f"as of {scope.as_of:%Y-%m-%d %H:%M} UTC"
    )


def _draft_side(version: int, published: Definition, filters: Filters) -> Side | None:
    """The compare toggle, and the draft side when it is on and there is a draft."""
    draft = state.get_draft()
    on = st.toggle(
        f"Show the working draft beside published v{version}",
        key=COMPARE_DRAFT,
        persist_state="session",
        disabled=draft is None,
        help="Every chart and table shows what the draft definition would change.",
    )
    if draft is None:
        st.caption(NO_DRAFT)
        return None
    if not on:
        return None
    label = f"Draft r{draft.revision}"
    table = _score(draft.definition, "draft")
    if published.fingerprint() == draft.definition.fingerprint():
        st.caption(f"{label} is the same definition as published v{version}: same numbers.")
    return Side(label, draft.definition, apply_filters(table, filters), table, DRAFT_COLOR)


def warn_missing_attributes(definition: Definition, which: str) -> None:
    """Say which fit rules name attributes the leads lack: such rules match no one."""
    for attribute in state.get_model().missing_attributes(definition):
        message = UNKNOWN_ATTRIBUTE.format(which=which, attribute=attribute)
        st.warning(message, icon=":material/warning:")


def _score(definition: Definition, which: str) -> pd.DataFrame:
    warn_missing_attributes(definition, which)
    return state.scored_table(definition)


def _what(filters: Filters) -> str:
    label = DATE_STAGE_LABELS.get(filters.date_stage, "Created")
    return label[0].lower() + label[1:]
