"""Sign-off and publish: one person from marketing and one from sales agree, then publish.

Only approvers (and admins) sign, each for their own team, and one person never for both
teams (db/guarded.py checks it on every write). Sign-offs belong to a draft revision:
any change to the definition clears them (the repository does it on save), so what gets
published is exactly what both teams signed.
"""

from __future__ import annotations

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from components.common.literal import md
from components.definitions import draft_session as session
from components.shell import state as app_state
from components.shell.identity import current_actor
from domain.admin.access import AccessDenied, Capability
from domain.definitions.publishing import REQUIRED_TEAMS, missing_teams, publish_blockers
from gateways import definitions as gateway

PUBLISH_NOTE = "defs_publish_note"
MESSAGES = "defs_publish_messages"  # (kind, text) pairs shown once under the buttons


def render_signoff(published_version: int | None) -> None:
    draft = session.loaded()
    actor = current_actor()
    st.markdown(_signoff_lines(draft.signoffs))
    if actor is None:
        st.info(
            "Type your name and choose your team in the sidebar to sign off or publish.",
            icon=":material/badge:",
        )
        return
    if not actor.can(Capability.sign_off):
        st.caption(
            f"You are a {actor.role.value}: approvers sign off for their own team and publish."
        )
        return
    team = actor.team or "no team"
    if actor.team is None:
        where = "in the sidebar" if actor.local else "on the Admin page (an admin sets it)"
        st.caption(f"Choose your team {where} to sign off for it.")
    st.button(
        f"Sign off for {team} as {md(actor.name)}",
        key="defs_sign",
        icon=":material/verified:",
        disabled=actor.team is None or session.pending() is not None,
        on_click=sign,
    )
    st.text_area(
        "Publish note",
        key=PUBLISH_NOTE,
        placeholder="What changed and why both teams agreed",
        height=80,
    )
    next_version = "the first version" if published_version is None else f"v{published_version + 1}"
    st.button(
        f"Publish as {next_version}",
        key="publish",
        type="primary",
        icon=":material/publish:",
        on_click=publish_draft,
    )
    for kind, text in st.session_state.pop(MESSAGES, []):
        (st.success if kind == "success" else st.error)(md(text))


def sign() -> None:
    current = session.loaded()
    engine = app_state.get_engine_cached()
    actor = current_actor()
    try:
        revision = gateway.sign_draft(engine, actor=actor, expected_revision=current.revision)
    except gateway.StaleDraftError:
        _refresh_after_stale()
        _message("error", "The draft changed since you loaded it. Review it, then sign again.")
        return
    except (AccessDenied, gateway.SignOffRefused) as exc:
        _message("error", f"Not signed. {exc}")
        return
    except SQLAlchemyError as exc:
        _message("error", f"Not signed: {gateway.describe(exc)}")
        return
    stored = app_state.get_draft()
    if stored is not None and stored.revision == revision:
        st.session_state[session.LOADED] = stored
    assert actor is not None  # sign_draft refuses nobody
    _message("success", f"Signed off for {actor.team} as {actor.name}.")


def publish_draft() -> None:
    actor = current_actor()
    note = str(st.session_state.get(PUBLISH_NOTE) or "").strip()
    current = session.loaded()
    stored = app_state.get_draft()
    if stored is None or stored.revision != current.revision or session.pending() is not None:
        done = gateway.published_as(app_state.get_engine_cached(), current.definition)
        _refresh_after_stale()
        if done is not None and session.pending() is None:
            _message("error", _already(gateway.AlreadyPublishedError(*done)))
            return
        _message("error", "The draft changed since you loaded it. Review it before publishing.")
        return
    published = app_state.get_published()
    same = published is not None and published[1].to_json() == stored.definition.to_json()
    blockers = publish_blockers(
        author=actor.name if actor else None,
        note=note,
        signoffs=stored.signoffs,
        same_as_published=same,
    )
    if blockers:
        _message("error", "Not published. " + " ".join(blockers))
        return
    version = _publish(stored, note)
    if version is None:
        return
    st.session_state[PUBLISH_NOTE] = ""
    # Publishing moved the draft's revision on (that is what makes it happen once).
    moved = app_state.get_draft()
    if moved is not None and moved.revision == stored.revision + 1:
        st.session_state[session.LOADED] = moved
    _message("success", f"Published v{version}: every page and the CLI now use it.")


def _publish(stored: gateway.DraftState, note: str) -> int | None:
    """Publish through the role check; None (with the reason shown) when it did not."""
    engine = app_state.get_engine_cached()
    try:
        return gateway.publish(engine, actor=current_actor(), draft=stored, note=note)
    except AccessDenied as exc:
        _message("error", str(exc))
    except gateway.AlreadyPublishedError as done:
        _refresh_after_stale()
        _message("error", _already(done))
    except gateway.StaleDraftError:
        _refresh_after_stale()
        _message("error", "The draft changed since you loaded it. Review it before publishing.")
    except SQLAlchemyError as exc:  # a lock held by an import, or a lost server
        _message("error", f"Not published: {gateway.describe(exc)}")
    return None


def _already(done: gateway.AlreadyPublishedError) -> str:
    return f"Not published again: the draft is {done}. Every page uses v{done.version} now."


def _signoff_lines(signoffs: tuple[dict[str, str], ...]) -> str:
    lines = [
        f"- :material/check_circle: **{md(s['name'])}** ({md(s['team'])}), {_when(s['at'])}"
        for s in signoffs
    ]
    lines += [
        f"- :material/hourglass_empty: waiting for someone from **{team}**"
        for team in missing_teams(signoffs)
    ]
    teams = " and ".join(REQUIRED_TEAMS)
    return f"Publishing needs a note and the sign-off of {teams}.\n\n" + "\n".join(lines)


def _when(stamp: str) -> str:
    return f"{stamp[:16].replace('T', ' ')} UTC"


def _refresh_after_stale() -> None:
    stored = app_state.get_draft()
    if stored is not None and session.pending() is None:
        session.adopt(stored)


def _message(kind: str, text: str) -> None:
    st.session_state.setdefault(MESSAGES, []).append((kind, text))
