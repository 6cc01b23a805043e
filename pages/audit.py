"""Audit: every definition change, sign-off, publish, import, action, user change and reset.

Filter by what happened, who and when; download what you see as CSV (cells a spreadsheet
would run as formulas are made inert).
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

import pandas as pd
import streamlit as st

from components.shell import state
from components.shell.app_shell import require_app_shell
from domain.admin.audit_view import ACTION_LABELS, audit_csv, readable
from domain.common.numbers import count
from gateways.audit import AUDIT_LIMIT, audit_actions, query_audit

HELP = "Follow-up actions (touches, accept, qualify, ...) are listed under their own names."


def main() -> None:
    st.title("Audit")
    engine = state.get_engine_cached()
    known = audit_actions(engine)
    left, middle, right = st.columns([2, 1, 1])
    actions = left.multiselect(
        "What happened", known, format_func=lambda a: ACTION_LABELS.get(a, a),
        key="audit_actions", placeholder="Everything", help=HELP,
    )  # fmt: skip
    actor = middle.text_input("Who (part of the name or e-mail)", key="audit_actor", max_chars=120)
    days = right.date_input("Between", value=(), key="audit_days")
    since, until = _bounds(days)
    rows = query_audit(engine, actions=actions, actor=actor, since=since, until=until)
    if rows.empty:
        st.info("Nothing in the audit log matches these filters.", icon=":material/search_off:")
        return
    shown = readable(rows)
    more = " (the newest; narrow the filters to see older ones)" if len(rows) >= AUDIT_LIMIT else ""
    st.caption(f"{count(len(shown))} entries, newest first{more}. Times are UTC.")
    st.dataframe(shown, hide_index=True, width="stretch", key="audit_table")
    st.download_button(
        "Download as CSV", data=audit_csv(shown),
        file_name=f"baton-audit-{pd.Timestamp.now('UTC'):%Y%m%d-%H%M}.csv", mime="text/csv",
        key="audit_download", icon=":material/download:", on_click="ignore",
    )  # fmt: skip


def _bounds(days: object) -> tuple[datetime | None, datetime | None]:
    chosen = tuple(days) if isinstance(days, tuple | list) else ()
    if len(chosen) != 2:
        return None, None
    start = datetime.combine(chosen[0], time(), tzinfo=UTC)
    return start, datetime.combine(chosen[1], time(), tzinfo=UTC) + timedelta(days=1)


require_app_shell()
main()
