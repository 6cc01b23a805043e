"""Demo data and "delete all data", with a backup offered before anything is deleted."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.data.data_notices import notify
from components.shell.identity import writer
from domain.admin.access import AccessDenied
from domain.common.numbers import count
from gateways import data as gateway
from gateways.data import DEMO_LEADS

DEMO_SIZE = "data_demo_size"
DEMO_LOAD = "data_demo_load"
BACKUP_DOWNLOAD = "data_backup_zip"
CONFIRM_TEXT = "data_delete_confirm"
DELETE_BUTTON = "data_delete"
CONFIRM_WORD = "DELETE"
_TABLES = {"lead": "leads", "activity": "activities", "sales_touch": "sales touches",
           "sales_fact": "outcomes"}  # fmt: skip
BACKUP_NOTE = (
    "A zip of CSV files in Baton's own import format (leads with their custom attribute "
    "columns, activities, sales touches, outcomes) plus the published definition (and the "
    "draft) as JSON. Import the CSVs again on this page, leads first, with the **Generic** "
    "preset to restore the data."
)
DELETE_NOTE = (
    "Deletes every lead, activity, sales touch and outcome. Definitions (published versions, "
    "the draft, their history), saved import mappings and the audit log are kept."
)


def render_data_counts(counts: dict[str, int]) -> None:
    columns = st.columns(len(_TABLES))
    for column, (table, label) in zip(columns, _TABLES.items(), strict=True):
        column.metric(label.capitalize(), f"{count(counts.get(table, 0))}")


def render_demo(engine: Engine, counts: dict[str, int]) -> None:
    st.subheader("Demo data")
    leads = counts.get("lead", 0)
    if leads:
        st.info(
            f"The database holds {count(leads)} leads. The demo loads only into an empty database, "
            "so it never mixes with real data: delete all data below first (after taking the "
            "backup).",
            icon=":material/info:",
        )
    size_column, button_column = st.columns([1, 3], vertical_alignment="bottom")
    size = size_column.number_input(
        "Demo leads", 100, 100_000, DEMO_LEADS, step=1_000, key=DEMO_SIZE, disabled=bool(leads)
    )
    if button_column.button(
        "Load demo data", key=DEMO_LOAD, disabled=bool(leads), icon=":material/science:"
    ):
        _load_demo(engine, int(size))


def _load_demo(engine: Engine, size: int) -> None:
    # Checked again at the click: someone may have imported in the meantime.
    if gateway.lead_count(engine):
        st.error("Leads were added in the meantime: the demo was not loaded.")
        return
    try:
        with st.spinner(f"Generating and writing {count(size)} demo leads..."):
            written = gateway.load_demo(engine, actor=writer(), n_leads=size)
    except (SQLAlchemyError, ValueError, AccessDenied) as exc:
        st.error(f"The demo data could not be loaded: {md(_reason(exc))}")
        return
    notify(
        f"Demo data loaded: {count(written['leads'])} leads, "
        f"{count(written['activities'])} activities, {count(written['touches'])} sales touches."
    )
    st.rerun()


def render_reset(engine: Engine, counts: dict[str, int], actor: str) -> None:
    st.subheader("Delete all data")
    if not any(counts.get(table, 0) for table in _TABLES):
        st.caption("There is no lead data to delete.")
        return
    st.markdown("**1. Take a backup first.**")
    st.download_button(
        "Download a backup (zip)",
        data=lambda: gateway.backup_zip(engine),
        file_name=f"baton-backup-{pd.Timestamp.now('UTC'):%Y%m%d-%H%M}.zip",
        mime="application/zip",
        key=BACKUP_DOWNLOAD,
        icon=":material/download:",
        on_click="ignore",
    )
    st.caption(BACKUP_NOTE)
    st.markdown("**2. Delete.**")
    st.caption(DELETE_NOTE)
    typed = st.text_input(
        f"Type {CONFIRM_WORD} to confirm", key=CONFIRM_TEXT, placeholder=CONFIRM_WORD
    )
    confirmed = typed.strip() == CONFIRM_WORD
    st.button(
        f"Delete all {count(counts.get('lead', 0))} leads and their data",
        key=DELETE_BUTTON,
        type="primary",
        icon=":material/delete_forever:",
        disabled=not confirmed,
        on_click=_delete,
        args=(engine, actor),
    )


def _delete(engine: Engine, actor: str) -> None:
    # A callback: it runs before the page, so the confirmation box can be emptied and
    # every element of this run (sidebar included) already shows the empty database.
    if str(st.session_state.get(CONFIRM_TEXT) or "").strip() != CONFIRM_WORD:
        return
    del actor  # recorded as the current actor, whose role the write checks
    try:
        gateway.delete_all_data(engine, actor=writer())
    except AccessDenied as exc:
        notify(f"Nothing was deleted: {exc}", error=True)
        return
    except SQLAlchemyError as exc:
        notify(f"Nothing was deleted: {_reason(exc)}", error=True)
        return
    st.session_state[CONFIRM_TEXT] = ""
    notify("All lead data was deleted. Definitions and saved mappings are kept.")


def _reason(exc: Exception) -> str:
    cause = getattr(exc, "orig", None) or exc
    return (str(cause).strip().splitlines() or [type(cause).__name__])[0]
