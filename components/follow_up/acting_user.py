"""Who is acting on leads: the signed-in person (if their role may), else the local name.

Actions are recorded under this name (the audit log, touches, sales facts); the write
itself checks the role again (db/guarded.py).
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.common.literal import md
from components.shell.identity import current_actor
from domain.admin.access import Capability


def acting_user(owners: Sequence[str] = ()) -> str | None:
    """The name to record actions under, or None when this person may not act."""
    del owners  # who you are comes from the sidebar or the sign-in, never a pick list
    actor = current_actor()
    if actor is None:
        st.caption("Type your name in the sidebar (**You**) to act on leads.")
        return None
    if not actor.can(Capability.work_queue):
        st.caption(f"You are a {actor.role.value}: editors and approvers work the queue.")
        return None
    where = " (your name in the sidebar)" if actor.local else ""
    st.caption(f"Acting as **{md(actor.name)}**{where}")
    return actor.name
