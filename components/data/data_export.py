"""The score export: every lead's score and stage under the published or the draft
definition, as a CSV a CRM can re-import (the same shape as `python cli.py score`)."""

from __future__ import annotations

import streamlit as st

from components.shell import state
from domain.common.csv_safety import safe_csv
from domain.common.numbers import count
from domain.definitions.definition import Definition
from domain.funnel.exports import EXPORT_COLUMNS, score_export

EXPORT_WHICH = "data_export_which"
EXPORT_DOWNLOAD = "data_export_csv"
NOTHING_TO_EXPORT = (
    "There are no leads to export yet: import a leads file above, or load the demo data "
    "under **Demo and reset**."
)
NO_PUBLISHED = (
    "No definition has been published yet, so there are no scores to export. Publish one on "
    "the **Definitions** page (or load the demo data, which publishes the default one)."
)


def render_export() -> None:
    published = state.get_published()
    if published is None:
        st.info(NO_PUBLISHED, icon=":material/info:")
        return
    model = state.get_model()
    if model.n_leads == 0:
        st.info(NOTHING_TO_EXPORT, icon=":material/info:")
        return
    choices = {f"Published definition v{published[0]}": published[1]}
    draft = state.get_draft()
    if draft is not None:
        choices[f"Working draft (revision {draft.revision})"] = draft.definition
    label = st.radio("Score under", tuple(choices), key=EXPORT_WHICH, horizontal=True)
    definition = choices.get(label or "", published[1])
    is_published = definition is published[1]
    rows = model.n_leads
    st.markdown(
        f"**{count(rows)} lead{'' if rows == 1 else 's'}**, one row each, keyed by external id: "
        + ", ".join(f"`{c}`" for c in EXPORT_COLUMNS)
        + ". Times are ISO 8601 in UTC; scores are rounded to 0.1."
    )
    st.download_button(
        f"Download {count(rows)} scores as CSV",
        data=lambda: _export_csv(definition, published=is_published),
        file_name="baton-scores-published.csv" if is_published else "baton-scores-draft.csv",
        mime="text/csv",
        key=EXPORT_DOWNLOAD,
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption("The same file comes from `python cli.py score --definition published|draft`.")


def _export_csv(definition: Definition, *, published: bool) -> str:
    model = state.get_model()
    # The published scores are cached for every page; a draft is scored on demand.
    result = state.score_result(definition) if published else model.score(definition)
    return safe_csv(score_export(model.leads, result))
