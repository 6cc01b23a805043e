"""History: every published version, a readable diff between any two (or the draft), their
funnels side by side, and "restore as draft" for any old version.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from components.common.literal import md, md_lines
from components.definitions import draft_session as session
from components.funnel.funnel_chart import render_funnel
from components.shell import state as app_state
from components.shell.identity import author_name, writer
from domain.admin.access import AccessDenied
from domain.definitions.definition import Definition
from domain.definitions.diff import describe_diff
from domain.definitions.publishing import signoff_summary
from domain.definitions.rule_tables import without_unknown_attributes
from domain.funnel.metrics import funnel
from gateways import definitions as gateway
from gateways.definitions import ReplacedDraft

DIFF_FROM = "defs_diff_from"
DIFF_TO = "defs_diff_to"
RESTORE_VERSION = "defs_restore_version"
RESTORE_ASK = "defs_restore_ask"  # the version waiting for confirmation


# Pixel widths that fit the 818 px a full-width table gets at 1280x720 (wider screens
# stretch them): a long note or list of sign-offs ends in an ellipsis (full text on hover)
# rather than pushing columns out of view (tests/browser/test_browser_layout.py).
VERSION_COLUMNS = {
    "Version": st.column_config.TextColumn(width=70),
    "Published": st.column_config.DatetimeColumn(format="YYYY-MM-DD HH:mm", width=140),
    "Author": st.column_config.TextColumn(width=110),
    "Signed off by": st.column_config.TextColumn(width=210),
    "Note": st.column_config.TextColumn(width=270),
}


def render_versions(versions: pd.DataFrame) -> None:
    table = pd.DataFrame(
        {
            "Version": versions["version"].map(lambda v: f"v{v}"),
            "Published": versions["published_at"],
            "Author": versions["author"],
            "Signed off by": versions["signoffs"].map(lambda s: signoff_summary(s or ())),
            "Note": versions["note"],
        }
    )
    st.dataframe(
        table,
        key="defs_versions",
        hide_index=True,
        width="stretch",
        column_config=VERSION_COLUMNS,
    )


def render_compare(versions: pd.DataFrame, attributes: Collection[str]) -> None:
    """Two version pickers, the readable diff and both funnels (default: the latest change).

    The draft is compared live in the workspace above; here only published versions, which
    never change, so this part need not rerun with every slider move.
    """
    options = versions["version"].astype(int).tolist()  # newest first
    if len(options) < 2:
        st.caption("Only one version so far: the next publish can be compared with it.")
        return
    state = st.session_state
    if state.get(DIFF_FROM) not in options:
        state[DIFF_FROM] = options[1]
    if state.get(DIFF_TO) not in options:
        state[DIFF_TO] = options[0]
    left, right = st.columns(2)
    left.selectbox("Compare", options, key=DIFF_FROM, format_func=_option_label)
    right.selectbox("with", options, key=DIFF_TO, format_func=_option_label)
    before, after = _definition(state[DIFF_FROM]), _definition(state[DIFF_TO])
    lines = describe_diff(before, after)
    st.markdown(md_lines(lines) if lines else "_No differences._")
    columns = st.columns(2)
    for index, (choice, definition) in enumerate(
        ((state[DIFF_FROM], before), (state[DIFF_TO], after))
    ):
        with columns[index]:
            st.caption(f"Funnel under {_option_label(choice)}")
            table = app_state.scored_table(without_unknown_attributes(definition, attributes))
            render_funnel(funnel(table), key=f"defs_funnel_{index}")


def render_restore(versions: pd.DataFrame, on_restore: Callable[[int], None]) -> None:
    """Pick a version, confirm (it replaces the shared draft), and undo it if need be."""
    numbers = versions["version"].astype(int).tolist()
    if not numbers:
        return
    left, right = st.columns([2, 1], vertical_alignment="bottom")
    chosen = left.selectbox(
        "Restore an old version as the draft",
        numbers,
        key=RESTORE_VERSION,
        format_func=lambda v: f"v{v}",
    )
    right.button(
        "Restore as draft…",
        key="defs_restore",
        icon=":material/history:",
        on_click=_ask,
        args=(int(chosen),),
        disabled=session.pending() is not None,
    )
    asked = st.session_state.get(RESTORE_ASK)
    if asked is not None:
        _confirm(int(asked), on_restore)
    replaced = gateway.replaced_draft(app_state.get_engine_cached())
    if replaced is not None and asked is None:
        # Kept in the database: whoever restored, anyone can bring it back, in any session.
        st.button(
            "Bring back the draft the restore replaced",
            key="defs_bring_back",
            icon=":material/undo:",
            on_click=bring_back,
            args=(replaced,),
            disabled=session.pending() is not None,
            help=f"Restoring v{replaced.version} ({md(replaced.restored_by)}, "
            f"{replaced.restored_at:%Y-%m-%d %H:%M} UTC) replaced it.",
        )


def _ask(version: int) -> None:
    st.session_state[RESTORE_ASK] = version


def _confirm(version: int, on_restore: Callable[[int], None]) -> None:
    draft = session.loaded()
    lines = describe_diff(draft.definition, _definition(version))
    with st.container(border=True, key="defs_restore_confirm"):
        st.warning(
            f"Restoring v{version} replaces the shared draft (revision {draft.revision}, last "
            f"saved by {md(draft.updated_by)}) for everyone, and its sign-offs start over. "
            "The replaced draft can be brought back afterwards.",
            icon=":material/warning:",
        )
        st.markdown(md_lines(lines) if lines else "_The draft already is this version._")
        yes, no = st.columns(2)
        yes.button(
            f"Yes, restore v{version}", key="defs_restore_yes", type="primary",
            on_click=_confirmed, args=(version, on_restore),
        )  # fmt: skip
        no.button("Cancel", key="defs_restore_no", on_click=_ask, args=(None,))


def _confirmed(version: int, on_restore: Callable[[int], None]) -> None:
    st.session_state[RESTORE_ASK] = None
    on_restore(version)


def bring_back(replaced: ReplacedDraft) -> None:
    """Save the draft the latest restore replaced as the draft again."""
    if _replace_draft(replaced.definition) is None:
        return
    gateway.mark_brought_back(app_state.get_engine_cached(), replaced, author_name())
    session.notify("The replaced draft is back. Sign-offs start over.")


def _replace_draft(definition: Definition) -> int | None:
    """Save `definition` over the loaded draft: its revision, or None when not saved.

    When someone saved meanwhile, the definition is shown as the user's edit and the
    conflict panel asks whether it should replace theirs.
    """
    engine = app_state.get_engine_cached()
    current = session.loaded()
    try:
        revision = gateway.save_draft(
            engine, actor=writer(), definition=definition, expected_revision=current.revision
        )
    except AccessDenied as exc:
        session.notify(f"Not restored: {exc}")
        return None
    except gateway.StaleDraftError:
        session.show_in_editor(definition)
        st.session_state[session.PENDING] = definition
        return None
    session.adopt(
        gateway.DraftState(definition, revision, author_name(), datetime.now(UTC), signoffs=())
    )
    return revision


def restore_version(version: int) -> None:
    """Make published `version` the working draft (a conflict if the draft moved on)."""
    engine = app_state.get_engine_cached()
    definition = gateway.get_version(engine, version)
    replaced = session.loaded().definition
    revision = _replace_draft(definition)
    if revision is None:
        return
    # Keeps the replaced draft, so it can be brought back even from another session.
    gateway.record_restore(
        engine,
        author=author_name(),
        version=version,
        restored=definition,
        revision=revision,
        replaced=replaced,
    )
    session.notify(f"v{version} is the draft again. Sign-offs start over.")


def _definition(version: int) -> Definition:
    return gateway.get_version(app_state.get_engine_cached(), version)


def _option_label(version: int) -> str:
    return f"v{version}"
