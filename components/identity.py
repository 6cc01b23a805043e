"""Who is at the keyboard, in local mode: a name and a team, chosen in the shared sidebar.

Rendered by app.py on every run, so the choice survives page switches for the whole
browser session. Real sign-in (st.login) replaces this later; until then anyone can say
who they are, which is enough for a meeting where both teams sit at one screen.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from domain.publishing import REQUIRED_TEAMS

IDENTITY_NAME = "identity_name"
IDENTITY_TEAM = "identity_team"
IDENTITY_HELP = (
    "Local mode: your name and team are remembered for this browser session and go into "
    "sign-offs, published versions and the audit log. Real sign-in comes later."
)


@dataclass(frozen=True)
class Identity:
    name: str
    team: str

    @property
    def label(self) -> str:
        return f"{self.name} ({self.team})"


def render_identity() -> None:
    with st.sidebar:
        st.subheader("You")
        st.text_input(
            "Your name",
            key=IDENTITY_NAME,
            placeholder="e.g. Maria",
            max_chars=60,
            help=IDENTITY_HELP,
        )
        st.radio(
            "Your team",
            REQUIRED_TEAMS,
            index=None,
            key=IDENTITY_TEAM,
            horizontal=True,
            format_func=str.capitalize,
        )


def current_identity() -> Identity | None:
    """The chosen name and team, or None until both are set."""
    name = str(st.session_state.get(IDENTITY_NAME) or "").strip()
    team = st.session_state.get(IDENTITY_TEAM)
    if not name or team not in REQUIRED_TEAMS:
        return None
    return Identity(name=name, team=str(team))


def author_name() -> str:
    """Who to record as the author of a draft save: the name, or "anonymous"."""
    identity = current_identity()
    if identity is not None:
        return identity.name
    name = str(st.session_state.get(IDENTITY_NAME) or "").strip()
    return name or "anonymous"
