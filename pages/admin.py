"""Admin: who may sign in, their team and role, and whether unlisted people get in.

Everyone sees the list; only admins change it (and db/gateway.py checks that on the write).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from components.shell import state
from components.shell.app_shell import require_app_shell
from components.shell.identity import auth_configured, can, current_actor
from domain.admin.access import ROLE_HELP, AccessDenied, Capability, Role, SignInPolicy
from domain.definitions.publishing import REQUIRED_TEAMS
from gateways import admin as gateway

MESSAGES = "admin_messages"
LOCAL_NOTE = (
    "Sign-in is off (local mode): anyone here can act as anyone, and this list is not used "
    "yet. Prepare it now; it applies as soon as sign-in is configured (README: Sign-in and "
    "roles). People not listed then sign in as viewers, unless you restrict sign-in below."
)


def main() -> None:
    st.title("Admin: users and roles")
    if not auth_configured():
        st.info(LOCAL_NOTE, icon=":material/lock_open:")
    engine = state.get_engine_cached()
    for kind, text in st.session_state.pop(MESSAGES, []):
        (st.success if kind == "success" else st.error)(text)
    st.dataframe(
        pd.DataFrame({"role": [r.value for r in Role], "may": [ROLE_HELP[r] for r in Role]}),
        hide_index=True, key="admin_roles",
    )  # fmt: skip
    users = gateway.list_users(engine)
    st.subheader(f"Users ({len(users)})")
    st.dataframe(users, hide_index=True, width="stretch", key="admin_users")
    if not can(Capability.manage_users):
        st.caption("Only admins add, change or remove users.")
        return
    user_form(users)
    st.subheader("Who may sign in")
    policy_form(gateway.get_policy(engine))


def user_form(users: pd.DataFrame) -> None:
    add, remove = st.columns(2, gap="large")
    with add.form("admin_user_form", border=True):
        st.markdown("**Add a person, or change one**")
        st.text_input("E-mail (as the identity provider reports it)", key="admin_email")
        st.selectbox("Role", [r.value for r in Role], index=1, key="admin_role")
        st.selectbox(
            "Team", [None, *REQUIRED_TEAMS], key="admin_team",
            format_func=lambda t: "no team" if t is None else t,
        )  # fmt: skip
        st.form_submit_button("Save user", type="primary", on_click=save_user)
    with remove.form("admin_remove_form", border=True):
        st.markdown("**Remove a person**")
        st.selectbox("E-mail", users["email"].tolist(), index=None, key="admin_remove_email")
        st.form_submit_button("Remove", on_click=remove_user)


def policy_form(policy: SignInPolicy) -> None:
    with st.form("admin_policy_form", border=True):
        st.radio(
            "Unlisted people",
            ["open", "restricted"],
            index=int(policy.restricted),
            key="admin_policy",
            format_func={
                "open": "may sign in, as viewers",
                "restricted": "are refused, unless their e-mail domain is allowed below",
            }.__getitem__,
        )
        st.text_input(
            "Allowed e-mail domains (comma-separated, e.g. acme.com)",
            value=", ".join(policy.domains), key="admin_domains",
        )  # fmt: skip
        st.form_submit_button("Save sign-in rule", on_click=save_policy)


def save_user() -> None:
    state_ = st.session_state
    _write(
        lambda engine: gateway.set_user(
            engine,
            actor=current_actor(),
            email=str(state_.get("admin_email") or ""),
            role=str(state_.get("admin_role")),
            team=state_.get("admin_team"),
            name=None,
        ),  # fmt: skip
        lambda saved: f"Saved {saved.identity}: {saved.role.value}, {saved.team or 'no team'}.",
    )


def remove_user() -> None:
    email = st.session_state.get("admin_remove_email")
    if not email:
        _message("error", "Pick the person to remove.")
        return
    _write(
        lambda engine: gateway.remove_user(engine, actor=current_actor(), email=email),
        lambda _: f"Removed {email}.",
    )


def save_policy() -> None:
    raw = str(st.session_state.get("admin_domains") or "")
    policy = SignInPolicy(
        restricted=st.session_state.get("admin_policy") == "restricted",
        domains=tuple(d.strip() for d in raw.split(",") if d.strip()),
    )
    _write(
        lambda engine: gateway.set_policy(engine, actor=current_actor(), policy=policy),
        lambda _: "Saved who may sign in.",
    )


def _write(action: Callable[[Engine], Any], success: Callable[[Any], str]) -> None:
    """Run one guarded write; the outcome is shown on the next run, as a sentence."""
    try:
        result = action(state.get_engine_cached())
    except (AccessDenied, ValueError) as exc:
        _message("error", f"Not saved: {exc}")
        return
    _message("success", success(result))


def _message(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))


require_app_shell()
main()
