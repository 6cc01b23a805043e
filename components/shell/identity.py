"""Who is at the keyboard: the signed-in person, or (local mode) a name and team typed here.

Sign-in is on when `.streamlit/secrets.toml` has an `[auth]` section (Streamlit's st.login,
OpenID Connect): the identity provider says who you are, the `app_user` table your role.
Without it Baton runs in local mode (a laptop demo): anyone types a name and picks a team,
every page says so, and everyone may do everything.

Local mode keeps the name and team in the URL (`?as=Maria&team=marketing`) as well as in
the session: a link opened in a new tab (a lead from the queue) starts a new session, and
the URL is the one thing it shares with the old tab. No cookie is needed (Streamlit cannot
set one without a custom component) and nothing is stored on the server between sessions;
the URL claims nothing that local mode does not already allow anyone. With sign-in on,
`?as=` is ignored: who you are comes only from the identity provider's signed cookie.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import cast
from urllib.parse import urlencode

import streamlit as st

from components.common.literal import md
from components.shell import state as app_state
from domain.admin.access import AccessDenied, Actor, Capability, Role
from domain.definitions.publishing import REQUIRED_TEAMS
from gateways import shell

IDENTITY_NAME = "identity_name"
IDENTITY_TEAM = "identity_team"
NAME_PARAM, TEAM_PARAM = "as", "team"
SIGNED_IN = "identity_signed_in"  # the e-mail this session recorded a sign-in for
FIRST_ADMIN = "identity_first_admin"
ACTOR_CACHE = "identity_actor_cache"  # (e-mail, monotonic time, Actor | None)
ACTOR_TTL_S = 2.0
ANONYMOUS = "anonymous"
LOCAL_LABEL = "Local mode: anyone here can sign for any team."
IDENTITY_HELP = (
    "Local mode: your name and team go into sign-offs, published versions and the audit "
    "log, and stay in this tab's address so that links you open keep them. "
    "Turn on sign-in to check who people are (README: Sign-in and roles)."
)
FIRST_ADMIN_TEXT = (
    "You are the first person to sign in to this Baton, so you are its **admin**. "
    "Set your team and add your colleagues on the **Admin** page."
)
_LOG = logging.getLogger("baton.identity")


class SecretsUnreadable(RuntimeError):
    """A secrets file exists but cannot be read: never fall back to local mode then."""


def auth_configured() -> bool:
    """True when secrets.toml has an [auth] section (st.login can work).

    No secrets file means local mode. A secrets file that does not parse raises
    SecretsUnreadable: a typo must not silently open Baton to everyone.
    """
    try:
        return "auth" in st.secrets
    except FileNotFoundError as exc:  # Streamlit's "not found" also covers a parse error
        if any(Path(f).is_file() for f in st.get_option("secrets.files")):
            raise SecretsUnreadable(str(exc)) from None
        return False


def render_identity() -> None:
    """The sidebar's "You" section; with sign-in on, stops the run until signed in."""
    try:
        signing_in = auth_configured()
    except SecretsUnreadable as exc:
        _LOG.error("secrets unreadable: %s", exc)
        st.error(
            f"Baton cannot read its secrets file, so sign-in stays closed: {exc}",
            icon=":material/error:",
        )
        st.stop()
    if signing_in:
        _render_signed_in()
    else:
        _render_local()


def current_actor() -> Actor | None:
    """The person acting now, with their stored role (None until known)."""
    if not auth_configured():
        name = str(st.session_state.get(IDENTITY_NAME) or "").strip()
        if not name:
            return None
        team = st.session_state.get(IDENTITY_TEAM)
        team = str(team) if team in REQUIRED_TEAMS else None
        return Actor(identity=name, name=name, team=team, role=Role.admin, local=True)
    email = _provider_email()
    if email is None:
        return None
    # Pages ask several times per run which controls to show; the writes re-read the role
    # themselves (db/guarded.py), so a role up to ACTOR_TTL_S old only affects what is shown.
    cached = st.session_state.get(ACTOR_CACHE)
    now = time.monotonic()
    if cached is not None and cached[0] == email and now - cached[1] < ACTOR_TTL_S:
        return cast(Actor | None, cached[2])
    actor = shell.get_actor(app_state.get_engine_cached(), email)
    st.session_state[ACTOR_CACHE] = (email, now, actor)
    return actor


def writer() -> Actor | None:
    """The actor for writes that need no name in local mode (a draft edit, an import).

    Local mode lets anyone change the draft before typing a name, recorded as "anonymous";
    sign-offs and lead actions still need the name (they use current_actor()).
    """
    actor = current_actor()
    if actor is None and not auth_configured():
        return Actor(identity=ANONYMOUS, name=ANONYMOUS, team=None, role=Role.admin, local=True)
    return actor


