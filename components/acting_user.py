"""Who is acting on leads: the signed-in user, else a name picked for this session.

Actions are recorded under this name (the audit log, touches, sales facts). Without
sign-in configured, anyone can say who they are: enough for a team working side by side.
"""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.literal import md

ACTING_USER = "acting_user"
# The name typed in the shared sidebar's "You" section (components/identity.py), when
# that section is shown: one name for the whole app.
SHARED_IDENTITY_NAME = "identity_name"
HELP = (
    "Actions you take are recorded under this name, with the time. "
    "Pick yours from the owners, or type a new name."
)


def acting_user(owners: Sequence[str]) -> str | None:
    """The name to record actions under, or None until the user says who they are."""
    signed_in = _signed_in_name()
    if signed_in:
        st.caption(f"Acting as **{md(signed_in)}**")
        return signed_in
    if SHARED_IDENTITY_NAME in st.session_state:
        # The sidebar asks for a name already: one place to say who you are.
        shared = str(st.session_state.get(SHARED_IDENTITY_NAME) or "").strip()
        if shared:
            st.caption(f"Acting as **{md(shared)}** (your name in the sidebar)")
            return shared
        st.caption("Type your name in the sidebar (**You**) to act on leads.")
        return None
    chosen = st.selectbox(
        "You are",
        options=list(owners),
        index=None,
        placeholder="Pick your name to act on leads",
        key=ACTING_USER,
        accept_new_options=True,
        persist_state="session",
        help=HELP,
    )
    return (str(chosen).strip() or None) if chosen else None


def _signed_in_name() -> str | None:
    # Without [auth] in secrets, st.user has no is_logged_in and st.secrets may raise.
    try:
        if "auth" not in st.secrets:
            return None
    except FileNotFoundError:
        return None
    try:
        if not st.user.is_logged_in:
            return None
    except AttributeError:
        return None
    name = st.user.get("name") or st.user.get("email")
    return str(name) if name else None
