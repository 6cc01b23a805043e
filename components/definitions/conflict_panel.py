"""When someone saved the draft while you were editing: what changed, and your choice.

Nothing typed is lost: the user's edit stays in the widgets (and can be downloaded) until
they pick "Reload theirs" or "Overwrite with mine".
"""

from __future__ import annotations

import streamlit as st

from components.common.literal import md, md_lines
from components.definitions import draft_session as session
from components.shell import state as app_state
from components.shell.identity import author_name, writer
from domain.admin.access import AccessDenied
from domain.definitions.diff import describe_diff
from domain.definitions.merge import Conflict, merge_drafts
from gateways import definitions as gateway


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
            st.markdown("**Both of you changed** (everything else merges)")
            merged = merge_drafts(base.definition, mine, stored.definition)
            _bullets([_conflict_line(c) for c in merged.conflicts])
        reload, overwrite, download = st.columns(3)
        reload.button("Reload theirs", key="defs_reload_theirs", on_click=reload_theirs)
        overwrite.button(
            "Use mine where we both changed it",
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
    # Their other changes stay: only the fields both changed take my value.
    mine = merge_drafts(session.loaded().definition, mine, stored.definition).choose_mine(mine)
    try:
        revision = gateway.overwrite_draft(
            engine, actor=writer(), author=author_name(), mine=mine, theirs=stored
        )
    except gateway.StaleDraftError:
        session.notify("The draft changed again meanwhile: look at the new differences.")
        return
    except AccessDenied as exc:
        session.notify(f"Not saved: {exc}")
        return
    session.after_save(stored, mine, revision)
    session.adopt(st.session_state[session.LOADED])  # their other changes show too
    session.notify(f"Your version replaced {stored.updated_by}'s draft.")


def _conflict_line(conflict: Conflict) -> str:
    where = conflict.where.replace("_", " ").replace(".", " › ")
    return f"{where}: yours {_value(conflict.mine)}, theirs {_value(conflict.theirs)}"


def _value(value: object) -> str:
    if value is None:
        return "(removed)"
    if isinstance(value, dict):  # a whole rule: its settings, not a Python dict
        shown = {k: v for k, v in value.items() if k != "id" and v not in (None, "", [])}
        return "(" + ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in shown.items()) + ")"
    return str(value)


def _bullets(lines: list[str]) -> None:
    st.markdown(md_lines(lines) if lines else "_No differences._")