def can(capability: Capability) -> bool:
    """Whether to show the controls for `capability` (the write checks again)."""
    actor = writer()
    return actor is not None and actor.can(capability)


def author_name() -> str:
    """Who to record as the author of a draft save: the actor's name, or "anonymous"."""
    actor = current_actor()
    return actor.name if actor is not None else ANONYMOUS


def identity_params() -> dict[str, str]:
    """Query parameters an internal link carries so a new tab knows who you are (local)."""
    if auth_configured():
        return {}
    name = str(st.session_state.get(IDENTITY_NAME) or "").strip()
    team = st.session_state.get(IDENTITY_TEAM)
    params = {NAME_PARAM: name} if name else {}
    if name and team in REQUIRED_TEAMS:
        params[TEAM_PARAM] = str(team)
    return params


def identity_query() -> str:
    """`as=...&team=...&` to put in front of an internal link's own parameters, or ""."""
    params = identity_params()
    return urlencode(params) + "&" if params else ""


def _render_local() -> None:
    state = st.session_state
    if IDENTITY_NAME not in state:  # a new session (a new tab): the link says who you are
        state[IDENTITY_NAME] = str(st.query_params.get(NAME_PARAM, ""))[:60]
        team = st.query_params.get(TEAM_PARAM)
        state[IDENTITY_TEAM] = team if team in REQUIRED_TEAMS else None
    st.container(key="local_mode").caption(f":material/lock_open: {LOCAL_LABEL}")
    with st.sidebar:
        st.subheader("You")
        st.text_input(
            "Your name", key=IDENTITY_NAME, placeholder="e.g. Maria", max_chars=60,
            help=IDENTITY_HELP,
        )  # fmt: skip
        st.radio(
            "Your team", REQUIRED_TEAMS, index=None, key=IDENTITY_TEAM, horizontal=True,
            format_func=str.capitalize,
        )  # fmt: skip
    _keep_in_url(identity_params())


def _keep_in_url(params: dict[str, str]) -> None:
    # Rewritten on every run: a page switch drops the address's parameters.
    for key in (NAME_PARAM, TEAM_PARAM):
        if key in params:
            if st.query_params.get(key) != params[key]:
                st.query_params[key] = params[key]
        elif key in st.query_params:
            del st.query_params[key]


def _render_signed_in() -> None:
    email = _provider_email()
    if email is None:
        _sign_in_screen()
        st.stop()
    try:
        actor = _record_sign_in(email)
    except (AccessDenied, ValueError) as exc:
        st.error(f"You cannot use this Baton: {md(str(exc))}", icon=":material/block:")
        st.button("Sign out", key="identity_sign_out_refused", on_click=st.logout)
        st.stop()
    if st.session_state.pop(FIRST_ADMIN, False):
        st.success(FIRST_ADMIN_TEXT, icon=":material/admin_panel_settings:")
    with st.sidebar:
        st.subheader("You")
        st.markdown(f"Signed in as **{md(actor.name)}**")
        team = actor.team or "no team yet"
        st.caption(f"{md(actor.identity)} · {actor.role.value} · {team}")
        st.button("Sign out", key="identity_sign_out", on_click=st.logout)


def _record_sign_in(email: str) -> Actor:
    engine = app_state.get_engine_cached()
    if st.session_state.get(SIGNED_IN) != email:
        signed = shell.sign_in(engine, email=email, name=_provider_name())
        st.session_state[SIGNED_IN] = email
        st.session_state[FIRST_ADMIN] = signed.first_admin
    actor = shell.get_actor(engine, email)
    st.session_state[ACTOR_CACHE] = (email, time.monotonic(), actor)
    if actor is None:  # an admin removed them since: sign in again to be re-checked
        st.session_state.pop(SIGNED_IN, None)
        raise AccessDenied(f"{email} was removed from this Baton's users.")
    return actor


def _sign_in_screen() -> None:
    st.title("Baton")
    st.markdown(
        "Sign in with your company account to see and change the shared MQL/SQL definition."
    )
    if st.button("Sign in", key="identity_sign_in", type="primary", icon=":material/login:"):
        st.login()


def _provider_email() -> str | None:
    try:
        if not st.user.is_logged_in:
            return None
    except AttributeError:
        return None
    email = st.user.get("email")
    if not email:
        _LOG.warning("the identity provider sent no e-mail claim")
        st.error(
            "Your identity provider did not send an e-mail address: ask whoever set up "
            "sign-in to add the `email` scope.",
            icon=":material/error:",
        )
        st.button("Sign out", key="identity_sign_out_no_email", on_click=st.logout)
        st.stop()
    return str(email)


def _provider_name() -> str | None:
    name = st.user.get("name") or st.user.get("preferred_username")
    return str(name) if name else None
