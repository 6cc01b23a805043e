"""When someone saved the draft while you were editing: what changed, and your choice.

Nothing typed is lost: the user's edit stays in the widgets (and can be downloaded) until
they pick "Reload theirs" or "Overwrite with mine".
"""

from __future__ import annotations

import streamlit as st

from components import draft_session as session
from components import state as app_state
from components.identity import author_name
from components.literal import md, md_lines
from db import repository as repo
from domain.diff import describe_diff


def render_conflict() -> None:
    """The conflict banner, if this session has an edit the draft refused."""
    mine = session.pending()
    if mine is None:
        return
    stored = app_state.get_draft()
    if stored is None:
        return
    base = session.loaded()
    with st.container(border=True, key="defs_conflict"):
        st.warning(
            f"**{md(stored.updated_by)}** saved the draft (revision {stored.revision}, "
            f"{stored.updated_at:%H:%M} UTC) while you were editing. Your edit is kept here "
            "and is **not saved**: choose what to keep.",
            icon=":material/sync_problem:",
        )
        theirs, yours = st.columns(2)
        with theirs:
            st.markdown("**What they changed** (since you loaded the draft)")
            _bullets(describe_diff(base.definition, stored.definition))
        with yours:
            st.markdown("**Yours compared with theirs**")
            _bullets(describe_diff(stored.definition, mine))
        reload, overwrite, download = st.columns(3)
        reload.button("Reload theirs", key="defs_reload_theirs", on_click=reload_theirs)
        overwrite.button(
            "Overwrite with mine",
            key="defs_overwrite_mine",
            type="primary",
            on_click=overwrite_with_mine,
        )
        download.download_button(
            "Download mine (JSON)",
            data=mine.to_json(),
            file_name="my_draft_definition.json",
            mime="application/json",
            key="defs_download_mine",
            on_click="ignore",
        )


def reload_theirs() -> None:
    stored = app_state.get_draft()
    if stored is None:
        return
    session.adopt(stored)
    session.notify(f"Loaded the draft as {stored.updated_by} saved it; your edit was dropped.")


def overwrite_with_mine() -> None:
    mine = session.pending()
    stored = app_state.get_draft()
    if mine is None or stored is None:
        return
    engine = app_state.get_engine_cached()
    try:
        revision = repo.save_draft(
            engine, definition=mine, expected_revision=stored.revision, author=author_name()
        )
    except repo.StaleDraftError:
        session.notify("The draft changed again meanwhile: look at the new differences.")
        return
    session.after_save(stored, mine, revision)
    st.session_state[session.PENDING] = None
    repo.log_audit(
        engine,
        actor=author_name(),
        action="overwrite_draft",
        entity="definition_draft",
        entity_id=revision,
        payload={"overwrote_revision": stored.revision, "overwrote_author": stored.updated_by},
    )
    session.notify(f"Your version replaced {stored.updated_by}'s draft.")


def _bullets(lines: list[str]) -> None:
    st.markdown(md_lines(lines) if lines else "_No differences._")
